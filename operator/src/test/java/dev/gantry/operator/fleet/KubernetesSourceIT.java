package dev.gantry.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.crds.v1alpha1.ApiState;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.GatewayCluster;
import dev.gantry.crds.v1alpha1.GatewayClusterSpec;
import dev.gantry.operator.OperatorFixture;
import dev.gantry.operator.model.BundleConfigMap;
import dev.gantry.operator.model.Names;
import dev.gantry.operator.settings.SettingsParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local API served by a fleet gateway with {@code --source kubernetes}, end to end: the real
 * operator (in this JVM) on fabric8's mock API server (CRUD) compiles the API and writes its bundle
 * ConfigMap; the real runtime, as a separate process (the test class path has the mock server's
 * Vert.x 4, the runtime needs Vert.x 5), watches it through a kubeconfig for the mock server and
 * proxies to a real backend on loopback. The fleet's command line is the one the operator put into
 * the GatewayCluster's Deployment.
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesSourceIT {
  static final String APIS = "shop";
  static final String FLEETS = "gateways";

  static KubernetesClient client;
  @TempDir
  static Path temp;
  static EchoBackend backend;
  static Operator operator;
  static FleetGatewayProcess gateway;

  @BeforeAll
  static void start() throws Exception {
    backend = EchoBackend.start();

    OperatorFixture.installCrds(client);
    // No registry: fleet APIs are never built into images.
    OperatorFixture.settings(client, Map.of(SettingsParser.REGISTRY, "127.0.0.1:1/apis",
        SettingsParser.RUNTIME_IMAGE, "127.0.0.1:1/gantry/runtime:0.1.0", SettingsParser.CLUSTER_NAME, "it"));
    OperatorFixture.namespace(client, APIS);
    OperatorFixture.namespace(client, FLEETS);
    client.resource(Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend, namespace: %s}
        spec: {urls: ["%s"]}
        """.formatted(APIS, backend.url()), Endpoint.class)).create();
    operator = OperatorFixture.start(client, OperatorFixture.metrics(), dev.gantry.operator.api.BuildContextSource.unavailable());

    GatewayClusterSpec spec = new GatewayClusterSpec();
    spec.setRuntimeImage("127.0.0.1:1/gantry/runtime:0.1.0");
    spec.setZone("eu");
    spec.setLabels(Map.of("tier", "shared"));
    spec.setNamespaces(List.of(APIS));
    client.resource(new GatewayCluster(FLEETS, "edge", spec)).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments()
        .inNamespace(FLEETS).withName(Names.fleet("edge")).get() != null);
    gateway = FleetGatewayProcess.of(client, FLEETS, "edge", "edge-1", temp)
        .environment("KUBECONFIG", kubeconfig("kubeconfig", client.getConfiguration().getMasterUrl()).toString())
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
      System.out.println("fleet gateway log:\n" + gateway.log()); // in the failsafe report, for when a test fails
    }
    if (operator != null) {
      operator.stop();
    }
    if (backend != null) {
      backend.close();
    }
  }

  /** A kubeconfig for the mock server (self-signed TLS); the token is whatever: the mock does not check it. */
  static Path kubeconfig(String file, String server) throws IOException {
    return Files.writeString(temp.resolve(file), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: fleet
          user: {token: fleet-token}
        contexts:
        - name: mock
          context: {cluster: mock, user: fleet, namespace: %s}
        current-context: mock
        """.formatted(server, APIS));
  }

  static String definition(String name, String... paths) {
    StringBuilder text = new StringBuilder("""
        openapi: 3.0.3
        info: {title: %s, version: "1"}
        x-gantry-endpoint: backend
        paths:
        """.formatted(name));
    for (String path : paths) {
      text.append("  ").append(path).append(": {get: {responses: {\"200\": {description: ok}}}}\n");
    }
    return text.toString();
  }

  /** A local API with {@code spec.gateways} matching {@code labels}, as `kubectl add api` and the user write it. */
  static void api(String name, Map<String, String> labels, String... paths) {
    OperatorFixture.definition(client, APIS, name, definition(name, paths));
    ApiSpec spec = new ApiSpec();
    spec.setGateways(new LabelSelectorBuilder().withMatchLabels(labels).build());
    OperatorFixture.api(client, APIS, name, "v1", spec);
  }

  static void setState(String name, ApiState state) {
    OperatorFixture.state(client, APIS, name, state);
  }

  static ConfigMap bundle(String name) {
    return client.configMaps().inNamespace(APIS).withName(Names.bundle(name)).get();
  }

  static void awaitStatus(String path, int status) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> gateway.get(path) == status);
  }

  @Test
  @Order(1)
  void theOperatorGivesTheFleetAnAccountThatMayReadConfigMapsOfTheWatchedNamespace() {
    Deployment deployment = client.apps().deployments().inNamespace(FLEETS).withName(Names.fleet("edge")).get();
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("edge-fleet");
    assertThat(gateway.command()).contains("--source=kubernetes", "--namespaces=" + APIS, "--label=zone=eu");
    assertThat(client.resources(ServiceAccount.class).inNamespace(FLEETS).withName("edge-fleet").get()).isNotNull();
    String reader = Names.fleetBundleReader(FLEETS, "edge");
    Role role = client.resources(Role.class).inNamespace(APIS).withName(reader).get();
    assertThat(role.getRules()).singleElement().satisfies(r -> assertThat(r.getVerbs())
        .containsExactly("get", "list", "watch"));
    RoleBinding binding = client.resources(RoleBinding.class).inNamespace(APIS).withName(reader).get();
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo("edge-fleet");
      assertThat(s.getNamespace()).isEqualTo(FLEETS);
    });
  }

  @Test
  @Order(2)
  void aPublishedApiIsServedStoppingUnloadsItButKeepsTheConfigMapStartingServesItAgain() {
    api("orders", Map.of("zone", "eu"), "/items");
    awaitStatus("/orders/v1/items", 200);
    assertThat(bundle("orders").getMetadata().getAnnotations()).containsEntry(BundleConfigMap.ANNOTATION_STATE, "STARTED");

    setState("orders", ApiState.STOPPED);
    awaitStatus("/orders/v1/items", 404);
    assertThat(bundle("orders")).as("stopping keeps the published bundle").isNotNull();
    assertThat(bundle("orders").getMetadata().getAnnotations()).containsEntry(BundleConfigMap.ANNOTATION_STATE, "STOPPED");

    setState("orders", ApiState.STARTED);
    awaitStatus("/orders/v1/items", 200);
  }

  @Test
  @Order(3)
  void aConfigMapChangedByHandIsRefusedAndThePreviousBundleKeepsServing() throws Exception {
    client.configMaps().inNamespace(APIS).withName(Names.bundle("orders")).edit(map -> {
      map.getBinaryData().put("routes.yaml", Base64.getEncoder().encodeToString("routes: []\n".getBytes(StandardCharsets.UTF_8)));
      return map;
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> gateway.log().contains("cannot serve ConfigMap "
        + APIS + "/" + Names.bundle("orders")));
    assertThat(gateway.log()).contains("do not match annotation gantry.dev/bundle-digest");
    assertThat(gateway.get("/orders/v1/items")).isEqualTo(200);
  }

  @Test
  @Order(4)
  void updatesAreServedWithoutAFailedRequestDuringTheSwaps() throws Exception {
    String before = bundle("orders").getMetadata().getAnnotations().get(BundleConfigMap.ANNOTATION_DIGEST);
    SwapLoad load = new SwapLoad(List.of(gateway, gateway, gateway), "/orders/v1/items");
    try (load) {
      for (int update = 1; update <= 3; update++) {
        OperatorFixture.definition(client, APIS, "orders", definition("orders", "/items", "/v" + update));
        awaitStatus("/orders/v1/v" + update, 200);
      }
    }
    assertThat(bundle("orders").getMetadata().getAnnotations().get(BundleConfigMap.ANNOTATION_DIGEST))
        .as("a new bundle digest").isNotEqualTo(before);
    assertThat(load.failures()).as("failed requests during the swaps (-1: I/O error)").isEmpty();
    assertThat(load.sent()).as("requests sent during the swaps").isGreaterThan(3);
  }

  @Test
  @Order(5)
  void anApiWhoseSelectorDoesNotSelectTheFleetIsNotServed() {
    api("usonly", Map.of("zone", "us"), "/rates");
    await().atMost(Duration.ofSeconds(30)).until(() -> bundle("usonly") != null);
    // Events of one namespace arrive in order: once the later API is served, the gateway has seen this one.
    api("marker", Map.of("tier", "shared"), "/ping");
    awaitStatus("/marker/v1/ping", 200);
    assertThat(gateway.get("/usonly/v1/rates")).isEqualTo(404);
    assertThat(gateway.get("/orders/v1/items")).isEqualTo(200);
  }

  @Test
  @Order(6)
  void aRestartedGatewayIsReadyOnlyWhenItServesWhatIsPublished() throws Exception {
    gateway.kill();
    deleteRecursively(gateway.cache); // nothing to fall back on: only the initial list can make it ready
    gateway.start();
    assertThat(gateway.get("/orders/v1/v3")).as("served as soon as ready").isEqualTo(200);
    assertThat(gateway.get("/marker/v1/ping")).isEqualTo(200);
    assertThat(gateway.get("/usonly/v1/rates")).isEqualTo(404);
  }

  @Test
  @Order(7)
  void withTheApiServerUnreachableARestartedGatewayServesFromItsCache() throws Exception {
    gateway.kill();
    int closed = FleetGatewayProcess.freePort(); // nothing listens there: the API server does not answer
    gateway.environment("KUBECONFIG", kubeconfig("unreachable", "https://127.0.0.1:" + closed).toString()).start();
    assertThat(gateway.get("/orders/v1/v3")).isEqualTo(200);
    assertThat(gateway.get("/marker/v1/ping")).isEqualTo(200);
    assertThat(gateway.get("/usonly/v1/rates")).isEqualTo(404);
    assertThat(gateway.log()).contains("serving 2 APIs from the cache");
  }

  @Test
  @Order(8)
  void aDeletedFleetTakesItsRolesInOtherNamespacesAlong() {
    String reader = Names.fleetBundleReader(FLEETS, "edge");
    assertThat(client.resources(Role.class).inNamespace(APIS).withName(reader).get()).isNotNull();
    client.resources(GatewayCluster.class).inNamespace(FLEETS).withName("edge").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(GatewayCluster.class).inNamespace(FLEETS)
        .withName("edge").get() == null);
    assertThat(client.resources(Role.class).inNamespace(APIS).withName(reader).get()).isNull();
    assertThat(client.resources(RoleBinding.class).inNamespace(APIS).withName(reader).get()).isNull();
  }

  @Test
  @Order(9)
  void aFleetNamingAMissingSecretIsNotDeployedUntilTheSecretExists() {
    GatewayClusterSpec spec = new GatewayClusterSpec();
    spec.setRuntimeImage("127.0.0.1:1/gantry/runtime:0.1.0");
    spec.setSecrets(List.of("partner-keys"));
    client.resource(new GatewayCluster(FLEETS, "locked", spec)).create();
    var condition = await().atMost(Duration.ofSeconds(30)).until(() -> {
      GatewayCluster fleet = client.resources(GatewayCluster.class).inNamespace(FLEETS).withName("locked").get();
      return fleet.getStatus() == null ? null : dev.gantry.operator.status.Conditions.find(fleet.getStatus(),
          dev.gantry.operator.status.Conditions.RESOLVED_REFS).filter(c -> "False".equals(c.getStatus())).orElse(null);
    }, c -> c != null);
    assertThat(condition.getReason()).isEqualTo("SecretNotFound");
    assertThat(condition.getMessage()).contains("spec.secrets").contains("partner-keys").contains(FLEETS);
    assertThat(client.apps().deployments().inNamespace(FLEETS).withName(Names.fleet("locked")).get()).isNull();

    client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("partner-keys")
        .withNamespace(FLEETS).endMetadata().addToStringData("keys", "k\n").build()).create();
    await().atMost(Duration.ofSeconds(40)).until(() -> client.apps().deployments().inNamespace(FLEETS)
        .withName(Names.fleet("locked")).get() != null);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
