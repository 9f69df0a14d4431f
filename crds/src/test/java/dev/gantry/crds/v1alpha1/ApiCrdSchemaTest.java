package dev.gantry.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the schema that the generator makes of the annotations, on the CRD YAML shipped in the jar. */
class ApiCrdSchemaTest {

  static CustomResourceDefinition crd(Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind)
      throws IOException {
    try (InputStream in = ApiCrdSchemaTest.class.getClassLoader()
        .getResourceAsStream(GantryResources.crdResource(kind))) {
      assertThat(in).as(GantryResources.crdResource(kind)).isNotNull();
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  static CustomResourceDefinitionVersion v1alpha1(CustomResourceDefinition crd) {
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    return version;
  }

  @Test
  void apiNamesAndSpecSchema() throws IOException {
    CustomResourceDefinition crd = crd(Api.class);
    assertThat(crd.getMetadata().getName()).isEqualTo("apis.gantry.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("API");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("apis");
    assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("api");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("gapi");

    JSONSchemaProps spec = v1alpha1(crd).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("definitions", "version");
    assertThat(spec.getProperties().get("definitions").getMinItems()).isEqualTo(1L);
    assertThat(spec.getProperties().get("version").getPattern()).isEqualTo("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    assertThat(spec.getProperties().get("builder").getEnum()).extracting(n -> n.asText())
        .containsExactlyInAnyOrder("jib", "kaniko");
    assertThat(spec.getProperties().get("exposure").getProperties().get("type").getEnum()).extracting(n -> n.asText())
        .containsExactlyInAnyOrder("ClusterIP", "NodePort", "LoadBalancer", "Ingress");
    assertThat(spec.getProperties().get("replicas").getMinimum()).isEqualTo(0.0);
    assertThat(spec.getProperties().get("replicas").getDefault().asInt()).isEqualTo(1);
    assertThat(spec.getProperties().get("override").getDefault().asBoolean()).isFalse();
    assertThat(spec.getProperties().get("autoscaling").getProperties().get("targetCPUUtilizationPercentage"))
        .extracting(JSONSchemaProps::getMinimum, JSONSchemaProps::getMaximum).containsExactly(1.0, 100.0);

    assertThat(spec.getProperties().get("exposure").getXKubernetesValidations()).extracting(ValidationRule::getRule)
        .containsExactly("!has(self.type) || self.type != 'Ingress' || has(self.host)");
    assertThat(spec.getProperties().get("autoscaling").getXKubernetesValidations()).extracting(ValidationRule::getRule)
        .containsExactly("!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas");
    assertThat(spec.getProperties().values()).allSatisfy(p -> assertThat(p.getDescription()).isNotBlank());
  }

  @Test
  void apiPrinterColumns() throws IOException {
    // The generator orders columns by jsonPath (fabric8 issue #3974), not by declaration order.
    assertThat(v1alpha1(crd(Api.class)).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath,
            CustomResourceColumnDefinition::getType, CustomResourceColumnDefinition::getPriority)
        .containsExactlyInAnyOrder(
            tuple("Version", ".spec.version", "string", 0),
            tuple("Ready", ".status.conditions[?(@.type==\"Ready\")].status", "string", 0),
            tuple("Replicas", ".status.readyReplicas", "integer", 0),
            tuple("Image", ".status.image", "string", 1),
            tuple("Age", ".metadata.creationTimestamp", "date", 0));
  }

  @Test
  void crossFieldRulesOfTheOtherKinds() throws IOException {
    JSONSchemaProps endpoint = v1alpha1(crd(Endpoint.class)).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(endpoint.getXKubernetesValidations()).extracting(ValidationRule::getRule, ValidationRule::getMessage)
        .containsExactly(tuple("has(self.urls) != has(self.image)", "set either urls or image, not both"));
    assertThat(endpoint.getProperties().get("urls").getItems().getSchema().getPattern()).isEqualTo("^https?://.+");

    JSONSchemaProps security = v1alpha1(crd(Security.class)).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(security.getXKubernetesValidations()).extracting(ValidationRule::getRule).containsExactly(
        "self.type != 'jwt' || has(self.jwt)", "self.type != 'oauth2' || has(self.oauth2)",
        "self.type != 'basic' || has(self.basic)", "self.type != 'apikey' || has(self.apikey)",
        "self.type != 'mtls' || has(self.mtls)");
    assertThat(security.getProperties().get("type").getEnum()).extracting(n -> n.asText())
        .containsExactlyInAnyOrder("jwt", "oauth2", "basic", "apikey", "mtls");

    JSONSchemaProps rateLimit = v1alpha1(crd(RateLimit.class)).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(rateLimit.getRequired()).containsExactlyInAnyOrder("requests", "per");
    assertThat(rateLimit.getProperties().get("per").getPattern()).isEqualTo(Durations.PATTERN);
  }

  @ParameterizedTest
  @ValueSource(classes = {Api.class, Endpoint.class, RateLimit.class, Security.class, ManagementContext.class,
      GatewayCluster.class})
  void everyKindHasStatusSubresourceAndGroup(Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind)
      throws IOException {
    CustomResourceDefinition crd = crd(kind);
    assertThat(crd.getSpec().getGroup()).isEqualTo("gantry.dev");
    assertThat(v1alpha1(crd).getSubresources().getStatus()).isNotNull();
    assertThat(v1alpha1(crd).getServed()).isTrue();
    assertThat(v1alpha1(crd).getStorage()).isTrue();
  }
}
