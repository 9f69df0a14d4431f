package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.config.Limits;
import dev.gantry.runtime.fleet.FleetGateway;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import dev.gantry.runtime.support.RawResponses;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits an API declares with {@code x-gantry-limits} hold at the gateway: the body limit per
 * operation (declared or counted as it streams), header bytes, header count and URI length for the
 * whole API. Each case runs against a per-API gateway and a fleet gateway, whose HTTP decoder is
 * sized for any API and leaves each API's limits to its request guard.
 */
class RequestLimitsIT {
  static final String OPENAPI = """
      openapi: 3.0.3
      info: {title: limited, version: "1"}
      x-gantry-endpoint: backend
      x-gantry-limits: {maxBodySize: 1Ki, maxHeaderSize: 16Ki, maxHeaders: 20, maxUriLength: 512}
      paths:
        /notes: {post: {operationId: note, responses: {"200": {description: ok}}}}
        /files:
          x-gantry-limits: {maxBodySize: 64Ki}
          post: {operationId: upload, responses: {"200": {description: ok}}}
        /big:
          post: {operationId: bigUpload, x-gantry-limits: {maxBodySize: 20Mi}, responses: {"200": {description: ok}}}
      """;
  static final String RESOURCES = """
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: backend}
      spec: {urls: ["http://127.0.0.1:%d"]}
      """;

  @TempDir
  static Path temp;
  static Vertx backendVertx;
  static HttpServer backend;
  static GatewayServer perApi;
  static GatewayServer fleet;

  @BeforeAll
  static void start() throws Exception {
    backendVertx = Vertx.vertx();
    backend = backendVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body ->
            request.response().end(new JsonObject().put("length", body.length()).encode())))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestBundles.build(temp.resolve("out"), "limited", "v1", OPENAPI, RESOURCES.formatted(backend.actualPort()));
    GatewayConfig config = new ConfigLoader(Map.of())
        .load(temp.resolve("out/bundle"), temp.resolve("out/environment.yaml"), temp);
    ServerSettings settings = new ServerSettings("127.0.0.1", 0, 0, null, null, 1, false, Duration.ZERO,
        Duration.ofSeconds(1));
    perApi = GatewayServer.start(config, settings).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    fleet = GatewayServer.start(settings, Limits.CEILING, List.of(),
        (vertx, log) -> new FleetGateway(vertx, log, Duration.ofSeconds(1)))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    FleetGateway apis = (FleetGateway) fleet.served();
    apis.put("limited", 1, config);
    apis.sourceReady();
  }

  @AfterAll
  static void stop() throws Exception {
    for (GatewayServer server : new GatewayServer[] {perApi, fleet}) {
      if (server != null) {
        server.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }
    backendVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static List<GatewayServer> gateways() {
    return List.of(perApi, fleet);
  }

  @Test
  void theDefinitionsBodyLimitHoldsWhereNoOperationSetsItsOwn() throws Exception {
    for (GatewayServer gateway : gateways()) {
      assertThat(post(gateway, "/limited/v1/notes", 1024, false)).isEqualTo("200 1024");
      assertThat(post(gateway, "/limited/v1/notes", 1025, false)).isEqualTo("413 body_too_large");
      assertThat(post(gateway, "/limited/v1/notes", 1025, true)).isEqualTo("413 body_too_large");
    }
  }

  @Test
  void aPathOrAnOperationRaisesTheBodyLimitForItselfOnly() throws Exception {
    for (GatewayServer gateway : gateways()) {
      assertThat(post(gateway, "/limited/v1/files", 64 * 1024, false)).isEqualTo("200 65536");
      assertThat(post(gateway, "/limited/v1/files", 64 * 1024, true)).isEqualTo("200 65536");
      assertThat(post(gateway, "/limited/v1/files", 64 * 1024 + 1, false)).isEqualTo("413 body_too_large");
      assertThat(post(gateway, "/limited/v1/files", 64 * 1024 + 1, true)).isEqualTo("413 body_too_large");
      // Above Gantry's default of 10 MiB, declared and streamed.
      assertThat(post(gateway, "/limited/v1/big", 12 * 1024 * 1024, false)).isEqualTo("200 12582912");
      assertThat(post(gateway, "/limited/v1/big", 12 * 1024 * 1024, true)).isEqualTo("200 12582912");
      assertThat(post(gateway, "/limited/v1/big", 21 * 1024 * 1024, true)).isEqualTo("413 body_too_large");
    }
  }

  @Test
  void headerBytesHeaderCountAndUriLengthAreTheApis() throws Exception {
    for (GatewayServer gateway : gateways()) {
      // Above Gantry's default of 8 KiB; then over the API's 16 KiB, yet under the decoder's bound:
      // the guard answers, with its JSON error.
      assertThat(get(gateway, "/limited/v1/files", "X-Pad: " + "p".repeat(12_000) + "\r\n")).isEqualTo("405 method_not_allowed");
      assertThat(get(gateway, "/limited/v1/files", "X-Pad: " + "p".repeat(17_000) + "\r\n"))
          .isEqualTo("431 headers_too_large");
      assertThat(get(gateway, "/limited/v1/files", "X-N: n\r\n".repeat(19))).isEqualTo("405 method_not_allowed");
      assertThat(get(gateway, "/limited/v1/files", "X-N: n\r\n".repeat(20))).isEqualTo("431 too_many_headers");
      assertThat(get(gateway, "/limited/v1/files?q=" + "q".repeat(480), "")).isEqualTo("405 method_not_allowed");
      assertThat(get(gateway, "/limited/v1/files?q=" + "q".repeat(520), "")).isEqualTo("414 uri_too_long");
    }
  }

  @Test
  void overHttp2TheHeaderLimitIsTheApisToo() throws Exception {
    // HTTP/2 bounds a header block by its own setting (8 KiB in Vert.x unless raised).
    io.vertx.core.http.HttpClient h2 = backendVertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      for (GatewayServer gateway : gateways()) {
        for (int pad : new int[] {12_000, 17_000}) {
          String answer = dev.gantry.runtime.support.OnEventLoop.call(backendVertx, () -> h2.request(
                  io.vertx.core.http.HttpMethod.GET, gateway.port(), "127.0.0.1", "/limited/v1/files")
              .compose(request -> request.putHeader("x-pad", "p".repeat(pad)).send())
              .compose(r -> r.body().map(b -> r.version() + " " + r.statusCode() + " "
                  + new JsonObject(b).getString("error"))));
          assertThat(answer).isEqualTo(pad < 16 * 1024 ? "HTTP_2 405 method_not_allowed" : "HTTP_2 431 headers_too_large");
        }
      }
    } finally {
      h2.close();
    }
  }

  @Test
  void anHttp2ConnectionMayOpen128StreamsAtOnce() throws Exception {
    // Vert.x's own default is unlimited: one connection could hold any number of upstream requests.
    io.vertx.core.http.HttpClient h2 = backendVertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      GatewayServer gateway = gateways().get(0);
      long streams = h2.request(io.vertx.core.http.HttpMethod.GET, gateway.port(), "127.0.0.1", "/limited/v1/files")
          .compose(request -> request.send().map(r -> request.connection().remoteSettings().getMaxConcurrentStreams()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(streams).isEqualTo(GatewayServer.MAX_HTTP2_STREAMS).isEqualTo(128);
    } finally {
      h2.close();
    }
  }

  /** A GET with extra header lines; "status error" for a gateway's own JSON error, else the status. */
  static String get(GatewayServer gateway, String target, String headers) throws Exception {
    return exchange(gateway, "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n", 0, false);
  }

  /** A POST of {@code bytes}, with a Content-Length or chunked; "200 length-received" or "status error". */
  static String post(GatewayServer gateway, String target, int bytes, boolean chunked) throws Exception {
    String framing = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bytes + "\r\n";
    return exchange(gateway, "POST " + target + " HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n", bytes, chunked);
  }

  private static String exchange(GatewayServer gateway, String head, int bytes, boolean chunked) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread writer = new Thread(() -> { // the gateway may answer and stop reading before the body is all sent
        try {
          byte[] chunk = new byte[16 * 1024];
          for (int sent = 0; sent < bytes; sent += chunk.length) {
            int n = Math.min(chunk.length, bytes - sent);
            if (chunked) {
              out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write(chunk, 0, n);
            if (chunked) {
              out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
          }
          if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          }
          out.flush();
        } catch (java.io.IOException refused) {
          // answered already
        }
      });
      writer.start();
      String response = RawResponses.read(socket.getInputStream());
      writer.join(10_000);
      String status = response.substring(9, 12);
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      if (status.equals("200")) {
        return status + " " + new JsonObject(body).getLong("length");
      }
      return body.startsWith("{") ? status + " " + new JsonObject(body).getString("error") : status;
    }
  }
}
