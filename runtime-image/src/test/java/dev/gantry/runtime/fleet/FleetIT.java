package dev.gantry.runtime.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.runtime.server.GatewayMain;
import dev.gantry.runtime.support.TestBundles;
import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.fleet.ApiState;
import dev.gantry.toolkit.fleet.GatewaySelector;
import dev.gantry.toolkit.fleet.ManagementRepository;
import dev.gantry.toolkit.fleet.RepositoryAddress;
import dev.gantry.toolkit.fleet.testing.LocalPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * Two fleets in two separate gateway processes (zone eu and zone us, both tier=shared) share one
 * real PostgreSQL repository; the test publishes, stops, starts and updates APIs through the
 * toolkit's ManagementRepository, as the operator and `gantry fleet` do, and talks HTTP to both.
 * {@code -Dfleet.updates=N} sets how many updates the propagation/hot-swap test makes (bench/fleet.sh: 100).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIT {
  static final String ENVIRONMENT = "it";
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  static Path temp;
  static LocalPostgres postgres;
  static ManagementRepository repository;
  static Vertx vertx;
  static HttpServer backend;
  static FleetProcess eu;
  static FleetProcess us;
  static final AtomicInteger BUNDLES = new AtomicInteger();

  /** A fleet gateway process: `run fleet` on the test class path. */
  static final class FleetProcess {
    final String zone;
    final Path cache;
    final int port;
    final int management;
    Process process;

    FleetProcess(String zone) throws IOException {
      this.zone = zone;
      this.cache = temp.resolve("cache-" + zone);
      this.port = freePort();
      this.management = freePort();
    }

    void start() throws Exception {
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx96m", "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), "fleet",
          "--fleet=shared-" + zone, "--zone=" + zone, "--label=tier=shared", "--cluster=cluster-" + zone,
          "--repository-url=" + postgres.jdbcUrl(), "--environment=" + ENVIRONMENT, "--cache-dir=" + cache,
          "--secrets-dir=" + temp, "--host=127.0.0.1", "--port=" + port, "--management-port=" + management,
          "--instance=gateway-" + zone, "--instances=1", "--no-access-log", "--poll-interval=2", "--shutdown-grace=2")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(temp.resolve(zone + ".log").toFile()));
      builder.environment().put("GANTRY_REPOSITORY_USER", LocalPostgres.USER);
      builder.environment().put("GANTRY_REPOSITORY_PASSWORD", LocalPostgres.PASSWORD);
      process = builder.start();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> status(URI.create("http://127.0.0.1:" + management + "/health/ready")) == 200);
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    int get(String path) {
      return status(URI.create("http://127.0.0.1:" + port + path));
    }

    String log() throws IOException {
      return Files.readString(temp.resolve(zone + ".log"));
    }
  }

  @BeforeAll
  static void start() throws Exception {
    postgres = LocalPostgres.start();
    repository = new ManagementRepository(new RepositoryAddress(postgres.jdbcUrl(), LocalPostgres.USER,
        LocalPostgres.PASSWORD));
    repository.migrate();
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer().requestHandler(r -> r.response().end(r.path()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    eu = new FleetProcess("eu");
    us = new FleetProcess("us");
    eu.start();
    us.start();
  }

  @AfterAll
  static void stop() throws Exception {
    for (FleetProcess fleet : new FleetProcess[] {eu, us}) {
      if (fleet != null && fleet.process != null) {
        fleet.kill();
      }
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /** A compiled bundle and this environment's settings for it. */
  record Compiled(Bundle bundle, byte[] environment) {}

  /** Publishes API {@code name} v1 with /steady and {@code extraPath}, selected by {@code gateways}. */
  static Bundle publish(String name, String extraPath, String gateways) throws Exception {
    return publish(name, compile(name, extraPath), gateways);
  }

  static Bundle publish(String name, Compiled compiled, String gateways) throws Exception {
    repository.publish(ENVIRONMENT, name, "v1", compiled.bundle(), compiled.environment(),
        GatewaySelector.parse(gateways), ApiState.STARTED);
    return compiled.bundle();
  }

  /** Compiles API {@code name} v1 with /steady and {@code extraPath}, as `gantry build` does. */
  static Compiled compile(String name, String extraPath) throws Exception {
    Path out = temp.resolve("bundle-" + BUNDLES.incrementAndGet());
    Bundle bundle = TestBundles.build(out, name, "v1", """
        openapi: 3.0.3
        info: {title: %s, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /steady: {get: {responses: {"200": {description: ok}}}}
          %s: {get: {responses: {"200": {description: ok}}}}
        """.formatted(name, extraPath), """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend}
        spec: {urls: ["http://127.0.0.1:%d"]}
        """.formatted(backend.actualPort()));
    return new Compiled(bundle, Files.readAllBytes(out.resolve("environment.yaml")));
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

  static void awaitStatus(FleetProcess fleet, String path, int status) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> fleet.get(path) == status);
  }

  @Test
  @Order(1)
  void publishedApisAreServedByTheFleetsTheySelectStoppedOnesAreNotAndStartComesBack() throws Exception {
    publish("orders", "/items", "tier=shared");
    awaitStatus(eu, "/orders/v1/items", 200);
    awaitStatus(us, "/orders/v1/items", 200);

    publish("eurates", "/rates", "zone=eu");
    awaitStatus(eu, "/eurates/v1/rates", 200);
    publish("marker", "/ping", "zone=us"); // once us serves this, it has seen eurates too
    awaitStatus(us, "/marker/v1/ping", 200);
    assertThat(us.get("/eurates/v1/rates")).as("an API for zone=eu on the zone=us fleet").isEqualTo(404);

    repository.setState(ENVIRONMENT, "orders", ApiState.STOPPED);
    awaitStatus(eu, "/orders/v1/items", 404);
    awaitStatus(us, "/orders/v1/items", 404);
    assertThat(repository.apis(ENVIRONMENT)).anySatisfy(a -> {
      assertThat(a.name()).isEqualTo("orders");
      assertThat(a.state()).isEqualTo(ApiState.STOPPED); // the definition stays
    });
    assertThat(eu.get("/eurates/v1/rates")).isEqualTo(200); // other APIs are untouched

    repository.setState(ENVIRONMENT, "orders", ApiState.STARTED);
    awaitStatus(eu, "/orders/v1/items", 200);
    awaitStatus(us, "/orders/v1/items", 200);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(repository.gateways(ENVIRONMENT))
        .anySatisfy(g -> {
          assertThat(g.instance()).isEqualTo("gateway-eu");
          assertThat(g.zone()).isEqualTo("eu");
          assertThat(g.loaded()).containsKeys("orders", "eurates").doesNotContainKey("marker");
          assertThat(g.endpoints()).singleElement().satisfies(e -> assertThat(e.uri()).endsWith(":" + eu.port));
        }));
  }

  @Test
  @Order(2)
  void updatesReachEveryGatewayAndNoRequestFailsDuringTheSwaps() throws Exception {
    int updates = Integer.getInteger("fleet.updates", 10);
    publish("swap", "/v0", "tier=shared");
    awaitStatus(eu, "/swap/v1/v0", 200);
    awaitStatus(us, "/swap/v1/v0", 200);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    Map<Integer, Integer> failures = new ConcurrentHashMap<>();
    List<Thread> load = new ArrayList<>();
    for (FleetProcess fleet : new FleetProcess[] {eu, us}) {
      for (int i = 0; i < 2; i++) {
        Thread thread = new Thread(() -> {
          while (running.get()) {
            int status = fleet.get("/swap/v1/steady");
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
    }
    List<Long> propagationMillis = new ArrayList<>();
    Bundle last = null;
    for (int update = 1; update <= updates; update++) {
      Compiled next = compile("swap", "/v" + update); // before the clock starts: we time repository and gateways
      long start = System.nanoTime();
      last = publish("swap", next, "tier=shared");
      awaitStatus(eu, "/swap/v1/v" + update, 200);
      awaitStatus(us, "/swap/v1/v" + update, 200);
      propagationMillis.add((System.nanoTime() - start) / 1_000_000);
    }
    running.set(false);
    for (Thread thread : load) {
      thread.join(10_000);
    }
    String digest = last.digest();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(repository.gateways(ENVIRONMENT))
        .hasSize(2).allSatisfy(g -> assertThat(g.loaded()).containsEntry("swap", digest)));

    List<Long> sorted = propagationMillis.stream().sorted().toList();
    System.out.printf("fleet: %d updates, publish -> served by both fleets: p50 %d ms, p99 %d ms, max %d ms; "
            + "%d requests during the swaps, %d failed%n", updates, sorted.get(sorted.size() / 2),
        sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)), sorted.get(sorted.size() - 1),
        ok.get(), failures.values().stream().mapToInt(Integer::intValue).sum());
    assertThat(failures).as("failed requests during the swaps, by status (-1: I/O error)").isEmpty();
    assertThat(ok.get()).as("requests served during the swaps").isGreaterThan(updates);
  }

  @Test
  @Order(3)
  void withTheRepositoryDownGatewaysKeepServingEvenAfterARestartAndCatchUpWhenItReturns() throws Exception {
    publish("steady", "/here", "tier=shared");
    awaitStatus(eu, "/steady/v1/here", 200);
    awaitStatus(us, "/steady/v1/here", 200);

    postgres.stop();
    try {
      assertThat(eu.get("/steady/v1/here")).isEqualTo(200);
      assertThat(us.get("/steady/v1/here")).isEqualTo(200);
      us.kill();
      us.start(); // ready with the repository still down: it serves from its disk cache
      assertThat(us.get("/steady/v1/here")).isEqualTo(200);
      assertThat(us.get("/orders/v1/items")).isEqualTo(200);
      assertThat(us.log()).contains("unavailable");
    } finally {
      postgres.resume();
    }
    publish("steady", "/after", "tier=shared");
    awaitStatus(eu, "/steady/v1/after", 200);
    awaitStatus(us, "/steady/v1/after", 200);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
