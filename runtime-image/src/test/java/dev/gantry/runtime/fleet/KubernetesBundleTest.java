package dev.gantry.runtime.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.support.TestBundles;
import dev.gantry.toolkit.bundle.Bundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding a bundle ConfigMap laid out as the operator's BundleConfigMap writes it (keys with '__'
 * for '/', binaryData, the four annotations), from a real compiled bundle.
 */
class KubernetesBundleTest {
  static final Map<String, String> FLEET = Map.of("fleet", "edge", "zone", "eu");
  static Bundle bundle;
  static byte[] environment;

  @BeforeAll
  static void compile(@TempDir Path out) throws Exception {
    bundle = TestBundles.build(out, "orders", "v1", """
        openapi: 3.0.3
        info: {title: orders, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /items: {get: {responses: {"200": {description: ok}}}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend}
        spec: {urls: ["http://127.0.0.1:9"]}
        """);
    environment = Files.readAllBytes(out.resolve("environment.yaml"));
  }

  /** The ConfigMap the operator would write for {@code bundle}. */
  static ConfigMapBuilder configMap(String state, String gateways) {
    Map<String, String> binary = new TreeMap<>();
    bundle.files().forEach((path, bytes) -> binary.put(path.replace("/", "__"), base64(bytes)));
    binary.put("environment.yaml", base64(environment));
    return new ConfigMapBuilder().withNewMetadata().withName("orders-bundle").withNamespace("team-a")
        .addToLabels("gantry.dev/bundle", "true").addToLabels("gantry.dev/api", "orders")
        .addToAnnotations("gantry.dev/bundle-digest", bundle.digest()).addToAnnotations("gantry.dev/version", "v1")
        .addToAnnotations("gantry.dev/state", state).addToAnnotations("gantry.dev/gateways", gateways)
        .endMetadata().withBinaryData(binary);
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static KubernetesBundle.Decoded decode(ConfigMap map) {
    return KubernetesBundle.decode(map, FLEET);
  }

  @Test
  void aStartedSelectedConfigMapIsTheBundleWithItsFolderPathsAndEnvironment() {
    assertThat(bundle.files().keySet()).as("the sample has nested paths").anyMatch(p -> p.contains("/"));
    var decoded = decode(configMap("STARTED", "{\"matchLabels\":{\"zone\":\"eu\"}}").build());
    assertThat(decoded).isInstanceOf(KubernetesBundle.Serve.class);
    var serve = (KubernetesBundle.Serve) decoded;
    assertThat(serve.api()).isEqualTo("team-a/orders");
    assertThat(serve.bundleDigest()).isEqualTo(bundle.digest());
    assertThat(serve.files().keySet()).isEqualTo(bundle.files().keySet());
    bundle.files().forEach((path, bytes) -> assertThat(serve.files().get(path)).as(path).isEqualTo(bytes));
    assertThat(serve.environment()).isEqualTo(environment);
    assertThat(serve.release(7).api().revision()).isEqualTo(7);
  }

  @Test
  void theApiKeyHasTheNamespaceSoTwoNamespacesNeverCollide() {
    ConfigMap other = configMap("STARTED", "{}").editMetadata().withNamespace("team-b").endMetadata().build();
    assertThat(decode(other).api()).isEqualTo("team-b/orders");
    ConfigMap unlabelled = configMap("STARTED", "{}").editMetadata().removeFromLabels("gantry.dev/api").endMetadata()
        .build();
    assertThat(decode(unlabelled).api()).isEqualTo("team-a/orders-bundle");
  }

  @Test
  void stoppedIsNotServedWhateverElseItSays() {
    var decoded = decode(configMap("STOPPED", "not json").build());
    assertThat(decoded).isInstanceOf(KubernetesBundle.NotServed.class);
    assertThat(((KubernetesBundle.NotServed) decoded).why()).isEqualTo("stopped");
  }

  @Test
  void aSelectorThatDoesNotSelectThisFleetIsNotServed() {
    var decoded = decode(configMap("STARTED", "{\"matchLabels\":{\"zone\":\"us\"}}").build());
    assertThat(decoded).isInstanceOf(KubernetesBundle.NotServed.class);
    assertThat(((KubernetesBundle.NotServed) decoded).why()).contains("does not select");
  }

  @Test
  void aFileChangedByHandFailsTheDigest() {
    ConfigMap map = configMap("STARTED", "{}").addToBinaryData("routes.yaml", base64("routes: []\n"
        .getBytes(StandardCharsets.UTF_8))).build();
    assertThat(problems(map)).singleElement().asString().contains("do not match annotation gantry.dev/bundle-digest");
    ConfigMap extra = configMap("STARTED", "{}").addToBinaryData("extra.txt", base64(new byte[] {1})).build();
    assertThat(problems(extra)).singleElement().asString().contains("do not match");
  }

  @Test
  void everyMissingOrWrongPieceIsNamed() {
    ConfigMap map = configMap("RUNNING", "{\"matchLabels\":").editMetadata()
        .removeFromAnnotations("gantry.dev/bundle-digest").endMetadata().removeFromBinaryData("environment.yaml")
        .addToBinaryData("gateway.yaml", "%%%").build();
    assertThat(problems(map)).anySatisfy(p -> assertThat(p).contains("gantry.dev/state is 'RUNNING'"))
        .anySatisfy(p -> assertThat(p).contains("gantry.dev/gateways"))
        .anySatisfy(p -> assertThat(p).contains("gantry.dev/bundle-digest is missing"))
        .anySatisfy(p -> assertThat(p).contains("no environment.yaml"))
        .anySatisfy(p -> assertThat(p).contains("binaryData gateway.yaml is not base64"));
    ConfigMap bare = new ConfigMapBuilder().withNewMetadata().withName("x").withNamespace("n").endMetadata().build();
    assertThat(problems(bare)).anySatisfy(p -> assertThat(p).contains("gantry.dev/state is missing"))
        .anySatisfy(p -> assertThat(p).contains("gantry.dev/gateways is missing"));
  }

  static java.util.List<String> problems(ConfigMap map) {
    var decoded = decode(map);
    assertThat(decoded).isInstanceOf(KubernetesBundle.Invalid.class);
    return ((KubernetesBundle.Invalid) decoded).problems();
  }
}
