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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
  static final Path RUNTIME = Path.of("../runtime-image/target");
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  static KubernetesClient client;
  @TempDir
  static Path temp;
  static HttpServer backend;
  static Operator operator;
  static FleetProcess gateway;

  /** `run fleet` of the built runtime, with the args the operator gave the fleet's Deployment. */
  static final class FleetProcess {
    final List<String> args;
    final Path cache = temp.resolve("cache");
    final Path log = temp.resolve("fleet.log");
    final int port;
    final int management;
    Process process;

    FleetProcess(List<String> deploymentArgs) throws IOException {
      this.port = freePort();
      this.management = freePort();
      List<String> args = new ArrayList<>(deploymentArgs.stream()
          .filter(a -> !a.startsWith("--cache-dir=") && !a.startsWith("--secrets-dir=")).toList());
      args.addAll(List.of("--cache-dir=" + cache, "--secrets-dir=" + temp.resolve("secrets"), "--host=127.0.0.1",
          "--port=" + port, "--management-port=" + management, "--instances=1", "--no-access-log",
          "--shutdown-grace=2"));
      this.args = args;
    }

    void start(Path kubeconfig) throws Exception {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx96m", "-cp", RUNTIME.resolve("gantry-runtime.jar") + java.io.File.pathSeparator
              + RUNTIME.resolve("lib") + "/*", "dev.gantry.runtime.server.GatewayMain"));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().remove("KUBERNETES_SERVICE_HOST");
      process = builder.start();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .failFast("the fleet gateway exited; see " + log, () -> !process.isAlive())
          .until(() -> status(URI.create("http://127.0.0.1:" + management + "/health/ready")) == 200);
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    int get(String path) {
      return status(URI.create("http://127.0.0.1:" + port + path));
    }

    String log() throws IOException {
      return Files.readString(log);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    assertThat(RUNTIME.resolve("gantry-runtime.jar")).as("the fleet gateway runs the built runtime: build "
        + "runtime-image first (./mvnw -pl runtime-image -am install -DskipTests)").isRegularFile();
    assertThat(RUNTIME.resolve("lib")).as("runtime-image/target/lib: build runtime-image first").isDirectory();
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/", exchange -> {
      byte[] body = exchange.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    backend.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    backend.start();

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
        spec: {urls: ["http://127.0.0.1:%d"]}
        """.formatted(APIS, backend.getAddress().getPort()), Endpoint.class)).create();
    operator = OperatorFixture.start(client, OperatorFixture.metrics(), dev.gantry.operator.api.BuildContextSource.unavailable());

    GatewayClusterSpec spec = new GatewayClusterSpec();
    spec.setRuntimeImage("127.0.0.1:1/gantry/runtime:0.1.0");
    spec.setZone("eu");
    spec.setLabels(Map.of("tier", "shared"));
    spec.setNamespaces(List.of(APIS));
    client.resource(new GatewayCluster(FLEETS, "edge", spec)).create();
    Deployment deployment = await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments()
        .inNamespace(FLEETS).withName(Names.fleet("edge")).get(), d -> d != null);
    gateway = new FleetProcess(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    gateway.start(kubeconfig("kubeconfig", client.getConfiguration().getMasterUrl()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null && gateway.process != null) {
      gateway.kill();
      System.out.println("fleet gateway log:\n" + gateway.log()); // in the failsafe report, for when a test fails
    }
    if (operator != null) {
      operator.stop();
    }
    if (backend != null) {
      backend.stop(0);
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
    client.resources(Api.class).inNamespace(APIS).withName(name).edit(api -> {
      api.getSpec().setState(state);
      return api;
    });
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
    assertThat(gateway.args).contains("--source=kubernetes", "--namespaces=" + APIS, "--label=zone=eu");
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
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    Map<Integer, Integer> failures = new ConcurrentHashMap<>();
    List<Thread> load = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Thread thread = new Thread(() -> {
        while (running.get()) {
          int status = gateway.get("/orders/v1/items");
          if (status == 200) {
            ok.incrementAndGet();
          } else {
            failures.merge(status, 1, Integer::sum);
          }
        }
      });
      thread.start();
      load.add(thread);
    }
    String before = bundle("orders").getMetadata().getAnnotations().get(BundleConfigMap.ANNOTATION_DIGEST);
    try {
      for (int update = 1; update <= 3; update++) {
        OperatorFixture.definition(client, APIS, "orders", definition("orders", "/items", "/v" + update));
        awaitStatus("/orders/v1/v" + update, 200);
      }
    } finally {
      running.set(false);
      for (Thread thread : load) {
        thread.join(10_000);
      }
    }
    assertThat(bundle("orders").getMetadata().getAnnotations().get(BundleConfigMap.ANNOTATION_DIGEST))
        .as("a new bundle digest").isNotEqualTo(before);
    assertThat(failures).as("failed requests during the swaps, by status (-1: I/O error)").isEmpty();
    assertThat(ok.get()).as("requests served during the swaps").isGreaterThan(3);
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
    gateway.start(temp.resolve("kubeconfig"));
    assertThat(gateway.get("/orders/v1/v3")).as("served as soon as ready").isEqualTo(200);
    assertThat(gateway.get("/marker/v1/ping")).isEqualTo(200);
    assertThat(gateway.get("/usonly/v1/rates")).isEqualTo(404);
  }

  @Test
  @Order(7)
  void withTheApiServerUnreachableARestartedGatewayServesFromItsCache() throws Exception {
    gateway.kill();
    int closed = freePort(); // nothing listens there: the API server does not answer
    gateway.start(kubeconfig("unreachable", "https://127.0.0.1:" + closed));
    assertThat(gateway.get("/orders/v1/v3")).isEqualTo(200);
    assertThat(gateway.get("/marker/v1/ping")).isEqualTo(200);
    assertThat(gateway.get("/usonly/v1/rates")).isEqualTo(404);
    assertThat(gateway.log()).contains("serving 2 APIs from the cache");
  }

  static int status(URI uri) {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
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

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
