package dev.gantry.crds.v1alpha1;

import static dev.gantry.crds.v1alpha1.ApiCrdSchemaTest.crd;
import static dev.gantry.crds.v1alpha1.ApiCrdSchemaTest.v1alpha1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The fleet parts of the schema (issue 6): API fleet fields and their CEL rule, ManagementContext, GatewayCluster. */
class FleetCrdSchemaTest {

  static JSONSchemaProps spec(Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind) throws IOException {
    return v1alpha1(crd(kind)).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  @Test
  void apiLocalFalseWithoutContextRefIsRejectedByACelRuleOnTheSpec() throws IOException {
    JSONSchemaProps spec = spec(Api.class);
    assertThat(spec.getXKubernetesValidations()).extracting(ValidationRule::getRule, ValidationRule::getMessage)
        .containsExactly(tuple("!has(self.local) || self.local || has(self.contextRef)",
            "local: false needs contextRef: name the ManagementContext that holds the central repository"));
    assertThat(spec.getProperties().get("local").getDefault().asBoolean()).isTrue();
    assertThat(spec.getProperties().get("state").getDefault().asText()).isEqualTo("STARTED");
    assertThat(spec.getProperties().get("state").getEnum()).extracting(n -> n.asText())
        .containsExactlyInAnyOrder("STARTED", "STOPPED");
    assertThat(spec.getProperties().get("contextRef").getRequired()).containsExactly("name");
    assertThat(spec.getProperties().get("gateways").getProperties()).containsKeys("matchLabels", "matchExpressions");
    // The new fields do not make existing APIs invalid.
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("definitions", "version");
  }

  @Test
  void managementContextSchemaAndColumns() throws IOException {
    var crd = crd(ManagementContext.class);
    assertThat(crd.getMetadata().getName()).isEqualTo("managementcontexts.gantry.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    JSONSchemaProps spec = spec(ManagementContext.class);
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("jdbcUrl", "secretRef", "environment");
    assertThat(spec.getProperties().get("jdbcUrl").getPattern()).isEqualTo("^jdbc:postgresql://.+");
    assertThat("jdbc:postgresql://repo:5432/gantry").matches(spec.getProperties().get("jdbcUrl").getPattern());
    assertThat("jdbc:mysql://repo/gantry").doesNotMatch(spec.getProperties().get("jdbcUrl").getPattern());
    assertThat(spec.getProperties().get("environment").getPattern()).isEqualTo(Patterns.DNS1123_LABEL);
    assertThat("prod-eu").matches(Patterns.DNS1123_LABEL);
    assertThat("prod.eu").doesNotMatch(Patterns.DNS1123_LABEL);
    JSONSchemaProps secretRef = spec.getProperties().get("secretRef");
    assertThat(secretRef.getRequired()).containsExactly("name");
    assertThat(secretRef.getProperties().get("usernameKey").getDefault().asText()).isEqualTo("username");
    assertThat(secretRef.getProperties().get("passwordKey").getDefault().asText()).isEqualTo("password");
    assertThat(spec.getProperties().values()).allSatisfy(p -> assertThat(p.getDescription()).isNotBlank());
    assertThat(v1alpha1(crd).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath)
        .contains(tuple("Environment", ".spec.environment"),
            tuple("Ready", ".status.conditions[?(@.type==\"Ready\")].status"));
  }

  @Test
  void gatewayClusterSchemaAndColumns() throws IOException {
    JSONSchemaProps spec = spec(GatewayCluster.class);
    assertThat(spec.getRequired()).containsExactly("runtimeImage");
    assertThat(spec.getProperties().get("replicas").getDefault().asInt()).isEqualTo(2);
    // No default: unset, the runtime keeps its own bound; a negative one is refused by the API server.
    assertThat(spec.getProperties().get("maxConnections").getMinimum()).isEqualTo(0.0);
    assertThat(spec.getProperties().get("maxConnections").getDefault()).isNull();
    assertThat(spec.getProperties().get("source").getDefault().asText()).isEqualTo("kubernetes");
    assertThat(spec.getProperties().get("source").getEnum()).extracting(n -> n.asText())
        .containsExactlyInAnyOrder("kubernetes", "repository");
    assertThat(spec.getProperties().get("autoscaling").getXKubernetesValidations()).hasSize(1);
    assertThat(spec.getProperties().get("labels").getAdditionalProperties().getSchema().getType()).isEqualTo("string");
    assertThat(spec.getXKubernetesValidations()).extracting(ValidationRule::getRule)
        .containsExactly("!has(self.source) || self.source != 'repository' || has(self.contextRef)");
    assertThat(spec.getProperties().values()).allSatisfy(p -> assertThat(p.getDescription()).isNotBlank());
    JSONSchemaProps status = v1alpha1(crd(GatewayCluster.class)).getSchema().getOpenAPIV3Schema().getProperties()
        .get("status");
    assertThat(status.getProperties()).containsKeys("phase", "ready", "readyReplicas", "replicas", "endpoints",
        "conditions", "observedGeneration");
    assertThat(status.getProperties().get("phase").getEnum()).extracting(n -> n.asText())
        .containsExactlyInAnyOrder("Pending", "Running", "Degraded", "Failed");
    assertThat(v1alpha1(crd(GatewayCluster.class)).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath)
        .contains(tuple("Ready", ".status.ready"), tuple("Phase", ".status.phase"));
  }
}
