package dev.gantry.toolkit.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Exposure;
import dev.gantry.crds.v1alpha1.ExposureType;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.Security;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** kubectl add api against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubectlAddTest {
  static final Path SAMPLE = SampleResources.SAMPLE;

  // Static: one mock server for the class (starting one takes seconds); each test gets its own namespace.
  static KubernetesClient client;
  static final java.util.concurrent.atomic.AtomicInteger TESTS = new java.util.concurrent.atomic.AtomicInteger();
  final String ns = "shop-" + TESTS.incrementAndGet();
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @TempDir
  Path temp;

  @BeforeEach
  void sampleResourcesInTheCluster() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    SampleResources.createIn(client, ns);
  }

  int run(String... args) {
    CommandLine cli = KubectlAdd.commandLine(
        context -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  Api api() {
    return client.resources(Api.class).inNamespace(ns).withName("petstore").get();
  }

  ConfigMap definitions() {
    return client.configMaps().inNamespace(ns).withName("petstore-openapi").get();
  }

  @Test
  void createsTheConfigMapAndTheApiAndSaysSo() throws Exception {
    int exit = run("api", "petstore", "--from-file=" + SAMPLE.resolve("petstore.yaml"), "-n", ns,
        "--replicas", "3");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("configmap/petstore-openapi created\napi.gantry.dev/petstore created\n");
    assertThat(definitions().getData()).containsOnlyKeys("petstore.yaml");
    assertThat(definitions().getData().get("petstore.yaml"))
        .isEqualTo(Files.readString(SAMPLE.resolve("petstore.yaml")));
    assertThat(definitions().getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(api().getMetadata().getUid()));
    assertThat(api().getSpec().getDefinitions()).containsExactly("petstore-openapi");
    assertThat(api().getSpec().getVersion()).isEqualTo("1.0.0");
    assertThat(api().getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void secondRunIsUnchangedAndAnUpdateKeepsWhatThePlatformTeamSet() {
    run("api", "petstore", "--from-file=" + SAMPLE.resolve("petstore.yaml"), "-n", ns);
    Api api = api();
    Exposure exposure = new Exposure();
    exposure.setType(ExposureType.LOAD_BALANCER);
    api.getSpec().setExposure(exposure);
    client.resource(api).update();

    out.getBuffer().setLength(0);
    assertThat(run("api", "petstore", "--from-file=" + SAMPLE.resolve("petstore.yaml"), "-n", ns)).isZero();
    assertThat(out.toString()).isEqualTo("configmap/petstore-openapi unchanged\napi.gantry.dev/petstore unchanged\n");

    out.getBuffer().setLength(0);
    assertThat(run("api", "petstore", "--from-file=" + SAMPLE.resolve("petstore.yaml"), "-n", ns,
        "--version", "1.1.0")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("api.gantry.dev/petstore configured");
    assertThat(api().getSpec().getVersion()).isEqualTo("1.1.0");
    assertThat(api().getSpec().getExposure().getType()).isEqualTo(ExposureType.LOAD_BALANCER);
  }

  @Test
  void aMissingReferenceIsRefusedWithGantryValidatesMessageAndNothingIsWritten() {
    client.resources(Security.class).inNamespace(ns).delete();

    int exit = run("api", "petstore", "--from-file=" + SAMPLE.resolve("petstore.yaml"), "-n", ns);

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("petstore.yaml").contains("Security").contains("nothing was written");
    assertThat(api()).isNull();
    assertThat(definitions()).isNull();
  }

  @Test
  void validateWarnPrintsTheProblemsAndGoesOn() {
    client.resources(RateLimit.class).inNamespace(ns).delete();

    int exit = run("api", "petstore", "--from-file=" + SAMPLE.resolve("petstore.yaml"), "-n", ns,
        "--validate=warn");

    assertThat(exit).isZero();
    assertThat(err.toString()).contains("RateLimit");
    assertThat(api()).isNotNull();
  }

  @Test
  void brokenOpenApiIsRefusedNamingTheFile() throws Exception {
    Path broken = temp.resolve("broken.yaml");
    Files.writeString(broken, "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get: [1, 2\n");

    assertThat(run("api", "petstore", "--from-file=" + broken, "-n", ns)).isEqualTo(1);
    assertThat(err.toString()).contains("broken.yaml");
    assertThat(api()).isNull();
  }

  @Test
  void unreadableFilesAndClashingKeysAreAllReported() {
    int exit = run("api", "petstore", "--from-file=" + temp.resolve("missing.yaml"),
        "--from-file=" + SAMPLE.resolve("petstore.yaml"), "--from-file=" + temp.resolve("x/petstore.yaml"),
        "-n", ns);

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("missing.yaml: no such file").contains("two files have the key 'petstore.yaml'");
    assertThat(definitions()).isNull();
  }

  @Test
  void dryRunClientPrintsTheObjectsAndWritesNothing() {
    int exit = run("api", "petstore", "--from-file=" + SAMPLE.resolve("petstore.yaml"), "-n", ns,
        "--dry-run=client", "-o", "yaml");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("kind: \"ConfigMap\"").contains("kind: \"API\"")
        .contains("name: \"petstore-openapi\"");
    assertThat(api()).isNull();
    assertThat(definitions()).isNull();
  }

  @Test
  void severalFilesBecomeKeysOfOneConfigMap() {
    int exit = run("api", "petstore", "--from-file=main.yaml=" + SAMPLE.resolve("petstore.yaml"), "-n", ns,
        "--version", "2");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(definitions().getData()).containsOnlyKeys("main.yaml");
    assertThat(api().getSpec().getDefinitions()).containsExactly("petstore-openapi");
    assertThat(api().getSpec().getVersion()).isEqualTo("2");
  }

  @Test
  void anUnreachableClusterIsExit3WithTheServerNamed() {
    CommandLine cli = KubectlAdd.commandLine(context -> new KubernetesClientBuilder().withConfig(
        new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:1")
            .withRequestRetryBackoffLimit(0).build()).build());
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("api", "petstore", "--from-file=" + SAMPLE.resolve("petstore.yaml"));

    assertThat(exit).isEqualTo(3);
    assertThat(err.toString()).contains("cannot reach the cluster at http://127.0.0.1:1");
  }
}
