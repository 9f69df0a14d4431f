package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSockets through the gateway: the upgrade is admitted like any request (security, quota), the
 * upstream's switch or refusal is passed on, and then messages flow both ways until either end closes.
 */
class WebSocketIT {
  static final String OPENAPI = """
      openapi: 3.0.3
      info: {title: ws, version: "1"}
      x-gantry-endpoint: backend
      security: [{keys: []}]
      paths:
        /chat: {get: {operationId: chat, responses: {"101": {description: switching}}}}
        /refuse: {get: {operationId: refuse, responses: {"101": {description: switching}}}}
        /down: {get: {operationId: down, x-gantry-endpoint: dead, responses: {"101": {description: switching}}}}
      """;
  static final String RESOURCES = """
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: backend}
      spec: {urls: ["http://127.0.0.1:%d/base"]}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: dead}
      spec: {urls: ["http://127.0.0.1:%d"], timeouts: {connect: 500ms}}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Security
      metadata: {name: keys}
      spec: {type: apikey, apikey: {name: X-API-Key, keysSecretRef: {name: ws-keys, key: keys}}}
      """;

  static Vertx vertx;
  static HttpServer backend;
  static GatewayServer gateway;
  @TempDir
  static Path temp;
  static WebSocketClient client;
  static final CompletableFuture<Map<String, String>> handshakeHeaders = new CompletableFuture<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of("chat")))
        .webSocketHandshakeHandler(handshake -> {
          if (handshake.path().equals("/base/refuse")) {
            handshake.reject(403);
          } else {
            handshake.accept();
          }
        })
        .webSocketHandler(ws -> {
          Map<String, String> seen = new java.util.TreeMap<>();
          ws.headers().forEach((name, value) -> seen.put(name.toLowerCase(java.util.Locale.ROOT), value));
          seen.put(":path", ws.path());
          handshakeHeaders.complete(seen);
          ws.textMessageHandler(text -> {
            if (text.equals("bye")) {
              ws.close();
            } else {
              ws.writeTextMessage("echo: " + text);
            }
          });
          ws.binaryMessageHandler(ws::writeBinaryMessage);
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    TestBundles.build(temp.resolve("out"), "ws", "v1", OPENAPI, RESOURCES.formatted(backend.actualPort(), closedPort));
    Path secrets = TestBundles.secrets(temp.resolve("secrets"), Map.of("ws-keys", Map.of("keys", "alice:key-alice\n")));
    gateway = TestBundles.serve(temp.resolve("out"), secrets, 1);
    client = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static WebSocketConnectOptions to(String path, String key) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port())
        .setURI(path).addSubProtocol("chat");
    return key == null ? options : options.addHeader("X-API-Key", key);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void messagesFlowBothWaysAfterTheUpstreamSwitches() throws Exception {
    WebSocket ws = await(client.connect(to("/ws/v1/chat?room=1", "key-alice")));
    CompletableFuture<String> text = new CompletableFuture<>();
    CompletableFuture<Buffer> binary = new CompletableFuture<>();
    ws.textMessageHandler(text::complete);
    ws.binaryMessageHandler(binary::complete);

    ws.writeTextMessage("hello");
    assertThat(text.get(10, TimeUnit.SECONDS)).isEqualTo("echo: hello");
    byte[] big = new byte[200 * 1024]; // many TCP segments each way, under Vert.x's message limit
    new java.util.Random(7).nextBytes(big);
    ws.writeBinaryMessage(Buffer.buffer(big));
    assertThat(binary.get(10, TimeUnit.SECONDS).getBytes()).isEqualTo(big);
    assertThat(ws.subProtocol()).isEqualTo("chat");

    Map<String, String> upstream = handshakeHeaders.get(10, TimeUnit.SECONDS);
    assertThat(upstream.get(":path")).isEqualTo("/base/chat");
    assertThat(upstream).containsEntry("x-gantry-principal", "alice").containsEntry("x-forwarded-for", "127.0.0.1")
        .containsKey("sec-websocket-key");
    await(ws.close());
  }

  @Test
  void anUpstreamThatClosesClosesTheClientsSide() throws Exception {
    WebSocket ws = await(client.connect(to("/ws/v1/chat", "key-alice")));
    CompletableFuture<Short> closed = new CompletableFuture<>();
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));

    ws.writeTextMessage("bye");

    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);
  }

  @Test
  void theUpgradeIsAdmittedLikeAnyRequestAndARefusalIsPassedOn() {
    assertThat(rejection(to("/ws/v1/chat", null))).isEqualTo(401);
    assertThat(rejection(to("/ws/v1/chat", "key-wrong"))).isEqualTo(401);
    assertThat(rejection(to("/ws/v1/refuse", "key-alice"))).isEqualTo(403);
    assertThat(rejection(to("/ws/v1/down", "key-alice"))).isEqualTo(502);
    assertThat(rejection(to("/ws/v1/nowhere", "key-alice"))).isEqualTo(404);
  }

  private static int rejection(WebSocketConnectOptions options) {
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> await(client.connect(options)));
    assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UpgradeRejectedException.class);
    return ((UpgradeRejectedException) failure.getCause()).getStatus();
  }
}
