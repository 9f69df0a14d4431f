package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.support.RawHttp2;
import dev.gantry.runtime.support.TestBundles;
import io.netty.handler.codec.http2.Http2Error;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 requests that an HTTP/1.1 upstream could read as something else (h2 → h1 desync): what
 * HTTP/2 frames for itself, the gateway writes as an HTTP/1.1 message, so a CR LF in a field, a
 * content-length the DATA frames contradict or a connection-specific field could split a request
 * or smuggle a second one on a pooled upstream connection. Each is sent by {@link RawHttp2} (which
 * sends what it is told), must be refused at once (never a hang), and must leave the upstream
 * seeing only what it should. Control characters over HTTP/1.1 too. And the two well-known HTTP/2
 * floods, rapid reset and CONTINUATION, must end their connection while the gateway serves on.
 */
class Http2DesyncIT {
  static final String OPENAPI = """
      openapi: 3.0.3
      info: {title: desync, version: "1"}
      x-gantry-endpoint: backend
      paths:
        /echo:
          get: {operationId: read, responses: {"200": {description: ok}}}
          post: {operationId: write, responses: {"200": {description: ok}}}
        /items/{id}:
          get:
            operationId: item
            parameters: [{name: id, in: path, required: true, schema: {type: string}}]
            responses: {"200": {description: ok}}
      """;
  static final String RESOURCES = """
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: backend}
      spec: {urls: ["http://127.0.0.1:%d"]}
      """;

  static Vertx vertx;
  static HttpServer backend;
  static GatewayServer gateway;
  @TempDir
  static Path temp;
  /** Every request the upstream read: method, path, header names and the body. */
  static final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      List<String> names = new ArrayList<>();
      request.headers().forEach((name, value) -> names.add(name.toLowerCase(java.util.Locale.ROOT)));
      seen.add(request.method() + " " + request.uri() + " " + names + " body=" + body);
      request.response().end("ok " + body.length());
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestBundles.build(temp.resolve("out"), "h2", "v1", OPENAPI, RESOURCES.formatted(backend.actualPort()));
    gateway = TestBundles.serve(temp.resolve("out"), TestBundles.secrets(temp.resolve("secrets"), Map.of()), 1);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forget() {
    seen.clear();
  }

  static List<String> get(String path, String... more) {
    List<String> fields = new ArrayList<>(List.of(":method", "GET", ":scheme", "http", ":authority", "x", ":path", path));
    fields.addAll(List.of(more));
    return fields;
  }

  static List<String> post(String contentLength, String... more) {
    List<String> fields = new ArrayList<>(List.of(":method", "POST", ":scheme", "http", ":authority", "x",
        ":path", "/h2/v1/echo"));
    if (contentLength != null) {
      fields.addAll(List.of("content-length", contentLength));
    }
    fields.addAll(List.of(more));
    return fields;
  }

  /** Sends {@code fields} (and body) on a new connection; then a valid GET on another, which must pass. */
  static RawHttp2.Answer send(List<String> fields, String body) throws Exception {
    RawHttp2.Answer answer;
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      answer = h2.exchange(fields, body);
    }
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      assertThat(h2.exchange(get("/h2/v1/echo"), null).status()).as("the gateway still serves").isEqualTo(200);
    }
    Thread.sleep(100); // anything smuggled upstream would have been read by now
    return answer;
  }

  @Test
  void anEarlyAnswerResetsTheStreamWithNoErrorSoItsBodyNeedNotCome() throws Exception {
    // RFC 9113 8.1: a server that answered before the request ended may ask the client to stop
    // sending with RST_STREAM NO_ERROR. Left open, a stream whose body the gateway no longer reads
    // would hold one of the connection's 128 slots for as long as the client liked.
    List<String> unknownPath = new ArrayList<>(List.of(":method", "POST", ":scheme", "http", ":authority", "x",
        ":path", "/h2/v1/nowhere", "content-length", "100"));
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      RawHttp2.Answer notFound = h2.exchangeLeavingBodyOpen(unknownPath, "first part", 1000);
      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.resetCode()).as("RST_STREAM NO_ERROR after the 404").isZero();

      RawHttp2.Answer tooLarge = h2.exchangeLeavingBodyOpen(post("20000000"), "first part", 1000);
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.resetCode()).as("RST_STREAM NO_ERROR after the 413").isZero();

      assertThat(h2.exchange(get("/h2/v1/echo"), null).status()).as("the connection serves on").isEqualTo(200);
    }
  }

  @Test
  void aWellFormedRequestPassesAsTheBaseline() throws Exception {
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      RawHttp2.Answer answer = h2.exchange(post("5", "x-note", "fine"), "hello");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("ok 5");
    }
    assertThat(seen).singleElement().asString().startsWith("POST /echo ").contains("x-note").endsWith("body=hello");
  }

  @Test
  void aCrLfInAFieldValueIsRefusedNotSplitIntoTwoFields() throws Exception {
    RawHttp2.Answer answer = send(get("/h2/v1/echo", "x-note", "a\r\nx-injected: 1"), null);
    assertThat(answer.refused()).as(answer.toString()).isTrue();
    assertThat(seen).noneMatch(request -> request.contains("x-injected"));
  }

  @Test
  void aLoneLfOrNulInAFieldValueIsRefused() throws Exception {
    for (String value : new String[] {"a\nx-injected: 1", "a\u0000b", "a\rb"}) {
      RawHttp2.Answer answer = send(get("/h2/v1/echo", "x-note", value), null);
      assertThat(answer.refused()).as(value.replace("\n", "\\n").replace("\r", "\\r") + " " + answer).isTrue();
    }
    assertThat(seen).noneMatch(request -> request.contains("x-injected") || request.contains("x-note"));
  }

  @Test
  void aCrLfInThePathIsRefusedNotARequestLineOfItsOwn() throws Exception {
    // Within one segment, so that the route /items/{id} matches it.
    for (String path : new String[] {"/h2/v1/items/x HTTP/1.1\r\nx-injected: 1\r\nx-pad: y",
        "/h2/v1/items/x\nx-injected:1", "/h2/v1/items/x y", "/h2/v1/items/x\u0000y"}) {
      RawHttp2.Answer answer = send(get(path), null);
      assertThat(answer.refused()).as(path.replace("\r", "\\r").replace("\n", "\\n") + " " + answer).isTrue();
    }
    assertThat(seen).noneMatch(request -> request.contains("x-injected") || request.contains("/items/"));
  }


  @Test
  void aContentLengthShorterThanTheDataIsRefusedAndNothingIsSmuggledUpstream() throws Exception {
    String smuggled = "GET /h2/v1/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    RawHttp2.Answer answer = send(post("5"), "hello" + smuggled);
    assertThat(answer.refused()).as(answer.toString()).isTrue();
    assertThat(seen).noneMatch(request -> request.contains("smuggled"));
  }

  @Test
  void aContentLengthLongerThanTheDataIsRefused() throws Exception {
    RawHttp2.Answer answer = send(post("50"), "hello");
    assertThat(answer.refused() || answer.status() >= 500).as(answer.toString()).isTrue();
    assertThat(seen).noneMatch(request -> request.startsWith("POST"));
  }

  @Test
  void connectionSpecificFieldsAreRefused() throws Exception {
    // RFC 9113 8.2.2: malformed in HTTP/2 (Netty resets the stream). An upstream that saw
    // Transfer-Encoding beside the gateway's own framing could read the body differently.
    for (List<String> fields : List.of(post(null, "transfer-encoding", "chunked"), post("5", "connection", "keep-alive"),
        post("5", "keep-alive", "timeout=5"), post("5", "upgrade", "websocket"), post("5", "te", "gzip"))) {
      RawHttp2.Answer answer = send(fields, "hello");
      assertThat(answer.refused()).as(fields + " " + answer).isTrue();
    }
    assertThat(seen).noneMatch(request -> request.startsWith("POST"));
  }


  @Test
  void anUpperCaseOrSpacedFieldNameIsRefused() throws Exception {
    for (String name : new String[] {"X-Note", "x note", "x:note"}) {
      RawHttp2.Answer answer = send(get("/h2/v1/echo", name, "v"), null);
      assertThat(answer.refused()).as(name + " " + answer).isTrue();
    }
    assertThat(seen).allMatch(request -> !request.contains("note"));
  }

  @Test
  void aHostThatNamesAnotherAuthorityThanTheAuthorityPseudoHeaderIsRefused() throws Exception {
    // RFC 9113 8.3.1; Vert.x resets the stream itself, the gateway relies on it.
    RawHttp2.Answer other = send(get("/h2/v1/echo", "host", "evil.example"), null);
    assertThat(other.refused()).as(other.toString()).isTrue();
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      assertThat(h2.exchange(get("/h2/v1/echo", "host", "x"), null).status()).as("the same authority").isEqualTo(200);
    }
    assertThat(seen).noneMatch(request -> request.contains("evil"));
  }

  @Test
  void overHttp1AControlCharacterInAFieldOrTheTargetNeverReachesTheUpstream() throws Exception {
    // HTTP/1.1's own framing cannot carry a CR LF inside a field, but other control characters fit.
    for (String request : new String[] {"GET /h2/v1/echo HTTP/1.1\r\nHost: x\r\nX-Note: a\u0001b\r\n\r\n",
        "GET /h2/v1/echo HTTP/1.1\r\nHost: x\r\nX-Note: a\u0000b\r\n\r\n",
        "GET /h2/v1/items/x\u0000y HTTP/1.1\r\nHost: x\r\n\r\n"}) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
        socket.setSoTimeout(3000);
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String answer = dev.gantry.runtime.support.RawResponses.read(socket.getInputStream());
        assertThat(answer).as(request.replace("\u0000", "NUL").replace("\u0001", "SOH")).startsWith("HTTP/1.1 400 ");
      }
    }
    Thread.sleep(100);
    assertThat(seen).isEmpty();
  }

  @Test
  void aRapidResetFloodEndsTheConnectionAndTheGatewayServesOn() throws Exception {
    // CVE-2023-44487: streams opened and cancelled at once cost the server work and no client
    // limit on concurrent streams. Netty counts RST_STREAMs (Vert.x: 200 per 30 s) and ends the
    // connection with ENHANCE_YOUR_CALM.
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      RawHttp2.FloodEnd end = h2.rapidReset(get("/h2/v1/echo"), 1000);
      assertThat(end.closed()).as("the connection is ended, not left to flood on: %s", end).isTrue();
      assertThat(end.goAwayCode()).as("GOAWAY ENHANCE_YOUR_CALM, or a hang-up mid-flood: %s", end)
          .isIn(-1L, (long) Http2Error.ENHANCE_YOUR_CALM.code());
    }
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      assertThat(h2.exchange(get("/h2/v1/echo"), null).status()).as("the gateway still serves").isEqualTo(200);
    }
  }

  @Test
  void aContinuationFloodEndsTheConnectionBeforeItFillsTheHeap() throws Exception {
    // A header block that never ends, in frames just under the 16 KiB maximum: past the 16 KiB the
    // gateway allows a whole block (twice its 8 KiB header limit) by the second frame.
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      RawHttp2.FloodEnd end = h2.continuationFlood(200, 16_000);
      assertThat(end.closed()).as("the connection is ended: %s", end).isTrue();
    }
    // Small frames, which cost the server a read each: Netty ends the connection after a few.
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      RawHttp2.FloodEnd end = h2.continuationFlood(4000, 64);
      assertThat(end.closed()).as("the connection is ended: %s", end).isTrue();
    }
    assertThat(seen).as("no request came of it").isEmpty();
    try (RawHttp2 h2 = new RawHttp2(gateway.port())) {
      assertThat(h2.exchange(get("/h2/v1/echo"), null).status()).as("the gateway still serves").isEqualTo(200);
    }
  }
}
