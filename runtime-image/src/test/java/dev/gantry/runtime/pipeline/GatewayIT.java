package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.support.RawResponses;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway over real sockets, in front of a real local backend, with a bundle compiled by the toolkit. */
class GatewayIT {
  static final String OPENAPI = """
      openapi: 3.0.3
      info: {title: shop, version: "1"}
      x-gantry-endpoint: backend
      paths:
        /items:
          get: {operationId: listItems, security: [], responses: {"200": {description: ok}}}
          post:
            operationId: addItem
            security: [{keys: []}]
            x-gantry-ratelimit: tight
            responses: {"200": {description: ok}}
        /items/{id}:
          get: {operationId: getItem, security: [{keys: []}], responses: {"200": {description: ok}}}
        /slow:
          get: {operationId: slow, security: [], x-gantry-endpoint: slow-backend, responses: {"200": {description: ok}}}
        /trickle:
          get: {operationId: trickle, security: [], x-gantry-endpoint: slow-backend, responses: {"200": {description: ok}}}
        /stall:
          get: {operationId: stall, security: [], x-gantry-endpoint: slow-backend, responses: {"200": {description: ok}}}
        /pause:
          get: {operationId: pause, security: [], x-gantry-endpoint: patient, responses: {"200": {description: ok}}}
        /hold:
          get: {operationId: hold, security: [], responses: {"200": {description: ok}}}
        /down:
          get: {operationId: down, security: [], x-gantry-endpoint: dead, responses: {"200": {description: ok}}}
        /failover:
          get: {operationId: failover, security: [], x-gantry-endpoint: [dead, backend], responses: {"200": {description: ok}}}
        /popular:
          get: {operationId: popular, security: [], x-gantry-ratelimit: fifty, responses: {"200": {description: ok}}}
      """;
  static final String RESOURCES = """
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: backend}
      spec: {urls: ["http://127.0.0.1:%1$d/base"]}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: slow-backend}
      spec: {urls: ["http://127.0.0.1:%1$d"], timeouts: {response: 300ms}}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: patient}
      spec: {urls: ["http://127.0.0.1:%1$d"], timeouts: {response: 1s}}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: dead}
      spec: {urls: ["http://127.0.0.1:%2$d"], timeouts: {connect: 500ms}}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: RateLimit
      metadata: {name: tight}
      spec: {requests: 3, per: 1m, scope: consumer}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: RateLimit
      metadata: {name: fifty}
      spec: {requests: 50, per: 1m, scope: api}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Security
      metadata: {name: keys}
      spec: {type: apikey, apikey: {name: X-API-Key, keysSecretRef: {name: shop-keys, key: keys}}}
      """;

  /** A body larger than every buffer on the way (socket buffers, the gateway's write queue). */
  static final byte[] BIG = pattern(16 * 1024 * 1024);

  @TempDir
  static Path temp;
  static Vertx backendVertx;
  static HttpServer backend;
  static GatewayServer gateway;
  static final CompletableFuture<Long> holdAbandoned = new CompletableFuture<>();
  static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    backendVertx = Vertx.vertx();
    Set<HttpConnection> served = ConcurrentHashMap.newKeySet();
    backend = backendVertx.createHttpServer().requestHandler(request -> {
      boolean servedBefore = !served.add(request.connection());
      if (servedBefore && "stale".equals(request.query())) { // as if its keep-alive timeout had just run out
        request.connection().close();
        return;
      }
      if (request.path().equals("/slow")) {
        backendVertx.setTimer(2000, id -> request.response().end("late"));
        return;
      }
      if (request.path().equals("/trickle")) { // 8 chunks 200 ms apart: each gap under the 300 ms timeout, the whole not
        request.response().setChunked(true).write("0");
        for (int i = 1; i < 8; i++) {
          String chunk = Integer.toString(i);
          backendVertx.setTimer(200L * i, id -> request.response().write(chunk));
        }
        backendVertx.setTimer(1700, id -> request.response().end());
        return;
      }
      if (request.path().equals("/pause")) { // answers after ?ms
        backendVertx.setTimer(Math.max(1, Long.parseLong(request.getParam("ms"))), id -> request.response().end("paused"));
        return;
      }
      if (request.path().equals("/stall")) { // headers and a first chunk, then nothing
        request.response().setChunked(true).write("part");
        return;
      }
      if (request.path().equals("/base/hold")) { // never answers; records when the gateway gives up on it
        request.connection().closeHandler(v -> holdAbandoned.complete(System.nanoTime()));
        return;
      }
      if (request.path().equals("/base/items/big")) { // all at once: the gateway must pace it to its client
        request.response().setChunked(true);
        for (int offset = 0; offset < BIG.length; offset += 64 * 1024) {
          request.response().write(io.vertx.core.buffer.Buffer.buffer(java.util.Arrays.copyOfRange(BIG, offset,
              Math.min(BIG.length, offset + 64 * 1024))));
        }
        request.response().end();
        return;
      }
      if (request.path().equals("/base/items/digest")) {
        request.body().onSuccess(body -> request.response().end(new JsonObject().put("length", body.length())
            .put("sha256", sha256(body.getBytes())).encode()));
        return;
      }
      if (request.path().equals("/base/items/trailer")) { // a chunked body, then trailer fields
        request.response().setChunked(true).putTrailer("X-Checksum", "sha256=abc").putTrailer("Content-Length", "9")
            .write("part one,");
        request.response().end(" part two");
        return;
      }
      if (request.path().equals("/base/items/phrase")) {
        request.response().setStatusCode(203).setStatusMessage("Quite Fine").end();
        return;
      }
      if (request.path().startsWith("/base/items/drain")) {
        backendVertx.setTimer(700, id -> request.response().end("drained"));
        return;
      }
      request.body().onSuccess(body -> {
        JsonObject headers = new JsonObject();
        request.headers().forEach((k, v) -> headers.put(k.toLowerCase(), v));
        request.response().putHeader("Content-Type", "application/json").putHeader("Connection", "keep-alive, X-Secret")
            .putHeader("X-Secret", "hop").end(new JsonObject().put("method", request.method().name())
                .put("uri", request.uri()).put("headers", headers).put("body", body.toString()).encode());
      });
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path out = temp.resolve("build");
    TestBundles.build(out, "shop", "v1", OPENAPI, RESOURCES.formatted(backend.actualPort(), closedPort));
    Path secrets = TestBundles.secrets(temp.resolve("secrets"), Map.of("shop-keys", Map.of("keys", "alice:key-alice\nother:key-other\ncarol:key-carol\nctl\u0001name:key-ctl\nпётр:key-petr\nиван:key-ivan\ndora:key-dora\n")));
    gateway = TestBundles.serve(out, secrets, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    backendVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path));
  }

  @Test
  void routesStripTheBasePathAndPassPathAndQueryThrough() throws Exception {
    HttpResponse<String> response = send(get("/shop/v1/items?color=red&size=%20L"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject echoed = new JsonObject(response.body());
    assertThat(echoed.getString("uri")).isEqualTo("/base/items?color=red&size=%20L");
    JsonObject headers = echoed.getJsonObject("headers");
    assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(headers.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + gateway.port());
    assertThat(headers.getString("forwarded")).startsWith("for=127.0.0.1;proto=http");
    // Hop-by-hop headers of the upstream's answer, including those its Connection header names, are dropped.
    assertThat(response.headers().firstValue("X-Secret")).isEmpty();
  }

  @Test
  void theClientsHopByHopAndForwardingHeadersAreNotPassedOnButPriorHopsAreKept() throws Exception {
    try (RawConnection connection = new RawConnection()) {
      connection.send("GET /shop/v1/items HTTP/1.1\r\nHost: shop.example\r\nConnection: keep-alive, X-Hop\r\n"
          + "X-Hop: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic YTpi\r\n"
          + "Upgrade: websocket\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Host: evil.example\r\n"
          + "X-Forwarded-Proto: https\r\nForwarded: for=10.0.0.9\r\nX-Kept: yes\r\n\r\n");
      JsonObject headers = new JsonObject(connection.body()).getJsonObject("headers");

      assertThat(headers.fieldNames()).doesNotContain("x-hop", "keep-alive", "te", "proxy-authorization", "upgrade",
          "connection");
      assertThat(headers.getString("x-kept")).isEqualTo("yes");
      assertThat(headers.getString("host")).isEqualTo("127.0.0.1:" + backend.actualPort());
      assertThat(headers.getString("x-forwarded-for")).isEqualTo("10.0.0.1, 127.0.0.1");
      assertThat(headers.getString("x-forwarded-host")).isEqualTo("shop.example");
      assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
      assertThat(headers.getString("forwarded")).isEqualTo("for=10.0.0.9, for=127.0.0.1;proto=http;host=\"shop.example\"");
      // The connection is still the client's to use: its own keep-alive was honoured, not passed on.
      connection.send("GET /shop/v1/items?again HTTP/1.1\r\nHost: x\r\n\r\n");
      JsonObject again = new JsonObject(connection.body());
      assertThat(again.getString("uri")).isEqualTo("/base/items?again");
      // The connection's next request says what it came with, not what the one before did.
      assertThat(again.getJsonObject("headers").getString("x-forwarded-host")).isEqualTo("x");
      assertThat(again.getJsonObject("headers").getString("x-forwarded-for")).isEqualTo("127.0.0.1");
      assertThat(again.getJsonObject("headers").getString("forwarded")).isEqualTo("for=127.0.0.1;proto=http;host=\"x\"");
      connection.send("GET /shop/v1/items HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.2\r\n\r\n");
      assertThat(new JsonObject(connection.body()).getJsonObject("headers").getString("x-forwarded-for"))
          .isEqualTo("10.0.0.2, 127.0.0.1");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderWhenTheFirstIsSlowest() throws Exception {
    // Bodiless requests are not paused while they wait for security and the upstream: the server
    // must still hold the next pipelined request back until the answer before it is out.
    try (RawConnection connection = new RawConnection()) {
      connection.send("GET /shop/v1/pause?ms=300 HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /shop/v1/items?second HTTP/1.1\r\nHost: x\r\n\r\n"
          + "POST /shop/v1/items?third HTTP/1.1\r\nHost: x\r\nX-API-Key: key-other\r\nContent-Length: 5\r\n\r\nthird");
      assertThat(connection.body()).isEqualTo("paused");
      assertThat(new JsonObject(connection.body()).getString("uri")).isEqualTo("/base/items?second");
      JsonObject third = new JsonObject(connection.body());
      assertThat(third.getString("uri")).isEqualTo("/base/items?third");
      assertThat(third.getString("body")).isEqualTo("third");
    }
  }

  @Test
  void oneKeepAliveConnectionCarriesBodilessAndBodyRequestsInTurn() throws Exception {
    // Bodiless HTTP/1.1 requests skip the body pipe: the connection must still read the next request,
    // whatever framing its body has.
    try (RawConnection connection = new RawConnection()) {
      String[] requests = {
          "GET /shop/v1/items?n=1 HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /shop/v1/items?n=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
          "GET /shop/v1/items?n=3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
          "GET /shop/v1/items?n=4 HTTP/1.1\r\nHost: x\r\n\r\n"};
      String[] bodies = {"", "hello", "abc", ""};
      for (int i = 0; i < requests.length; i++) {
        connection.send(requests[i]);
        JsonObject echoed = new JsonObject(connection.body());
        assertThat(echoed.getString("uri")).isEqualTo("/base/items?n=" + (i + 1));
        assertThat(echoed.getString("body")).isEqualTo(bodies[i]);
      }
    }
  }

  @Test
  void aPooledConnectionTheUpstreamClosedIsRetriedForAGetButNotForAPost() throws Exception {
    // One client connection, so one event loop and its pool of upstream connections. The backend closes,
    // unanswered, every request that is not the first on its connection and asks for "stale".
    try (RawConnection connection = new RawConnection()) {
      connection.send("GET /shop/v1/items?fresh HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(new JsonObject(connection.body()).getString("uri")).isEqualTo("/base/items?fresh");
      // Sent on the pooled connection, which the backend closes: a GET changes nothing, so it goes again on a new one.
      connection.send("GET /shop/v1/items?stale HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(new JsonObject(connection.body()).getString("uri")).isEqualTo("/base/items?stale");
      // A POST may have been acted on before the close: it is not sent twice.
      connection.send("POST /shop/v1/items?stale HTTP/1.1\r\nHost: x\r\nX-API-Key: key-carol\r\nContent-Length: 2\r\n\r\n{}");
      assertThat(new JsonObject(connection.body("502 Bad Gateway")).getString("error"))
          .isEqualTo("upstream_unreachable");
    }
  }

  @Test
  void largeBodiesStreamWholeBothWaysAndAtTheSlowClientsPace() throws Exception {
    byte[] upload = pattern(6 * 1024 * 1024);
    HttpResponse<String> digest = send(get("/shop/v1/items/digest").header("X-API-Key", "key-alice")
        .method("GET", HttpRequest.BodyPublishers.ofByteArray(upload)));
    assertThat(new JsonObject(digest.body()).getString("sha256")).isEqualTo(sha256(upload));

    HttpResponse<InputStream> big = client.send(get("/shop/v1/items/big").header("X-API-Key", "key-alice")
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
    java.security.MessageDigest received = java.security.MessageDigest.getInstance("SHA-256");
    long length = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = big.body()) {
      for (int read, reads = 0; (read = in.read(buffer)) > 0; reads++) {
        received.update(buffer, 0, read);
        length += read;
        if (reads % 16 == 0) {
          Thread.sleep(20); // slower than the upstream writes: the gateway stops reading it meanwhile
        }
      }
    }
    assertThat(big.statusCode()).isEqualTo(200);
    assertThat(length).isEqualTo(BIG.length);
    assertThat(java.util.HexFormat.of().formatHex(received.digest())).isEqualTo(sha256(BIG));
  }

  static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 16));
    }
    return bytes;
  }

  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aPrincipalOutsidePrintableAsciiGoesUpstreamPercentEncodedAndDistinct() throws Exception {
    // Consumer names in the key file: one with a control character HTTP cannot carry, two Cyrillic
    // ones that Netty would both write as "????".
    Map<String, String> sent = new java.util.LinkedHashMap<>();
    for (String key : List.of("key-ctl", "key-petr", "key-ivan")) {
      HttpResponse<String> response = send(get("/shop/v1/items/1").header("X-API-Key", key));
      assertThat(response.statusCode()).as(key).isEqualTo(200);
      sent.put(key, new JsonObject(response.body()).getJsonObject("headers").getString("x-gantry-principal"));
    }

    assertThat(sent).containsExactly(Map.entry("key-ctl", "ctl%01name"),
        Map.entry("key-petr", "%D0%BF%D1%91%D1%82%D1%80"), Map.entry("key-ivan", "%D0%B8%D0%B2%D0%B0%D0%BD"));
  }

  @Test
  void theUpstreamsTrailerFieldsFollowTheBodyOverHttp1AndHttp2() throws Exception {
    for (io.vertx.core.http.HttpVersion version : List.of(io.vertx.core.http.HttpVersion.HTTP_1_1,
        io.vertx.core.http.HttpVersion.HTTP_2)) {
      io.vertx.core.http.HttpClient client = backendVertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
          .setProtocolVersion(version).setHttp2ClearTextUpgrade(false));
      try {
        String answer = dev.gantry.runtime.support.OnEventLoop.call(backendVertx, () -> client.request(
                io.vertx.core.http.HttpMethod.GET, gateway.port(), "127.0.0.1", "/shop/v1/items/trailer")
            .compose(request -> request.putHeader("X-API-Key", "key-alice").putHeader("TE", "trailers").send())
            .compose(r -> r.body().map(b -> r.statusCode() + " " + b + " | " + r.trailers().get("X-Checksum")
                + " | " + r.trailers().get("Content-Length"))));
        // A Content-Length among trailers would frame nothing: it is not passed on.
        assertThat(answer).as(version.name()).isEqualTo("200 part one, part two | sha256=abc | null");
      } finally {
        client.close();
      }
    }
  }

  @Test
  void everyAnswerCarriesTheRequestIdTheUpstreamGot() throws Exception {
    HttpResponse<String> first = send(get("/shop/v1/items"));
    HttpResponse<String> second = send(get("/shop/v1/items"));
    String id = first.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(first.headers().allValues("X-Request-Id")).hasSize(1);
    assertThat(new JsonObject(first.body()).getJsonObject("headers").getString("x-request-id")).isEqualTo(id);
    assertThat(second.headers().firstValue("X-Request-Id")).isPresent().get().isNotEqualTo(id);

    // One from a proxy in front is kept; one that is no plain token is replaced.
    HttpResponse<String> kept = send(get("/shop/v1/items").header("X-Request-Id", "lb-4711"));
    assertThat(kept.headers().firstValue("X-Request-Id")).contains("lb-4711");
    assertThat(new JsonObject(kept.body()).getJsonObject("headers").getString("x-request-id")).isEqualTo("lb-4711");
    HttpResponse<String> replaced = send(get("/shop/v1/items").header("X-Request-Id", "x".repeat(201)));
    assertThat(replaced.headers().firstValue("X-Request-Id")).get().asString().matches("[0-9a-f]{32}");

    // The gateway's own answers carry one too.
    assertThat(send(get("/shop/v1/nowhere")).headers().firstValue("X-Request-Id")).isPresent();
    assertThat(send(get("/shop/v1/items/1")).headers().firstValue("X-Request-Id")).isPresent(); // 401
  }

  @Test
  void theUpstreamsOwnReasonPhraseIsPassedOn() throws Exception {
    assertThat(raw("GET /shop/v1/items/phrase HTTP/1.1\r\nHost: x\r\nX-API-Key: key-alice\r\n\r\n"))
        .startsWith("HTTP/1.1 203 Quite Fine\r\n");
  }

  @Test
  void http2RequestsStreamTheirBodiesUpstream() throws Exception {
    // HTTP/2 frames a body without Content-Length or Transfer-Encoding: it must never be taken for bodiless.
    io.vertx.core.http.HttpClient h2 = backendVertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      for (String body : new String[] {"", "over h2"}) {
        var response = dev.gantry.runtime.support.OnEventLoop.call(backendVertx, () -> h2.request(
                io.vertx.core.http.HttpMethod.GET, gateway.port(), "127.0.0.1", "/shop/v1/items?h2")
            .compose(request -> {
              if (body.isEmpty()) {
                return request.send();
              }
              // Streamed in two DATA frames with no Content-Length, as an HTTP/2 client may.
              request.setChunked(true).write(body.substring(0, 4));
              return request.send(body.substring(4));
            }).compose(r -> {
              assertThat(r.version()).isEqualTo(io.vertx.core.http.HttpVersion.HTTP_2);
              return r.body().map(b -> Map.entry(r.statusCode(), b.toString()));
            }));
        assertThat(response.getKey()).isEqualTo(200);
        JsonObject echoed = new JsonObject(response.getValue());
        assertThat(echoed.getString("uri")).isEqualTo("/base/items?h2");
        assertThat(echoed.getString("body")).isEqualTo(body);
      }
      // And an upstream body of unknown length goes back framed, whole.
      String trickle = dev.gantry.runtime.support.OnEventLoop.call(backendVertx, () -> h2.request(
              io.vertx.core.http.HttpMethod.GET, gateway.port(), "127.0.0.1", "/shop/v1/trickle")
          .compose(io.vertx.core.http.HttpClientRequest::send)
          .compose(r -> r.body().map(b -> r.version() + " " + r.statusCode() + " " + b)));
      assertThat(trickle).isEqualTo("HTTP_2 200 01234567");
    } finally {
      h2.close();
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length from {@code in}; returns its body. */
  static String readResponseBody(InputStream in) throws Exception {
    return readResponseBody(in, "200 OK");
  }

  /** The body of the next response on a keep-alive connection, which must have {@code status} and a length. */
  static String readResponseBody(InputStream in, String status) throws Exception {
    return readResponse(in, status)[1];
  }

  /** The head and body of the next response, which must have {@code status} and a length. */
  static String[] readResponse(InputStream in, String status) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      assertThat(c).as("response head so far: %s", head).isNotNegative();
      head.append((char) c);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 " + status + "\r\n");
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$")
        .matcher(head);
    assertThat(length.find()).as("Content-Length in %s", head).isTrue();
    byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
    return new String[] {head.toString(), new String(body, StandardCharsets.UTF_8)};
  }

  /** A keep-alive connection to the gateway written raw: requests as given, which the JDK client would not send. */
  static final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawConnection() throws java.io.IOException {
      socket = new Socket("127.0.0.1", gateway.port());
      socket.setSoTimeout(5000);
      out = socket.getOutputStream();
      in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    void send(String request) throws java.io.IOException {
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    private String head;

    /** The next response's body; it must be a 200 with a length. */
    String body() throws Exception {
      return body("200 OK");
    }

    String body(String status) throws Exception {
      String[] response = readResponse(in, status);
      head = response[0];
      return response[1];
    }

    /** The next interim (1xx) response's head, read within a second (a client that asked would wait). */
    String interim() throws java.io.IOException {
      socket.setSoTimeout(1000);
      try {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
          int c = in.read();
          if (c < 0) {
            break;
          }
          head.append((char) c);
        }
        return head.toString();
      } catch (java.net.SocketTimeoutException none) {
        return "(no interim response within 1 s)";
      } finally {
        socket.setSoTimeout(5000);
      }
    }

    /** The head of the response whose body was read last. */
    String head() {
      return head;
    }

    /** Whether the gateway closes the connection now (rather than keeping it for another request). */
    boolean closedByServer() throws java.io.IOException {
      try {
        return in.read() == -1;
      } catch (java.net.SocketTimeoutException keptOpen) {
        return false;
      }
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
    }
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405WithAllow() throws Exception {
    HttpResponse<String> notFound = send(get("/shop/v1/nothing"));
    HttpResponse<String> wrongMethod = send(get("/shop/v1/items").method("DELETE", HttpRequest.BodyPublishers.noBody()));

    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(notFound.body()).getString("error")).isEqualTo("not_found");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, POST");
  }

  @Test
  void aPrincipalHeaderSentToAPublicOperationIsNotPassedOn() throws Exception {
    HttpResponse<String> forged = send(get("/shop/v1/items").header("x-gantry-principal", "mallory"));

    assertThat(forged.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(forged.body()).getJsonObject("headers").fieldNames()).doesNotContain("x-gantry-principal");
  }

  @Test
  void apiKeyIsRequiredAndThePrincipalIsPassedUpstreamNotForgeable() throws Exception {
    HttpResponse<String> anonymous = send(get("/shop/v1/items/7"));
    HttpResponse<String> wrongKey = send(get("/shop/v1/items/7").header("X-API-Key", "nope"));
    HttpResponse<String> ok = send(get("/shop/v1/items/7").header("X-API-Key", "key-alice")
        .header("X-Gantry-Principal", "mallory"));

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().allValues("WWW-Authenticate")).isNotEmpty();
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonObject headers = new JsonObject(ok.body()).getJsonObject("headers");
    assertThat(headers.getString("x-gantry-principal")).isEqualTo("alice");
    assertThat(new JsonObject(ok.body()).getString("uri")).isEqualTo("/base/items/7");
  }

  @Test
  void quotaPerConsumerAnswers429WithRetryAfterAndRateLimitHeaders() throws Exception {
    HttpResponse<String> last = null;
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = send(get("/shop/v1/items").header("X-API-Key", "key-alice")
          .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getString("body")).isEqualTo("{\"n\":" + i + "}");
      assertThat(r.headers().firstValue("RateLimit-Remaining")).contains(Integer.toString(2 - i));
      last = r;
    }
    HttpResponse<String> refused = send(get("/shop/v1/items").header("X-API-Key", "key-alice")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertThat(last.headers().firstValue("RateLimit-Limit")).contains("3");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
    assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("rate_limited");
  }

  @Test
  void tenfoldOverloadWithinOneWindowAdmitsExactlyTheQuota() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      responses.add(client.sendAsync(get("/shop/v1/popular").timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    Map<Integer, Long> byStatus = new java.util.TreeMap<>();
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      byStatus.merge(response.get(30, TimeUnit.SECONDS).statusCode(), 1L, Long::sum);
    }

    assertThat(byStatus).containsOnlyKeys(200, 429);
    assertThat(byStatus.get(200)).isBetween(50L, 51L);
  }

  @Test
  void upstreamFailuresAreShortJsonErrorsNeverHangs() throws Exception {
    HttpResponse<String> down = send(get("/shop/v1/down"));
    HttpResponse<String> slow = send(get("/shop/v1/slow"));
    HttpResponse<String> failover = send(get("/shop/v1/failover"));

    assertThat(down.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(down.body()).getString("error")).isEqualTo("upstream_unreachable");
    assertThat(slow.statusCode()).isEqualTo(504);
    assertThat(failover.statusCode()).isEqualTo(200);
  }

  @Test
  void aMissedResponseDeadlineIsA504AtTheDeadlineNotWhenTheUpstreamFinallyAnswers() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> slow = send(get("/shop/v1/slow")); // the backend answers after 2 s; the timeout is 300 ms
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(slow.statusCode()).isEqualTo(504);
    assertThat(new JsonObject(slow.body()).getString("error")).isEqualTo("upstream_timeout");
    assertThat(millis).as("answered at the deadline").isBetween(250L, 1500L);
  }

  @Test
  void aPooledConnectionIdleAlmostUntilItsTimeoutStillWaitsTheWholeResponseTimeout() throws Exception {
    // The patient Endpoint: 1 s to the headers, 2 s read idle timeout. One client connection, so one
    // event loop and one pooled upstream connection, idle here for 1.7 s before it carries the second request.
    try (RawConnection connection = new RawConnection()) {
      connection.send("GET /shop/v1/pause?ms=0 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(connection.body()).isEqualTo("paused");
      Thread.sleep(1700);
      // Answered after 600 ms, well inside the response timeout: the idle clock must start again with
      // the request, not cut it 300 ms in as a stalled body.
      connection.send("GET /shop/v1/pause?ms=600 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(connection.body()).isEqualTo("paused");
    }
  }

  @Test
  void theResponseTimeoutIsBetweenReadsNotForTheWholeBody() throws Exception {
    // 1.7 s of body in 200 ms steps through an Endpoint with a 300 ms response timeout.
    HttpResponse<String> trickle = send(get("/shop/v1/trickle"));

    assertThat(trickle.statusCode()).isEqualTo(200);
    assertThat(trickle.body()).isEqualTo("01234567");
  }

  @Test
  void anHttp10ClientGetsABodyOfUnknownLengthEndedByTheClose() throws Exception {
    // No chunked encoding in HTTP/1.0: the body runs until the connection closes (RFC 9112, 6.3).
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(8000);
      socket.getOutputStream().write("GET /shop/v1/trickle HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(answer).startsWith("HTTP/1.0 200").doesNotContainIgnoringCase("transfer-encoding").endsWith("\r\n\r\n01234567");
    }
  }

  @Test
  void aBodyThatStopsComingIsCutNotLeftHanging() throws Exception {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> stalled = client.sendAsync(get("/shop/v1/stall").build(),
        HttpResponse.BodyHandlers.ofString());

    // The headers went out already, so the client sees an aborted response, not a complete one.
    assertThat(stalled).failsWithin(Duration.ofSeconds(8));
    assertThat((System.nanoTime() - start) / 1_000_000).as("cut by the body's idle timeout").isLessThan(6000L);
  }

  @Test
  void aClientThatGoesAwayCancelsTheUpstreamRequest() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.getOutputStream().write("GET /shop/v1/hold HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      Thread.sleep(300); // the request is with the backend, which never answers (its timeout is 30 s)
    }
    long closed = System.nanoTime();
    long abandoned = holdAbandoned.get(5, TimeUnit.SECONDS);
    assertThat((abandoned - closed) / 1_000_000).as("upstream connection closed soon after the client's").isLessThan(2000L);
  }

  @Test
  void conflictingLengthsAndALengthBesideChunkedAreRejected() throws Exception {
    String twoLengths = raw("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
        + "Content-Length: 5\r\n\r\nabcde");
    String badEncoding = raw("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nX-API-Key: key-alice\r\n"
        + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
    // RFC 9112 6.3 lets a server refuse Content-Length beside chunked, and asks it to close the connection
    // either way: Netty's decoder (4.2.18) refuses it, so the next request on the connection is not read.
    String both = rawUntilClosed("GET /shop/v1/items HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /shop/v1/items HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(twoLengths).startsWith("HTTP/1.1 400");
    assertThat(badEncoding).startsWith("HTTP/1.1 400");
    assertThat(both).startsWith("HTTP/1.1 400");
    assertThat(both.split("HTTP/1.1 ", -1)).as("answers before the close, in: %s", both).hasSize(2);
  }

  /** RFC 9112 7.1.1: chunk extensions are ignored (Netty 4.2.12 refused a token value: no answer, the connection closed). */
  @Test
  void chunkExtensionsAreIgnored() throws Exception {
    String answer = raw("GET /shop/v1/items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=value\r\nhello\r\n6;flag;quoted=\"a b\"\r\n world\r\n0\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getString("body"))
        .isEqualTo("hello world");
  }

  /**
   * Refused for its framing, a request ends its connection (RFC 9112 6.3 asks this when chunked is not
   * the last coding): had a proxy in front read the body's end elsewhere, the bytes after the end the
   * gateway read would be served as a request of their own, one the proxy never saw. Netty's decoder
   * refuses most such requests itself (a bare 400, then the close); "gzip, chunked", which it frames as
   * chunked, is the gateway's own refusal.
   */
  @Test
  void aRequestRefusedForItsFramingEndsItsConnection() throws Exception {
    for (String encoding : List.of("gzip, chunked", "chunked, gzip", "chunked\r\nTransfer-Encoding: chunked")) {
      String answers = rawUntilClosed("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + encoding
          + "\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /shop/v1/items HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(answers).startsWith("HTTP/1.1 400");
      assertThat(answers.split("HTTP/1.1 ", -1)).as("answers before the close, in: %s", answers).hasSize(2);
    }
    assertThat(rawUntilClosed("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked"
        + "\r\n\r\n0\r\n\r\n")).contains("\"error\":\"bad_transfer_encoding\"");
    // HTTP/1.0 has no transfer codings (RFC 9112 6.1): chunked or not, the framing is faulty.
    String http10 = rawUntilClosed("POST /shop/v1/items HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /shop/v1/items HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(http10).startsWith("HTTP/1.0 400");
    assertThat(http10.split("HTTP/1.", -1)).as("answers before the close, in: %s", http10).hasSize(2);
  }

  @Test
  void aRequestWithoutExactlyOneValidHostIsRefusedBeforeItGoesUpstream() throws Exception {
    // Two Hosts can mean one site to the gateway (X-Forwarded-Host, Forwarded) and another to whatever
    // reads them behind it; RFC 9112 3.2 has a 400 for each of these.
    String twoHosts = raw("GET /shop/v1/items HTTP/1.1\r\nHost: shop.example\r\nHost: admin.example\r\n\r\n");
    String noHost = raw("GET /shop/v1/items HTTP/1.1\r\n\r\n");
    String badHost = raw("GET /shop/v1/items HTTP/1.1\r\nHost: shop.example/admin\r\n\r\n");

    for (String refused : List.of(twoHosts, noHost, badHost)) {
      assertThat(refused).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_host\"");
    }
    assertThat(raw("GET /shop/v1/items HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n")).startsWith("HTTP/1.1 200");
    // HTTP/1.0 had no Host yet.
    assertThat(raw("GET /shop/v1/items HTTP/1.0\r\n\r\n")).matches("(?s)HTTP/1\\.[01] 200 .*");
  }

  @Test
  void anAbsoluteFormTargetGoesUpstreamInOriginFormWithItsOwnAuthority() throws Exception {
    // RFC 9112 3.2.2: a target in absolute form names the authority, and the Host field is ignored.
    // The upstream gets origin form: the client's URL (another host, perhaps) never reaches it.
    try (RawConnection connection = new RawConnection()) {
      connection.send("GET http://shop.example:8080/shop/v1/items?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n");
      JsonObject echoed = new JsonObject(connection.body());

      assertThat(echoed.getString("uri")).isEqualTo("/base/items?q=1");
      assertThat(echoed.getJsonObject("headers").getString("x-forwarded-host")).isEqualTo("shop.example:8080");
      assertThat(echoed.getJsonObject("headers").getString("forwarded")).contains("host=\"shop.example:8080\"");
    }
    for (String target : List.of("ftp://shop.example/shop/v1/items", "http:///shop/v1/items",
        "http://user@shop.example/shop/v1/items")) {
      assertThat(raw("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")).as(target).startsWith("HTTP/1.1 400");
    }
  }

  @Test
  void dotSegmentsNeverReachTheUpstream() throws Exception {
    // "/items/.." would match /items/{id} (key required) and reach the upstream as its /items:
    // another operation than the one whose security and quota admitted it.
    for (String path : List.of("/shop/v1/items/..", "/shop/v1/items/.", "/shop/v1/items/%2e%2E", "/shop/v1/items/%2E",
        "/shop/v1/x/../items/1", "/shop/v1/items/1/..?q", "/shop/v1/items/..%2Fslow")) {
      assertThat(raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-API-Key: key-alice\r\n\r\n")).as(path)
          .startsWith("HTTP/1.1 400").contains("\"error\":\"bad_path\"");
    }
    // Dots inside a segment are a name like any other.
    assertThat(raw("GET /shop/v1/items/a..b HTTP/1.1\r\nHost: x\r\nX-API-Key: key-alice\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void aClientsConnectionCloseEndsItsConnectionAfterTheAnswerAndIsNotPassedOn() throws Exception {
    // The Connection header is removed from the request before it goes upstream; the client's
    // connection must still close after its answer.
    try (RawConnection connection = new RawConnection()) {
      connection.send("GET /shop/v1/items?last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      JsonObject echoed = new JsonObject(connection.body());

      assertThat(echoed.getString("uri")).isEqualTo("/base/items?last");
      assertThat(echoed.getJsonObject("headers").fieldNames()).doesNotContain("connection");
      assertThat(connection.head()).containsIgnoringCase("\r\nconnection: close\r\n");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void expectContinueIsAnsweredByTheGatewayOnceTheRequestIsAdmitted() throws Exception {
    // A client that asks first (curl does for larger bodies) gets 100 Continue from the gateway once
    // security and quota let it in, sends its body and gets the upstream's answer; Expect is not
    // passed on (the upstream's own 100 would stop at the gateway). Refused, it need not send the body.
    try (RawConnection connection = new RawConnection()) {
      connection.send("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nX-API-Key: key-dora\r\n"
          + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(connection.interim()).startsWith("HTTP/1.1 100 Continue");
      connection.send("hello");
      JsonObject echoed = new JsonObject(connection.body());
      assertThat(echoed.getString("body")).isEqualTo("hello");
      assertThat(echoed.getJsonObject("headers").fieldNames()).doesNotContain("expect");
    }
    try (RawConnection connection = new RawConnection()) {
      connection.send("POST /shop/v1/items/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(connection.body("405 Method Not Allowed")).contains("method_not_allowed");
    }
    try (RawConnection connection = new RawConnection()) {
      connection.send("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(connection.body("401 Unauthorized")).contains("unauthorized");
    }
    try (RawConnection connection = new RawConnection()) {
      connection.send("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nX-API-Key: key-dora\r\n"
          + "Content-Length: 5\r\nExpect: something-else\r\n\r\n");
      assertThat(connection.body("417 Expectation Failed")).contains("expectation_failed");
    }
  }

  @Test
  void oversizedRequestsAreRefused() throws Exception {
    String longUri = raw("GET /shop/v1/items?q=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    HttpResponse<String> bigHeader = send(get("/shop/v1/items").header("X-Big", "b".repeat(10_000)));
    String bigBody = raw("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n");

    assertThat(longUri).startsWith("HTTP/1.1 414");
    assertThat(bigHeader.statusCode()).isEqualTo(431);
    assertThat(bigBody).startsWith("HTTP/1.1 413");
    // A chunked body announces no size: it is counted as it streams and cut off at the limit.
    assertThat(rawChunked("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nX-API-Key: key-other\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n", 11 * 1024 * 1024)).startsWith("HTTP/1.1 413");
  }

  @Test
  void aConnectionAnsweredBeforeItsBodyEndedServesTheNextRequestOnceTheBodyIsIn() throws Exception {
    // Refused while its body still comes (no key): the rest is read and dropped and the connection
    // kept (a discard that closed it, or stopped short of the body's end, would fail here).
    try (RawConnection connection = new RawConnection()) {
      connection.send("GET /shop/v1/items/7 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n");
      assertThat(connection.body("401 Unauthorized")).contains("unauthorized");
      connection.send("6\r\n world\r\n0\r\n\r\n"
          + "GET /shop/v1/items/7 HTTP/1.1\r\nHost: x\r\nX-API-Key: key-alice\r\n\r\n");
      assertThat(new JsonObject(connection.body()).getString("uri")).isEqualTo("/base/items/7");
    }
  }

  @Test
  void aBodyCutAtTheLimitIsAnswered413AndTheConnectionClosedOnceItRunsOnNotLeftPaused() throws Exception {
    // The rest of the body is not wanted: it is read and dropped up to a bound, then the connection
    // ends (an endless chunked body cannot run on, nor sit paused until the body timeout), and what
    // Vert.x had read for the paused request is freed.
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /shop/v1/items HTTP/1.1\r\nHost: x\r\nX-API-Key: key-other\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      Thread writer = new Thread(() -> {
        try {
          byte[] chunk = new byte[64 * 1024];
          for (int sent = 0; sent < 12 * 1024 * 1024; sent += chunk.length) {
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          }
        } catch (java.io.IOException closedByServer) {
          // expected: the gateway closes the connection after its answer
        }
      });
      writer.start();
      java.io.InputStream in = socket.getInputStream();
      assertThat(RawResponses.read(in)).startsWith("HTTP/1.1 413 ");
      int next;
      try {
        next = in.read();
      } catch (java.net.SocketException reset) { // closed while the client still sent
        next = -1;
      }
      assertThat(next).as("closed after the answer").isEqualTo(-1);
      writer.join(10_000);
    }
  }

  /** Sends a head, then {@code bytes} of chunked body from another thread (the server may stop reading). */
  static String rawChunked(String head, int bytes) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread writer = new Thread(() -> {
        try {
          byte[] chunk = new byte[64 * 1024];
          for (int sent = 0; sent < bytes; sent += chunk.length) {
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } catch (java.io.IOException closedByServer) {
          // expected once the gateway has answered
        }
      });
      writer.start();
      byte[] buffer = new byte[4096];
      int n = socket.getInputStream().read(buffer);
      writer.join(10_000);
      return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }
  }

  /** {@code requests} on one connection, and all that comes back until the gateway closes it (at most 5 s). */
  static String rawUntilClosed(String requests) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(5000); // a connection left open fails the test here
      socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  static String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int n = in.read(buffer);
      return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void metricsAndHealthAreOnTheManagementPort() throws Exception {
    send(get("/shop/v1/items"));
    URI metricsUri = URI.create("http://127.0.0.1:" + gateway.managementPort() + "/metrics");
    // A request is counted once its response has been written, which the client may see first; its
    // meters register one after the other, so a scrape in between can show the timer alone.
    String metrics = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!metrics.contains("gantry_requests_total{api=\"shop\",operation=\"listItems\",status=\"200\"}")
        && System.nanoTime() < deadline) {
      metrics = send(HttpRequest.newBuilder(metricsUri)).body();
    }
    HttpResponse<String> ready = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.managementPort() + "/health/ready")));

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(metrics).contains("gantry_requests_total{api=\"shop\",operation=\"listItems\",status=\"200\"}",
        "gantry_request_duration_seconds_bucket", "gantry_upstream_duration_seconds_bucket");
  }


  /**
   * Vert.x makes a file cache directory per instance unless told not to, and deletes it only on a
   * clean close: every killed gateway left a {@code vertx-cache-*} in {@code /tmp} (an emptyDir
   * with a size limit in the pods). The gateway serves no files, so it makes none.
   */
  @Test
  void aGatewayMakesNoVertxFileCache() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Set<Path> before = vertxCaches(tmp);
    GatewayServer another = TestBundles.serve(temp.resolve("build"), temp.resolve("secrets"), 1);
    try {
      assertThat(vertxCaches(tmp)).isEqualTo(before);
    } finally {
      another.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  static Set<Path> vertxCaches(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(dir)) {
      return entries.filter(entry -> entry.getFileName().toString().startsWith("vertx-cache"))
          .collect(java.util.stream.Collectors.toSet());
    }
  }
}
