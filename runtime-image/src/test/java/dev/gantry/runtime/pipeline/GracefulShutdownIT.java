package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import dev.gantry.runtime.support.RawResponses;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a gateway: not ready at once, then every request already in flight still gets its answer. */
class GracefulShutdownIT {
  @TempDir
  Path temp;

  @Test
  void inFlightRequestsFinishAndReadinessDropsFirst() throws Exception {
    Vertx backendVertx = Vertx.vertx();
    AtomicInteger arrived = new AtomicInteger();
    HttpServer backend = backendVertx.createHttpServer().requestHandler(request -> {
      arrived.incrementAndGet();
      backendVertx.setTimer(800, id -> request.response().end("done"));
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    GatewayServer gateway = gateway(backend.actualPort(), Duration.ofMillis(200));
    // HTTP/1.1: the JDK 17 client fails every stream on an HTTP/2 GOAWAY, even those the server finishes.
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
          + "/slow/v1/work")).build(), HttpResponse.BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (arrived.get() < 20 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(arrived.get()).as("requests that reached the backend before the stop").isEqualTo(20);

    CompletableFuture<Void> stopped = gateway.stop().toCompletionStage().toCompletableFuture();

    assertThat(gateway.ready()).isFalse();
    for (CompletableFuture<HttpResponse<String>> response : inFlight) {
      HttpResponse<String> r = response.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("done");
    }
    stopped.get(15, TimeUnit.SECONDS);
    backendVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * The drain delay is for the load balancers that still send requests for a while after SIGTERM
   * (Kubernetes removes a terminating pod from its endpoints as it signals it): until it is over,
   * the gateway reports not-ready but serves new requests, on open connections and new ones.
   */
  @Test
  void newRequestsAreServedWhileItDrains() throws Exception {
    Vertx backendVertx = Vertx.vertx();
    GatewayServer gateway = gateway(doneBackend(backendVertx), Duration.ofSeconds(2));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpClient another = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest work = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/slow/v1/work"))
        .build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.managementPort()
        + "/health/ready")).build();
    assertThat(client.send(work, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(rawGet(gateway.port())).doesNotContainIgnoringCase("connection: close");

    long stopping = System.nanoTime();
    CompletableFuture<Void> stopped = gateway.stop().toCompletionStage().toCompletableFuture();

    assertThat(client.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
    for (HttpClient each : List.of(client, another)) { // its open connection, and a new one
      HttpResponse<String> served = each.send(work, HttpResponse.BodyHandlers.ofString());
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.body()).isEqualTo("done");
    }
    // A pooled connection is told to go (the shutdown would close it under the next request).
    assertThat(rawGet(gateway.port())).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
    // Having said close, the gateway closes after the answer and serves nothing more on the connection
    // (RFC 9112 9.6): a request pipelined behind gets no answer, and an HTTP/1.0 keep-alive one is closed too.
    String pipelined = rawUntilClosed(gateway.port(), "GET /slow/v1/work HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        + "GET /slow/v1/work HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(pipelined.split("HTTP/1.1 ", -1)).as("answers before the close, in: %s", pipelined).hasSize(2);
    assertThat(rawUntilClosed(gateway.port(), "GET /slow/v1/work HTTP/1.0\r\nHost: 127.0.0.1\r\n"
        + "Connection: keep-alive\r\n\r\n")).startsWith("HTTP/1.0 200").endsWith("done");
    assertThat(stopped).as("still draining").isNotDone();
    stopped.get(15, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    backendVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The HTTP/2 form of the same notice: a GOAWAY, after which the connection's open streams are still served. */
  @Test
  void anHttp2ConnectionIsToldToGoWhileItDrains() throws Exception {
    Vertx vertx = Vertx.vertx();
    GatewayServer gateway = gateway(doneBackend(vertx), Duration.ofSeconds(3));
    io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    CompletableFuture<Long> goAway = new CompletableFuture<>();
    HttpClientResponse before = get(client, gateway.port());
    assertThat(before.version()).isEqualTo(HttpVersion.HTTP_2);
    before.request().connection().goAwayHandler(away -> goAway.complete(away.getErrorCode()));

    CompletableFuture<Void> stopped = gateway.stop().toCompletionStage().toCompletableFuture();
    HttpClientResponse during = get(client, gateway.port());

    assertThat(during.statusCode()).isEqualTo(200);
    assertThat(during.request().connection()).as("the pooled connection").isSameAs(before.request().connection());
    // Within the drain, not from the shutdown after it (which sends its own GOAWAY).
    assertThat(goAway.get(1, TimeUnit.SECONDS)).as("NO_ERROR").isZero();
    assertThat(stopped).as("still draining").isNotDone();
    stopped.get(15, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpClientResponse get(io.vertx.core.http.HttpClient client, int port)
      throws Exception {
    return client.request(HttpMethod.GET, port, "127.0.0.1", "/slow/v1/work")
        .compose(request -> request.send().compose(response -> response.body().map(body -> response)))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A backend on {@code vertx} that answers every request "done" at once; returns its port. */
  private static int doneBackend(Vertx vertx) throws Exception {
    return vertx.createHttpServer().requestHandler(request -> request.response().end("done"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  /** {@code requests} on a raw socket, and all that comes back until the gateway closes it (at most 5 s). */
  private static String rawUntilClosed(int port, String requests) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000); // a connection left open fails the test here
      RawResponses.send(socket, requests);
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  /** One keep-alive GET on a raw socket: the answer's head and body as they came. */
  private static String rawGet(int port) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      RawResponses.send(socket, "GET /slow/v1/work HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      return RawResponses.read(socket.getInputStream());
    }
  }

  private GatewayServer gateway(int backendPort, Duration drainDelay) throws Exception {
    Path out = temp.resolve("build");
    TestBundles.oneOperation(out, "slow", backendPort);
    GatewayConfig config = new ConfigLoader(Map.of()).load(out.resolve("bundle"), out.resolve("environment.yaml"),
        temp.resolve("secrets"));
    return GatewayServer.start(config, new ServerSettings("127.0.0.1", 0, 0, null, null, 1, false, drainDelay,
        Duration.ofSeconds(10))).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
