package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.server.ClientTimeouts;
import dev.gantry.runtime.server.ConnectionBounds;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import dev.gantry.runtime.support.RawResponses;
import dev.gantry.runtime.support.Scrape;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traffic port's connection bound, over real sockets (a bound of 3, two event loops, client
 * timeouts long enough not to interfere): at the bound the gateway stops accepting, a further
 * connection waits in the kernel's backlog and is served once one of the others closes, and the
 * management port still answers meanwhile. The counts are on /metrics. A bound per client address
 * closes a client's connection over it as it comes, and leaves other clients (another loopback
 * address) served.
 */
class ConnectionLimitIT {
  static final String OPENAPI = """
      openapi: 3.0.3
      info: {title: bounded, version: "1"}
      x-gantry-endpoint: backend
      paths:
        /fast: {get: {operationId: fast, responses: {"200": {description: ok}}}}
      """;
  static final String RESOURCES = """
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: backend}
      spec: {urls: ["http://127.0.0.1:%d"]}
      """;
  static final int BOUND = 3;

  @TempDir
  static Path temp;
  static Vertx vertx;
  static HttpServer backend;
  static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer().requestHandler(request -> request.response().end("fast"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestBundles.build(temp.resolve("out"), "bounded", "v1", OPENAPI, RESOURCES.formatted(backend.actualPort()));
    GatewayConfig config = new ConfigLoader(Map.of())
        .load(temp.resolve("out/bundle"), temp.resolve("out/environment.yaml"), temp);
    ClientTimeouts timeouts = new ClientTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
    gateway = GatewayServer.start(config, new ServerSettings("127.0.0.1", 0, 0, null, null, 2, false, Duration.ZERO,
        Duration.ofSeconds(1), timeouts, new ConnectionBounds(BOUND, 0))).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", gateway.port()); // the kernel completes it, accepted or not
    socket.setSoTimeout(5000);
    return socket;
  }

  static void send(Socket socket, String text) throws IOException {
    RawResponses.send(socket, text);
  }

  static String management(String path) throws Exception {
    return Scrape.get(gateway.managementPort(), path);
  }

  static double metric(String series) throws Exception {
    Double value = Scrape.metric(gateway.managementPort(), Pattern.quote(series));
    assertThat(value).as("%s on /metrics", series).isNotNull();
    return value;
  }

  /** Waits up to 5 s for the traffic port's open-connection gauge to read {@code expected}. */
  static void awaitOpen(double expected) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (metric("gantry_client_connections{port=\"traffic\"}") != expected && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(metric("gantry_client_connections{port=\"traffic\"}")).isEqualTo(expected);
  }

  @Test
  void atTheBoundANewConnectionWaitsUntilOneClosesAndTheManagementPortStillAnswers() throws Exception {
    double reached = metric("gantry_connection_limit_reached_total{port=\"traffic\"}");
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < BOUND; i++) { // half-sent heads: what a slowloris holds
        Socket socket = connect();
        send(socket, "GET /bounded/v1/fast HTTP/1.1\r\nHost: x\r\n");
        held.add(socket);
      }
      awaitOpen(BOUND);
      assertThat(metric("gantry_connection_limit_reached_total{port=\"traffic\"}")).isEqualTo(reached + 1);
      assertThat(metric("gantry_client_connections_max{port=\"traffic\"}")).isEqualTo(BOUND);

      try (Socket waiting = connect()) {
        send(waiting, "GET /bounded/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
        waiting.setSoTimeout(1000);
        assertThatThrownBy(() -> waiting.getInputStream().read()).as("not accepted while at the bound")
            .isInstanceOf(SocketTimeoutException.class);
        assertThat(management("/health/live")).as("probes are not behind the traffic bound").contains("UP");

        held.remove(0).close();
        waiting.setSoTimeout(5000);
        assertThat(RawResponses.read(waiting.getInputStream())).as("accepted once one closed")
            .startsWith("HTTP/1.1 200 ").endsWith("fast");
      }
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
    awaitOpen(0);
  }

  @Test
  void underTheBoundConnectionsAreServedAndCountedDownWhenTheyClose() throws Exception {
    try (Socket one = connect(); Socket two = connect()) {
      for (Socket socket : List.of(one, two)) {
        send(socket, "GET /bounded/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(RawResponses.read(socket.getInputStream())).startsWith("HTTP/1.1 200 ");
      }
      awaitOpen(2);
    }
    awaitOpen(0);
  }

  @Test
  void aFixedPortIsBoundedFromTheStartAndShowsItsMetersOnce() throws Exception {
    // A fixed port (as in production) is bounded before it listens, and its meters are registered
    // once it is bound: a second registration would log Micrometer's warning at every start
    // (it did until 3 December), and ConnectionMetrics now refuses one, which would fail the start.
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    GatewayConfig config = new ConfigLoader(Map.of())
        .load(temp.resolve("out/bundle"), temp.resolve("out/environment.yaml"), temp);
    GatewayServer fixed = GatewayServer.start(config, new ServerSettings("127.0.0.1", port, 0, null, null, 1, false,
        Duration.ZERO, Duration.ofSeconds(1), ClientTimeouts.DEFAULT, new ConnectionBounds(7, 0))).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    try {
      String metrics = Scrape.get(fixed.managementPort(), "/metrics");
      assertThat(Pattern.compile("(?m)^gantry_client_connections_max\\{port=\"traffic\",?\\} 7\\.0$").matcher(metrics)
          .results().count()).as(metrics).isEqualTo(1);
    } finally {
      fixed.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBoundOfZeroLeavesConnectionsUnboundedAndUnmetered() throws Exception {
    GatewayConfig config = new ConfigLoader(Map.of())
        .load(temp.resolve("out/bundle"), temp.resolve("out/environment.yaml"), temp);
    GatewayServer unbounded = GatewayServer.start(config, new ServerSettings("127.0.0.1", 0, 0, null, null, 1, false,
        Duration.ZERO, Duration.ofSeconds(1), ClientTimeouts.DEFAULT, new ConnectionBounds(0, 0))).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4 * BOUND; i++) { // all accepted at once: none waits in the backlog
        Socket socket = new Socket("127.0.0.1", unbounded.port());
        socket.setSoTimeout(5000);
        send(socket, "GET /bounded/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
        held.add(socket);
      }
      for (Socket socket : held) {
        assertThat(RawResponses.read(socket.getInputStream())).startsWith("HTTP/1.1 200 ");
      }
      String metrics = Scrape.get(unbounded.managementPort(), "/metrics");
      assertThat(metrics).doesNotContain("gantry_client_connections{port=\"traffic\"}")
          .contains("gantry_client_connections{port=\"management\"}");
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
      unbounded.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  /** A connection from {@code client} (a loopback address: all of 127/8 reaches 127.0.0.1 on Linux). */
  static Socket connectFrom(String client, int port) throws IOException {
    Socket socket = new Socket(java.net.InetAddress.getByName("127.0.0.1"), port,
        java.net.InetAddress.getByName(client), 0);
    socket.setSoTimeout(5000);
    return socket;
  }

  /** Whether the gateway closed {@code socket} without an answer (an end of stream, or a reset). */
  static boolean closedWithoutAnswer(Socket socket) {
    try {
      return socket.getInputStream().read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    } catch (IOException timedOut) {
      return false;
    }
  }

  @Test
  void oneClientOverItsBoundIsClosedAtOnceWhileOthersAreServed() throws Exception {
    GatewayConfig config = new ConfigLoader(Map.of())
        .load(temp.resolve("out/bundle"), temp.resolve("out/environment.yaml"), temp);
    GatewayServer perClient = GatewayServer.start(config, new ServerSettings("127.0.0.1", 0, 0, null, null, 2, false,
        Duration.ZERO, Duration.ofSeconds(1), ClientTimeouts.DEFAULT, new ConnectionBounds(16, 2)))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    String refused = "gantry_client_connections_refused_total{port=\"traffic\",reason=\"per_client\"}";
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) { // half-sent heads from one client: its bound
        Socket socket = connectFrom("127.0.0.1", perClient.port());
        send(socket, "GET /bounded/v1/fast HTTP/1.1\r\nHost: x\r\n");
        held.add(socket);
      }
      try (Socket over = connectFrom("127.0.0.1", perClient.port())) {
        send(over, "GET /bounded/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(closedWithoutAnswer(over)).as("a third connection of the same client").isTrue();
      }
      try (Socket other = connectFrom("127.0.0.2", perClient.port())) {
        send(other, "GET /bounded/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(RawResponses.read(other.getInputStream())).as("another client").startsWith("HTTP/1.1 200 ");
      }
      assertThat(Scrape.metric(perClient.managementPort(), Pattern.quote(refused))).isEqualTo(1.0);
      assertThat(Scrape.get(perClient.managementPort(), "/metrics"))
          .contains("gantry_client_connections_per_client_max{port=\"traffic\"} 2.0");

      held.remove(0).close(); // counted down: the client may open one again
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      String answer = null;
      while (answer == null && System.nanoTime() < until) {
        try (Socket again = connectFrom("127.0.0.1", perClient.port())) {
          send(again, "GET /bounded/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
          String read = RawResponses.read(again.getInputStream());
          answer = read.isEmpty() ? null : read; // empty: closed still, the close had not reached the acceptor
        } catch (IOException closedStill) { // reset, the same
          answer = null;
        }
        if (answer == null) {
          Thread.sleep(50);
        }
      }
      assertThat(answer).as("a connection once one of the client's closed").startsWith("HTTP/1.1 200 ");
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
      perClient.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }
}
