package dev.gantry.operator.fleet;

import static dev.gantry.operator.OperatorFixture.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiState;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.GatewayCluster;
import dev.gantry.crds.v1alpha1.ManagementContext;
import dev.gantry.operator.OperatorFixture;
import dev.gantry.operator.api.BuildContextSource;
import dev.gantry.operator.settings.SettingsParser;
import dev.gantry.operator.status.Conditions;
import dev.gantry.toolkit.fleet.GatewayInstance;
import dev.gantry.toolkit.fleet.ManagementRepository;
import dev.gantry.toolkit.fleet.PublishedApi;
import dev.gantry.toolkit.fleet.RepositoryAddress;
import dev.gantry.toolkit.fleet.testing.LocalPostgres;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 end to end: two clusters (two mock API servers, an operator in each, settings
 * {@code clusterName} eu and us) share one central repository (a real PostgreSQL). Each has a
 * GatewayCluster with source repository; its pod runs as a separate process from the very command
 * line and environment the operator put in the fleet's Deployment. APIs with {@code local: false}
 * are added in cluster eu as {@code kubectl add api} would; both clusters' gateways serve them.
 * {@code -Dfleet.updates=N} sets how many definition updates the hot-swap test makes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CentralFleetIT {
  static final String FLEETS = "fleets";
  static final String SHOP = "shop";
  static final String ENVIRONMENT = "prod";

  @TempDir
  static Path temp;
  static LocalPostgres postgres;
  static ManagementRepository repository;
  static EchoBackend backend;
  static MockCluster eu;
  static MockCluster us;

  /** One "cluster": its API server, operator and fleet gateway pod. */
  static final class MockCluster implements AutoCloseable {
    final String name;
    final KubernetesMockServer server;
    final KubernetesClient client;
    final Operator operator;
    FleetGatewayProcess gateway;

    MockCluster(String name) throws Exception {
      this.name = name;
      server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
          new KubernetesCrudDispatcher(), false);
      server.init(InetAddress.getLoopbackAddress(), 0);
      client = server.createClient();
      OperatorFixture.installCrds(client);
      // No image is built for fleet APIs; the registry settings are required all the same and never contacted.
      OperatorFixture.settings(client, Map.of(SettingsParser.REGISTRY, "127.0.0.1:9/apis",
          SettingsParser.RUNTIME_IMAGE, "127.0.0.1:9/gantry/runtime:0.1.0", SettingsParser.CLUSTER_NAME, name));
      operator = OperatorFixture.start(client, OperatorFixture.metrics(), BuildContextSource.unavailable());
      OperatorFixture.namespace(client, FLEETS);
      OperatorFixture.namespace(client, SHOP);
      client.resource(new SecretBuilder().withNewMetadata().withName("central").withNamespace(FLEETS).endMetadata()
          .addToData("username", base64(LocalPostgres.USER)).addToData("password", base64(LocalPostgres.PASSWORD))
          .build()).create();
      create(ManagementContext.class, FLEETS, "apiVersion: gantry.dev/v1alpha1\nkind: ManagementContext\n"
          + "metadata: {name: central}\n"
          + "spec: {jdbcUrl: '" + postgres.jdbcUrl() + "', secretRef: {name: central}, environment: " + ENVIRONMENT + "}\n");
      // Each cluster has its own copy of the keys a secured API reads: the fleet mounts it (spec.secrets).
      client.resource(new SecretBuilder().withNewMetadata().withName("vault-keys").withNamespace(FLEETS).endMetadata()
          .addToData("keys", base64("key-" + name + "\n")).build()).create();
      create(GatewayCluster.class, FLEETS, "apiVersion: gantry.dev/v1alpha1\nkind: GatewayCluster\n"
          + "metadata: {name: shared}\n"
          + "spec: {runtimeImage: '127.0.0.1:9/gantry/runtime:0.1.0', replicas: 1, zone: " + name + ", "
          + "labels: {tier: shared}, source: repository, contextRef: {name: central}, secrets: [vault-keys]}\n");
      create(Endpoint.class, SHOP, "apiVersion: gantry.dev/v1alpha1\nkind: Endpoint\nmetadata: {name: backend}\n"
          + "spec: {urls: ['" + backend.url() + "']}\n");
    }

    <T extends io.fabric8.kubernetes.api.model.HasMetadata> void create(Class<T> kind, String ns, String yaml) {
      T resource = Serialization.unmarshal(yaml, kind);
      resource.getMetadata().setNamespace(ns);
      client.resource(resource).create();
    }

    /** What {@code kubectl add api NAME --from-file=…} writes, for a {@code local: false} API. */
    void addApi(String api, String definition, String gateways) {
      definition(api, definition);
      create(Api.class, SHOP, "apiVersion: gantry.dev/v1alpha1\nkind: API\nmetadata: {name: " + api + "}\n"
          + "spec: {definitions: [" + api + "-openapi], version: v1, local: false, "
          + "contextRef: {name: central, namespace: " + FLEETS + "}, gateways: {matchLabels: {" + gateways + "}}}\n");
    }

    void definition(String api, String definition) {
      client.resource(new ConfigMapBuilder().withNewMetadata().withName(api + "-openapi").withNamespace(SHOP)
          .endMetadata().addToData(api + ".yaml", definition).build()).createOr(r -> r.update());
    }

    void state(String api, ApiState state) {
      OperatorFixture.state(client, SHOP, api, state);
    }

    @Override
    public void close() throws Exception {
      if (gateway != null) {
        gateway.close();
      }
      operator.stop();
      client.close();
      server.destroy();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    postgres = LocalPostgres.start();
    repository = new ManagementRepository(new RepositoryAddress(postgres.jdbcUrl(), LocalPostgres.USER,
        LocalPostgres.PASSWORD));
    backend = EchoBackend.start();
    eu = new MockCluster("eu");
    us = new MockCluster("us");
    for (MockCluster cluster : List.of(eu, us)) {
      awaitFleet(cluster, "ContextReady", () -> fleetDeployed(cluster));
      cluster.gateway = FleetGatewayProcess.of(cluster.client, FLEETS, "shared", "gateway-" + cluster.name, temp)
          .start();
    }
  }

  static void awaitFleet(MockCluster cluster, String what, java.util.concurrent.Callable<Boolean> check) {
    await(cluster.name + ": " + what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(check);
  }

  static boolean fleetDeployed(MockCluster cluster) {
    GatewayCluster fleet = cluster.client.resources(GatewayCluster.class).inNamespace(FLEETS).withName("shared").get();
    return fleet != null && fleet.getStatus() != null && Conditions.isTrue(fleet.getStatus(), Conditions.DEPLOYED);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {eu, us}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    if (backend != null) {
      backend.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static String definition(String api, String... paths) {
    StringBuilder text = new StringBuilder("openapi: 3.0.3\ninfo: {title: " + api + ", version: v1}\n"
        + "x-gantry-basepath: /" + api + "\nx-gantry-endpoint: backend\npaths:\n");
    for (String path : paths) {
      text.append("  ").append(path).append(":\n    get:\n      responses:\n        \"200\": {description: ok}\n");
    }
    return text.toString();
  }

  static List<FleetGatewayProcess> gateways() {
    return List.of(eu.gateway, us.gateway);
  }

  static void awaitServed(String path, int status) {
    for (FleetGatewayProcess gateway : gateways()) {
      await(gateway.instance + " answers " + status + " for " + path).atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20)).until(() -> gateway.get(path) == status);
    }
  }

  @Test
  @Order(1)
  void theFleetPodsRunWhatTheOperatorDeployedAndRegisterThemselves() throws Exception {
    assertThat(eu.gateway.command()).contains("--source=repository", "--environment=" + ENVIRONMENT,
        "--repository-url=" + postgres.jdbcUrl(), "--cluster=eu", "--zone=eu", "--label=tier=shared");
    assertThat(eu.gateway.command()).noneMatch(arg -> arg.contains(LocalPostgres.PASSWORD)); // only in the env
    await().atMost(Duration.ofSeconds(30)).until(() -> repository.gateways(ENVIRONMENT).size() == 2);
    assertThat(repository.gateways(ENVIRONMENT)).extracting(GatewayInstance::cluster).containsExactly("eu", "us");
  }

  @Test
  @Order(2)
  void anApiAddedInOneClusterIsServedByTheFleetsOfBoth() throws Exception {
    eu.addApi("cart", definition("cart", "/items"), "tier: shared");
    awaitServed("/cart/items", 200);
    Api api = eu.client.resources(Api.class).inNamespace(SHOP).withName("cart").get();
    assertThat(api.getStatus().getImage()).isNull(); // no image for the central repository
    var deployed = awaitCondition(eu.client, SHOP, "cart", Conditions.DEPLOYED, Conditions.TRUE, "Published");
    assertThat(deployed.getMessage()).contains("environment " + ENVIRONMENT);
    assertThat(repository.apis(ENVIRONMENT)).singleElement().satisfies(p -> {
      assertThat(p.owner()).isEqualTo("eu/" + SHOP + "/cart");
      assertThat(p.bundleDigest()).isEqualTo(api.getStatus().getBundleDigest());
    });
    assertThat(eu.gateway.get("/cart/nothing")).isEqualTo(404);

    // Each cluster's GatewayCluster status lists its own gateway, as registered, with the API it now serves.
    for (MockCluster cluster : List.of(eu, us)) {
      await(cluster.name + " GatewayCluster status.instances").atMost(Duration.ofSeconds(40)).untilAsserted(() ->
          assertThat(cluster.client.resources(GatewayCluster.class).inNamespace(FLEETS).withName("shared").get()
              .getStatus().getInstances()).singleElement().satisfies(i -> {
                assertThat(i.getName()).isEqualTo("gateway-" + cluster.name);
                assertThat(i.getZone()).isEqualTo(cluster.name);
                assertThat(i.getApis()).isEqualTo(1);
              }));
    }
  }

  @Test
  @Order(3)
  void anApiForOneZoneIsNotServedInTheOther() throws Exception {
    eu.addApi("eurates", definition("eurates", "/rates"), "zone: eu");
    eu.addApi("usonly", definition("usonly", "/ping"), "zone: us");
    await().atMost(Duration.ofSeconds(30)).until(() -> us.gateway.get("/usonly/ping") == 200
        && eu.gateway.get("/eurates/rates") == 200);
    // Both were published before either was served: each gateway has seen both.
    assertThat(us.gateway.get("/eurates/rates")).isEqualTo(404);
    assertThat(eu.gateway.get("/usonly/ping")).isEqualTo(404);
  }

  @Test
  @Order(4)
  void aSecuredApiChecksTheKeysThatEachClustersFleetMounts() throws Exception {
    eu.client.resource(new SecretBuilder().withNewMetadata().withName("vault-keys").withNamespace(SHOP).endMetadata()
        .addToData("keys", base64("key-eu\n")).build()).create();
    eu.create(dev.gantry.crds.v1alpha1.Security.class, SHOP, "apiVersion: gantry.dev/v1alpha1\nkind: Security\n"
        + "metadata: {name: vault-key}\n"
        + "spec: {type: apikey, apikey: {in: header, name: X-API-Key, keysSecretRef: {name: vault-keys, key: keys}}}\n");
    eu.addApi("vault", definition("vault", "/secrets").replace("paths:\n", "security: [{vault-key: []}]\npaths:\n"),
        "tier: shared");
    awaitServed("/vault/secrets", 401);
    for (MockCluster cluster : List.of(eu, us)) {
      assertThat(cluster.gateway.get("/vault/secrets", "X-API-Key", "key-" + cluster.name)).isEqualTo(200);
    }
    // The other cluster's key is not valid here: secrets are this cluster's, never in the published bundle.
    assertThat(us.gateway.get("/vault/secrets", "X-API-Key", "key-eu")).isEqualTo(401);
  }

  @Test
  @Order(5)
  void stopUnpublishesFromEveryGatewayWhileTheDefinitionStaysAndStartRestoresIt() throws Exception {
    eu.state("cart", ApiState.STOPPED);
    awaitServed("/cart/items", 404);
    awaitCondition(eu.client, SHOP, "cart", Conditions.DEPLOYED, Conditions.FALSE, "Stopped");
    assertThat(repository.apis(ENVIRONMENT)).filteredOn(p -> p.name().equals("cart")).singleElement()
        .extracting(PublishedApi::state).isEqualTo(dev.gantry.toolkit.fleet.ApiState.STOPPED);

    eu.state("cart", ApiState.STARTED);
    awaitServed("/cart/items", 200);
    awaitCondition(eu.client, SHOP, "cart", Conditions.DEPLOYED, Conditions.TRUE, "Published");
  }

  @Test
  @Order(6)
  void theSameApiNameFromTheOtherClusterIsRefusedAndNothingOfItIsServed() throws Exception {
    us.addApi("cart", definition("cart", "/items", "/intruder"), "tier: shared");
    var refused = awaitCondition(us.client, SHOP, "cart", Conditions.DEPLOYED, Conditions.FALSE,
        RepositoryPublisher.PUBLISHED_ELSEWHERE);
    assertThat(refused.getMessage()).contains("eu/" + SHOP + "/cart").contains("environment " + ENVIRONMENT);
    assertThat(repository.apis(ENVIRONMENT)).filteredOn(p -> p.name().equals("cart")).singleElement()
        .extracting(PublishedApi::owner).isEqualTo("eu/" + SHOP + "/cart");
    assertThat(eu.gateway.get("/cart/intruder")).isEqualTo(404);
    assertThat(eu.gateway.get("/cart/items")).isEqualTo(200);
  }

  @Test
  @Order(7)
  void definitionUpdatesReachEveryGatewayWithoutAFailedRequest() throws Exception {
    int updates = Integer.getInteger("fleet.updates", 5);
    List<Long> millis = new ArrayList<>();
    SwapLoad load = new SwapLoad(List.of(eu.gateway, eu.gateway, us.gateway, us.gateway), "/cart/items");
    try (load) {
      for (int i = 1; i <= updates; i++) {
        long start = System.nanoTime();
        eu.definition("cart", definition("cart", "/items", "/v" + i));
        awaitServed("/cart/v" + i, 200);
        millis.add((System.nanoTime() - start) / 1_000_000);
      }
    }
    String digest = eu.client.resources(Api.class).inNamespace(SHOP).withName("cart").get().getStatus()
        .getBundleDigest();
    await().atMost(Duration.ofSeconds(30)).until(() -> repository.gateways(ENVIRONMENT).stream()
        .allMatch(g -> digest.equals(g.loaded().get("cart"))));
    millis.sort(Long::compare);
    System.out.printf("central fleet: %d definition updates, ConfigMap -> served by both clusters' gateways: "
        + "p50 %d ms, p99 %d ms, max %d ms; %d requests during the swaps, %d failed%n", updates,
        millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.99) - 1),
        millis.get(millis.size() - 1), load.sent(), load.failures().size());
    assertThat(load.failures()).isEmpty();
    assertThat(load.sent()).isGreaterThan(updates);
  }

  @Test
  @Order(8)
  void aChangeMadeWhileTheRepositoryIsDownArrivesWhenItReturnsAndGatewaysServeThroughout() throws Exception {
    postgres.stop();
    try {
      eu.definition("cart", definition("cart", "/items", "/during-outage"));
      // The publish fails (RepositoryUnavailable), or the context's recheck came first (ContextNotReady): both name it.
      var down = awaitCondition(eu.client, SHOP, "cart", Conditions.DEPLOYED, Conditions.FALSE, null);
      assertThat(down.getReason()).isIn(RepositoryPublisher.UNAVAILABLE, "ContextNotReady");
      assertThat(down.getMessage()).contains(postgres.jdbcUrl());
      for (FleetGatewayProcess gateway : gateways()) {
        assertThat(gateway.get("/cart/items")).isEqualTo(200); // the last known bundle keeps serving
      }
    } finally {
      postgres.resume();
    }
    // The operator retries with back-off and the context is looked at again every 30 s; the gateways reconnect.
    for (FleetGatewayProcess gateway : gateways()) {
      await(gateway.instance + " serves the change made during the outage").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100)).until(() -> gateway.get("/cart/during-outage") == 200);
    }
    awaitCondition(eu.client, SHOP, "cart", Conditions.DEPLOYED, Conditions.TRUE, "Published");
  }

  @Test
  @Order(9)
  void aContextStillReferencedIsNotDeletedAndSaysWhoHoldsIt() {
    var context = eu.client.resources(ManagementContext.class).inNamespace(FLEETS).withName("central");
    awaitStatus(() -> context.get().getStatus(), Conditions.READY, Conditions.TRUE, ManagementContextReconciler.CONNECTED);
    context.delete();
    var inUse = awaitStatus(() -> context.get().getStatus(), Conditions.READY, Conditions.FALSE,
        ManagementContextReconciler.IN_USE);
    assertThat(inUse.getMessage()).contains("API " + SHOP + "/cart").contains("GatewayCluster " + FLEETS + "/shared");
    assertThat(context.get().getStatus().getConditions()).filteredOn(c -> c.getType().equals(Conditions.READY))
        .hasSize(1);
    assertThat(eu.gateway.get("/cart/items")).isEqualTo(200); // nothing stopped serving
  }

  @Test
  @Order(10)
  void aDeletedApiLeavesTheRepositoryAndEveryGatewayAndThenTheContextGoesWithItsLastReferrer() throws Exception {
    Api usonly = eu.client.resources(Api.class).inNamespace(SHOP).withName("usonly").get();
    assertThat(usonly.getMetadata().getFinalizers()).containsExactly("gantry.dev/central-repository");
    eu.client.resource(usonly).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> us.gateway.get("/usonly/ping") == 404);
    await().atMost(Duration.ofSeconds(30))
        .until(() -> eu.client.resources(Api.class).inNamespace(SHOP).withName("usonly").get() == null);
    assertThat(repository.apis(ENVIRONMENT)).extracting(PublishedApi::name).doesNotContain("usonly");
    assertThat(repository.events(ENVIRONMENT, "usonly")).extracting(e -> e.kind()).endsWith("REMOVED");

    // The last referrers go; the context held since the previous test goes with them.
    eu.client.resources(Api.class).inNamespace(SHOP).delete();
    eu.client.resources(GatewayCluster.class).inNamespace(FLEETS).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> repository.apis(ENVIRONMENT).isEmpty()
        && eu.client.resources(ManagementContext.class).inNamespace(FLEETS).withName("central").get() == null);
    awaitServed("/cart/items", 404);
  }

  static io.fabric8.kubernetes.api.model.Condition awaitStatus(
      java.util.function.Supplier<dev.gantry.crds.v1alpha1.GantryStatus> status, String type, String value,
      String reason) {
    return await(type + "=" + value + " " + reason).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> status.get() == null ? null : Conditions.find(status.get(), type)
            .filter(c -> value.equals(c.getStatus()) && reason.equals(c.getReason())).orElse(null), c -> c != null);
  }

  static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
