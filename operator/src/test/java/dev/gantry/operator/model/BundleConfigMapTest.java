package dev.gantry.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.crds.v1alpha1.ApiState;
import dev.gantry.toolkit.bundle.Bundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BundleConfigMapTest {
  static final byte[] ENVIRONMENT = "endpoints: {}\n".getBytes(StandardCharsets.UTF_8);

  static Bundle bundle(String... pathsAndTexts) {
    TreeMap<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      files.put(pathsAndTexts[i], pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new Bundle(files);
  }

  static Api api(LabelSelector gateways, ApiState state) {
    ApiSpec spec = new ApiSpec();
    spec.setDefinitions(List.of("pets-openapi"));
    spec.setVersion("1.2");
    spec.setGateways(gateways);
    spec.setState(state);
    Api api = new Api("shop", "pets", spec);
    api.getMetadata().setUid("uid-pets");
    return api;
  }

  @Test
  void pathsBecomeKeysWithDoubleUnderscoresAndComeBack() {
    assertThat(BundleConfigMap.encodePath("openapi/pets-openapi/petstore.yaml")).isEqualTo("openapi__pets-openapi__petstore.yaml");
    assertThat(BundleConfigMap.decodePath("openapi__pets-openapi__petstore.yaml")).isEqualTo("openapi/pets-openapi/petstore.yaml");
    assertThat(BundleConfigMap.encodePath("routes.yaml")).isEqualTo("routes.yaml");
  }

  @Test
  void theConfigMapHoldsEveryBundleFileTheEnvironmentAndTheContractLabelsAndAnnotations() {
    Bundle bundle = bundle("bundle.yaml", "format: x\n", "openapi/pets-openapi/petstore.yaml", "openapi: 3.0.3\n",
        "routes.yaml", "routes: []\n");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("tier", "edge");
    labels.put("audience", "public");
    ConfigMap map = BundleConfigMap.configMap(new BundleConfigMap.Inputs(
        api(new LabelSelectorBuilder().withMatchLabels(labels).build(), null), bundle, ENVIRONMENT));

    assertThat(map.getMetadata().getName()).isEqualTo("pets-bundle");
    assertThat(map.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(map.getMetadata().getLabels()).containsEntry("gantry.dev/bundle", "true")
        .containsEntry("gantry.dev/api", "pets");
    assertThat(map.getMetadata().getAnnotations()).containsEntry("gantry.dev/bundle-digest", bundle.digest())
        .containsEntry("gantry.dev/state", "STARTED").containsEntry("gantry.dev/version", "1.2")
        .containsEntry("gantry.dev/gateways", "{\"matchLabels\":{\"audience\":\"public\",\"tier\":\"edge\"}}");
    assertThat(map.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-pets"));
    assertThat(map.getData()).isNullOrEmpty();
    assertThat(map.getBinaryData()).containsOnlyKeys("bundle.yaml", "openapi__pets-openapi__petstore.yaml",
        "routes.yaml", "environment.yaml");
    Map<String, byte[]> decoded = new TreeMap<>();
    map.getBinaryData().forEach((k, v) -> {
      if (!k.equals(BundleConfigMap.ENVIRONMENT_KEY)) {
        decoded.put(BundleConfigMap.decodePath(k), Base64.getDecoder().decode(v));
      }
    });
    assertThat(new Bundle(new TreeMap<>(decoded)).digest()).as("the runtime recomputes the same digest")
        .isEqualTo(bundle.digest());
    assertThat(Base64.getDecoder().decode(map.getBinaryData().get("environment.yaml"))).isEqualTo(ENVIRONMENT);
  }

  @Test
  void stoppedApisKeepTheirConfigMapWithStateStopped() {
    ConfigMap map = BundleConfigMap.configMap(new BundleConfigMap.Inputs(
        api(new LabelSelectorBuilder().addToMatchLabels("tier", "edge").build(), ApiState.STOPPED),
        bundle("routes.yaml", "routes: []\n"), ENVIRONMENT));
    assertThat(map.getMetadata().getAnnotations()).containsEntry("gantry.dev/state", "STOPPED");
    assertThat(map.getBinaryData()).containsKey("routes.yaml");
  }

  @Test
  void selectorJsonIsCanonicalAndKeepsExpressions() {
    LabelSelector a = new LabelSelectorBuilder().addToMatchLabels("b", "2").addToMatchLabels("a", "1")
        .addNewMatchExpression().withKey("zone").withOperator("In").withValues("eu", "us").endMatchExpression().build();
    String json = BundleConfigMap.gatewaysJson(a);
    assertThat(json).isEqualTo("{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"eu\",\"us\"]}],"
        + "\"matchLabels\":{\"a\":\"1\",\"b\":\"2\"}}");
    assertThat(Serialization.unmarshal(json, LabelSelector.class).getMatchExpressions().get(0).getValues())
        .containsExactly("eu", "us");
    assertThat(BundleConfigMap.gatewaysJson(new LabelSelector())).isEqualTo("{}");
  }

  @Test
  void unencodableOrOversizedBundlesAreReportedNotPublished() {
    assertThat(BundleConfigMap.problems(bundle("routes.yaml", "x", "openapi/a/b.yaml", "y"), ENVIRONMENT)).isEmpty();
    assertThat(BundleConfigMap.problems(bundle("openapi/my__file.yaml", "x"), ENVIRONMENT)).singleElement()
        .asString().contains("openapi/my__file.yaml");
    assertThat(BundleConfigMap.problems(bundle("openapi/a b.yaml", "x"), ENVIRONMENT)).hasSize(1);
    assertThat(BundleConfigMap.problems(bundle("environment.yaml", "x"), ENVIRONMENT)).singleElement()
        .asString().contains("collides");
    assertThat(BundleConfigMap.problems(bundle("big", "x".repeat(800_000)), ENVIRONMENT)).singleElement()
        .asString().contains("too large");
  }
}
