package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.security.Pki;
import dev.gantry.runtime.server.ClientTimeouts;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import dev.gantry.runtime.support.RawResponses;
import dev.gantry.runtime.support.Scrape;
import dev.gantry.runtime.support.TestBundles;
import dev.gantry.runtime.support.OnEventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and silent clients over real sockets (gateway timeouts: request head 1 s, body 1 s,
 * keep-alive 2 s, two event loops): a head dribbled byte by byte (slowloris), a silent or an
 * idle connection are closed without an answer, a stalled body gets 408 and the upstream's
 * request is dropped, a client that stops reading its response is cut off. What is not the
 * client's doing is not timed: a slow upstream, an idle WebSocket. Over plain text Vert.x hands a
 * connection to the gateway's timing at its first request, over TLS at once: both are tested.
 * HTTP/2 connections get the keep-alive timeout, counted from their last open stream, and a stream
 * whose body stalls, or whose client stops taking its response, is reset (not one whose body the
 * upstream holds back). The management
 * port speaks HTTP/1.1 only and closes a connection silent for the head timeout.
 */
class SlowClientIT {
  static final String OPENAPI = """
      openapi: 3.0.3
      info: {title: slow, version: "1"}
      x-gantry-endpoint: backend
      paths:
        /fast: {get: {operationId: fast, responses: {"200": {description: ok}}}}
        /late: {get: {operationId: late, responses: {"200": {description: ok}}}}
        /big: {get: {operationId: big, responses: {"200": {description: ok}}}}
        /upload: {post: {operationId: upload, responses: {"200": {description: ok}}}}
        /held: {post: {operationId: held, responses: {"200": {description: ok}}}}
        /ws: {get: {operationId: ws, responses: {"101": {description: switched}}}}
      """;
  static final String RESOURCES = """
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: backend}
      spec: {urls: ["http://127.0.0.1:%d"]}
      """;
  static final long BIG_BYTES = 256L * 1024 * 1024;

  @TempDir
  static Path temp;
  static Vertx vertx;
  static HttpServer backend;
  static GatewayServer gateway;
  /** The same bundle and timeouts over TLS: Vert.x hands a TLS connection over at once, not at its first request. */
  static GatewayServer tlsGateway;
  static SSLContext clientTls;
  static final AtomicInteger uploadsAborted = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer()
        .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
        .requestHandler(request -> {
          switch (request.path()) {
            case "/late" -> vertx.setTimer(2500, id -> request.response().end("late"));
            case "/big" -> stream(request.response().setChunked(true), BIG_BYTES);
            case "/held" -> { // reads its body only after 2.5 s
              request.pause();
              vertx.setTimer(2500, id -> {
                request.body().onSuccess(body -> request.response().end("got " + body.length()));
                request.resume();
              });
            }
            case "/upload" -> {
              request.exceptionHandler(e -> uploadsAborted.incrementAndGet());
              request.body().onSuccess(body -> request.response().end("got " + body.length()));
            }
            default -> request.response().end("fast");
          }
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestBundles.build(temp.resolve("out"), "slow", "v1", OPENAPI, RESOURCES.formatted(backend.actualPort()));
    GatewayConfig config = new ConfigLoader(Map.of())
        .load(temp.resolve("out/bundle"), temp.resolve("out/environment.yaml"), temp);
    ClientTimeouts timeouts = new ClientTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2));
    ServerSettings settings = new ServerSettings("127.0.0.1", 0, 0, null, null, 2, false, Duration.ZERO,
        Duration.ofSeconds(1), timeouts);
    gateway = GatewayServer.start(config, settings).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

    Pki.Issued ca = Pki.ca("slow-ca");
    Pki.Issued cert = Pki.server(ca);
    Path crt = Files.writeString(temp.resolve("gateway.crt"), cert.certificatePem());
    Path key = Files.writeString(temp.resolve("gateway.key"), cert.privateKeyPem());
    tlsGateway = GatewayServer.start(config, new ServerSettings("127.0.0.1", 0, 0, crt, key, 1, false, Duration.ZERO,
        Duration.ofSeconds(1), timeouts)).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, trust.getTrustManagers(), null);
  }

  /** Writes {@code left} bytes in 64 KiB chunks, as fast as the gateway takes them. */
  static void stream(HttpServerResponse response, long left) {
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    while (left > 0 && !response.writeQueueFull()) {
      response.write(chunk);
      left -= chunk.length();
    }
    if (left <= 0) {
      response.end();
    } else {
      long rest = left;
      response.drainHandler(v -> stream(response, rest));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (GatewayServer server : new GatewayServer[] {gateway, tlsGateway}) {
      if (server != null) {
        server.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", gateway.port());
    socket.setSoTimeout(6000); // a gateway that never times out fails the test here
    return socket;
  }

  /** A TLS connection to the TLS gateway, handshake done (no ALPN: HTTP/1.1). */
  static Socket connectTls() throws IOException {
    SSLSocket socket = (SSLSocket) clientTls.getSocketFactory().createSocket("localhost", tlsGateway.port());
    socket.setSoTimeout(6000);
    socket.startHandshake();
    return socket;
  }

  static void send(Socket socket, String text) throws IOException {
    RawResponses.send(socket, text);
  }

  /** Everything the gateway sends until it closes the connection (a reset counts as a close). */
  static String untilClosed(Socket socket) throws IOException {
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[4096];
    InputStream in = socket.getInputStream();
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketException | SSLException reset) {
      // closed with unread data on its side: still closed
    }
    return text.toString();
  }

  /** gantry_client_timeouts_total{phase} from the plain gateway's management port. */
  static double timeouts(String phase) throws Exception {
    return timeouts(gateway, phase);
  }

  static double timeouts(GatewayServer server, String phase) throws Exception {
    return metric(server, "gantry_client_timeouts_total\\{phase=\"" + phase + "\",?\\}", true);
  }

  /** The value of the /metrics line whose name and labels match {@code series} (a regex), 0 if none (unless required). */
  static double metric(String series, boolean required) throws Exception {
    return metric(gateway, series, required);
  }

  static double metric(GatewayServer server, String series, boolean required) throws Exception {
    // HTTP/1.1, as a scraper asks: the JDK client's default h2c upgrade once hung here in CI.
    Double value = Scrape.metric(server.managementPort(), series);
    assertThat(value != null || !required).as("a %s line in /metrics", series).isTrue();
    return value == null ? 0 : value;
  }

  /** Sends the start of a head, then a byte every 200 ms for 6 s (slowloris); returns what came back and when. */
  static long dribbleUntilClosed(Socket socket, StringBuilder answer) throws Exception {
    long started = System.nanoTime();
    send(socket, "GET /slow/v1/fast HTTP/1.1\r\nHost: x\r\nX-Padding: ");
    Thread dribble = new Thread(() -> {
      try {
        for (int i = 0; i < 30; i++) {
          Thread.sleep(200);
          send(socket, "a");
        }
      } catch (Exception closed) {
        // the gateway closed the connection: what the test waits for
      }
    });
    dribble.start();
    answer.append(untilClosed(socket));
    long millis = (System.nanoTime() - started) / 1_000_000;
    dribble.join(10_000);
    return millis;
  }

  @Test
  void aFirstHeadDribbledByteByByteIsCutOffAtTheHeaderTimeout() throws Exception {
    double counted = timeouts("request_header");
    try (Socket socket = connect()) {
      StringBuilder answer = new StringBuilder();
      long millis = dribbleUntilClosed(socket, answer);
      assertThat(answer).as("closed without an answer, as nginx does").isEmpty();
      assertThat(millis).as("closed after the 1 s header timeout, not when the dribble ends (6 s)")
          .isBetween(900L, 2500L);
    }
    assertThat(timeouts("request_header")).as("counted once").isEqualTo(counted + 1);
  }

  @Test
  void aNextHeadDribbledOnAKeptAliveConnectionIsCutOffAtTheHeaderTimeout() throws Exception {
    double counted = timeouts("request_header");
    try (Socket socket = connect()) {
      send(socket, "GET /slow/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawResponses.read(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("fast");
      StringBuilder answer = new StringBuilder();
      long millis = dribbleUntilClosed(socket, answer);
      assertThat(answer).isEmpty();
      assertThat(millis).as("the 1 s header timeout, not the 2 s keep-alive nor the 6 s dribble")
          .isBetween(900L, 1900L);
    }
    assertThat(timeouts("request_header")).as("counted").isGreaterThan(counted);
  }

  @Test
  void aPipelinedHeadStartedBehindASlowAnswerGetsTheHeaderTimeoutNotTheKeepAlive() throws Exception {
    double counted = timeouts("request_header");
    try (Socket socket = connect()) {
      // The first request waits 2.5 s on its upstream; the second's head starts meanwhile, never ends.
      send(socket, "GET /slow/v1/late HTTP/1.1\r\nHost: x\r\n\r\n");
      Thread.sleep(300);
      send(socket, "GET /slow/v1/fast HTTP/1.1\r\nHost: x\r\nX-Pad: ");
      InputStream in = socket.getInputStream();
      assertThat(RawResponses.read(in)).startsWith("HTTP/1.1 200 ").endsWith("late");
      long answered = System.nanoTime();
      assertThat(untilClosed(socket)).isEmpty();
      assertThat((System.nanoTime() - answered) / 1_000_000).as("the 1 s header timeout, not the 2 s keep-alive")
          .isBetween(700L, 1900L);
    }
    assertThat(timeouts("request_header")).isGreaterThan(counted);
  }

  @Test
  void overTlsASilentConnectionIsClosedAfterTheHeaderTimeout() throws Exception {
    double counted = timeouts(tlsGateway, "request_header");
    try (Socket socket = connectTls()) {
      long started = System.nanoTime();
      assertThat(untilClosed(socket)).isEmpty();
      assertThat((System.nanoTime() - started) / 1_000_000).isBetween(700L, 2500L);
    }
    assertThat(timeouts(tlsGateway, "request_header")).as("counted once").isEqualTo(counted + 1);
  }

  @Test
  void overTlsAHandshakeDribbledByteByByteIsCutOffAtTheHeaderTimeout() throws Exception {
    double counted = timeouts(tlsGateway, "request_header");
    // A TLS record header announcing a ClientHello, then a byte every 200 ms: every byte resets an
    // idle timeout, so only a bound on the whole handshake ends it (Vert.x's default is 10 s).
    try (Socket socket = new Socket("127.0.0.1", tlsGateway.port())) {
      socket.setSoTimeout(6000);
      long started = System.nanoTime();
      socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
      Thread dribble = new Thread(() -> {
        try {
          for (int i = 0; i < 30; i++) {
            Thread.sleep(200);
            socket.getOutputStream().write(0);
          }
        } catch (Exception closed) {
          // the gateway closed the connection: what the test waits for
        }
      });
      dribble.start();
      untilClosed(socket);
      long millis = (System.nanoTime() - started) / 1_000_000;
      dribble.join(10_000);
      assertThat(millis).as("the 1 s header timeout bounds the handshake, not the 6 s dribble")
          .isBetween(700L, 2500L);
    }
    assertThat(timeouts(tlsGateway, "request_header")).as("counted once").isEqualTo(counted + 1);
  }

  @Test
  void overTlsAKeptAliveConnectionIsTimedLikeAPlainOne() throws Exception {
    try (Socket socket = connectTls()) {
      send(socket, "GET /slow/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawResponses.read(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("fast");
      StringBuilder answer = new StringBuilder();
      long millis = dribbleUntilClosed(socket, answer);
      assertThat(answer).isEmpty();
      assertThat(millis).isBetween(900L, 1900L);
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedWithoutAnAnswer() throws Exception {
    double counted = timeouts("request_header");
    try (Socket socket = connect()) {
      long started = System.nanoTime();
      assertThat(untilClosed(socket)).isEmpty();
      assertThat((System.nanoTime() - started) / 1_000_000).isBetween(900L, 2500L);
    }
    assertThat(timeouts("request_header")).as("counted once").isEqualTo(counted + 1);
  }

  @Test
  void anIdleKeepAliveConnectionLastsItsTimeoutAndNoLonger() throws Exception {
    double counted = timeouts("keep_alive");
    try (Socket socket = connect()) {
      send(socket, "GET /slow/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawResponses.read(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("fast");
      Thread.sleep(1500); // past the header timeout, within keep-alive: idle is not a slow head
      send(socket, "GET /slow/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawResponses.read(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("fast");
      long idleFrom = System.nanoTime();
      assertThat(untilClosed(socket)).isEmpty();
      assertThat((System.nanoTime() - idleFrom) / 1_000_000).isBetween(1900L, 3500L);
    }
    assertThat(timeouts("keep_alive")).as("counted").isGreaterThan(counted);
  }

  @Test
  void aStalledBodyGets408AndTheUpstreamRequestIsDropped() throws Exception {
    double counted = timeouts("body");
    String answered408 = "gantry_requests_total\\{api=\"slow\",operation=\"upload\",status=\"408\",?\\}";
    double counted408 = metric(answered408, false);
    int abortedBefore = uploadsAborted.get();
    try (Socket socket = connect()) {
      send(socket, "POST /slow/v1/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
      long started = System.nanoTime();
      String answer = untilClosed(socket);
      assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\"error\":\"request_timeout\"");
      assertThat((System.nanoTime() - started) / 1_000_000).isBetween(900L, 2500L);
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (uploadsAborted.get() == abortedBefore && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(uploadsAborted.get()).as("the upstream saw its request end unfinished").isGreaterThan(abortedBefore);
    assertThat(timeouts("body")).as("counted").isGreaterThan(counted);
    assertThat(metric(answered408, false)).as("the request counted with the 408 its client got, not as gone (0)")
        .isEqualTo(counted408 + 1);
  }

  @Test
  void aStalledBodyOnAKeptAliveConnectionGets408WithItsRequestId() throws Exception {
    try (Socket socket = connect()) {
      send(socket, "GET /slow/v1/fast HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawResponses.read(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("fast");
      // A later request's head passes the gateway's timing, so its 408 can carry its id (a first one's
      // is decoded before the connection is handed over: see README).
      send(socket, "POST /slow/v1/upload HTTP/1.1\r\nHost: x\r\nX-Request-Id: stalled-2\r\nContent-Length: 100\r\n\r\n"
          + "0123456789");
      assertThat(untilClosed(socket)).startsWith("HTTP/1.1 408 ").containsIgnoringCase("x-request-id: stalled-2\r\n");
    }
  }

  @Test
  void aBodySentInTimeReachesTheUpstream() throws Exception {
    try (Socket socket = connect()) {
      send(socket, "POST /slow/v1/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n0123456789");
      Thread.sleep(700); // a pause shorter than the body timeout; each piece starts the clock again
      send(socket, "01234");
      Thread.sleep(700);
      send(socket, "56789");
      assertThat(RawResponses.read(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("got 20");
    }
  }

  @Test
  void aSlowUpstreamIsNotTheClientsDelay() throws Exception {
    try (Socket socket = connect()) {
      send(socket, "GET /slow/v1/late HTTP/1.1\r\nHost: x\r\n\r\n"); // 2.5 s: past every client timeout
      assertThat(RawResponses.read(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("late");
    }
  }

  @Test
  void aClientThatStopsReadingItsResponseIsCutOff() throws Exception {
    double counted = timeouts("response");
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(16 * 1024);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", gateway.port()));
      socket.setSoTimeout(6000);
      send(socket, "GET /slow/v1/big HTTP/1.1\r\nHost: x\r\n\r\n");
      Thread.sleep(4000); // not reading: the gateway's write queue fills and stays full
      long received = 0;
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          received += n;
        }
      } catch (SocketException | SSLException reset) {
        // cut off
      }
      assertThat(received).as("the connection ended before the whole body").isLessThan(BIG_BYTES);
    }
    assertThat(timeouts("response")).as("counted").isGreaterThan(counted);
  }

  /** An HTTP/2 (prior knowledge) GET on a new connection; {@code closed} completes when the gateway ends it. */
  static String http2Get(HttpClient h2, String path, CompletableFuture<Long> closed) throws Exception {
    return dev.gantry.runtime.support.OnEventLoop.call(vertx, () -> h2.request(HttpMethod.GET, gateway.port(),
            "127.0.0.1", path)
        .compose(request -> {
          request.connection().closeHandler(v -> closed.complete(System.nanoTime()));
          return request.send().compose(HttpClientResponse::body);
        })).toString();
  }

  static HttpClient http2Client() {
    return vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setHttp2KeepAliveTimeout(60));
  }

  @Test
  void anIdleHttp2ConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
    HttpClient h2 = http2Client();
    try {
      CompletableFuture<Long> closed = new CompletableFuture<>();
      assertThat(http2Get(h2, "/slow/v1/fast", closed)).isEqualTo("fast");
      long answered = System.nanoTime();
      assertThat((closed.get(6, TimeUnit.SECONDS) - answered) / 1_000_000).as("the 2 s keep-alive timeout")
          .isBetween(1700L, 3500L);
    } finally {
      h2.close();
    }
  }

  @Test
  void anHttp2StreamWaitingOnASlowUpstreamKeepsItsConnection() throws Exception {
    HttpClient h2 = http2Client();
    try {
      CompletableFuture<Long> closed = new CompletableFuture<>();
      assertThat(http2Get(h2, "/slow/v1/late", closed)).as("2.5 s upstream, 2 s keep-alive").isEqualTo("late");
      assertThat(closed).isNotDone();
    } finally {
      h2.close();
    }
  }

  @Test
  void anHttp2ConnectionInUseIsNotClosed() throws Exception {
    HttpClient h2 = http2Client();
    try {
      CompletableFuture<Long> closed = new CompletableFuture<>();
      for (int i = 0; i < 7; i++) { // 3.5 s of requests 0.5 s apart, on one connection, past the 2 s keep-alive
        assertThat(http2Get(h2, "/slow/v1/fast", closed)).isEqualTo("fast");
        Thread.sleep(500);
      }
      assertThat(closed).isNotDone();
    } finally {
      h2.close();
    }
  }

  /**
   * An HTTP/2 POST of {@code pieces}, {@code pauseMillis} apart, ended or not; the response body, or
   * the failure (a reset stream) once the gateway gives up on it. {@code writing} tells when the
   * last piece went out. The connection's close completes {@code closed}.
   */
  static Future<String> http2Upload(HttpClient h2, String path, java.util.List<String> pieces, long pauseMillis,
                                    boolean end, CompletableFuture<Long> lastWritten, CompletableFuture<Long> closed) {
    return h2.request(HttpMethod.POST, gateway.port(), "127.0.0.1", path).compose(request -> {
      request.connection().closeHandler(v -> closed.complete(System.nanoTime()));
      request.setChunked(true); // Vert.x's client asks it of a body of unknown length; HTTP/2 frames it as DATA
      Future<String> answered = request.response().compose(HttpClientResponse::body).map(Buffer::toString);
      long delay = 0;
      for (int i = 0; i < pieces.size(); i++) {
        String piece = pieces.get(i);
        boolean last = i == pieces.size() - 1;
        vertx.setTimer(Math.max(1, delay), id -> {
          if (last && end) {
            request.end(piece);
          } else {
            request.write(piece);
          }
          if (last) {
            lastWritten.complete(System.nanoTime());
          }
        });
        delay += pauseMillis;
      }
      return answered;
    });
  }

  @Test
  void aStalledHttp2BodyResetsItsStreamAndTheUpstreamRequestIsDropped() throws Exception {
    double counted = timeouts("body");
    String answered408 = "gantry_requests_total\\{api=\"slow\",operation=\"upload\",status=\"408\",?\\}";
    double counted408 = metric(answered408, false);
    int abortedBefore = uploadsAborted.get();
    HttpClient h2 = http2Client();
    try {
      CompletableFuture<Long> lastWritten = new CompletableFuture<>();
      CompletableFuture<Long> closed = new CompletableFuture<>();
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      vertx.runOnContext(v -> http2Upload(h2, "/slow/v1/upload", java.util.List.of("0123456789"), 0, false,
          lastWritten, closed).onComplete(done -> outcome.complete(done.succeeded() ? done.result() : done.cause())));
      Object result = outcome.get(6, TimeUnit.SECONDS); // a gateway that never times the body fails here
      long millis = (System.nanoTime() - lastWritten.get()) / 1_000_000;
      assertThat(result).as("the stream is reset, not answered").isInstanceOf(io.vertx.core.http.StreamResetException.class);
      assertThat(((io.vertx.core.http.StreamResetException) result).getCode()).as("CANCEL").isEqualTo(8L);
      assertThat(millis).as("the 1 s body timeout").isBetween(900L, 2500L);
      assertThat(closed).as("only the stream ends, not the connection").isNotDone();
      assertThat(http2Get(h2, "/slow/v1/fast", closed)).as("the connection serves on").isEqualTo("fast");
    } finally {
      h2.close();
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (uploadsAborted.get() == abortedBefore && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(uploadsAborted.get()).as("the upstream saw its request end unfinished").isGreaterThan(abortedBefore);
    assertThat(timeouts("body")).as("counted").isGreaterThan(counted);
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (metric(answered408, false) == counted408 && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(metric(answered408, false)).as("the request counted as the body timeout's 408, not as gone (0)")
        .isEqualTo(counted408 + 1);
  }

  @Test
  void anHttp2BodySentInTimeReachesTheUpstream() throws Exception {
    HttpClient h2 = http2Client();
    try {
      // Pauses shorter than the body timeout, 2.1 s in all: each DATA frame starts the clock again.
      assertThat(OnEventLoop.call(vertx, () -> http2Upload(h2, "/slow/v1/upload",
              java.util.List.of("0123456789", "01234", "56789", "!"), 700, true, new CompletableFuture<>(),
              new CompletableFuture<>())))
          .isEqualTo("got 21");
    } finally {
      h2.close();
    }
  }

  @Test
  void anHttp2BodyHeldBackByASlowUpstreamIsNotTheClientsDelay() throws Exception {
    HttpClient h2 = http2Client();
    try {
      // The upstream reads nothing for 2.5 s: the gateway stops taking the body, and the client,
      // its window spent, cannot send. Longer than the 1 s body timeout, yet not the client's delay.
      String mebibyte = "x".repeat(1024 * 1024);
      java.util.List<String> pieces = java.util.Collections.nCopies(8, mebibyte);
      assertThat(OnEventLoop.call(vertx, () -> http2Upload(h2, "/slow/v1/held", pieces, 0, true,
              new CompletableFuture<>(), new CompletableFuture<>())))
          .isEqualTo("got " + 8 * mebibyte.length());
    } finally {
      h2.close();
    }
  }

  @Test
  void anHttp2ClientThatStopsReadingItsResponseHasItsStreamReset() throws Exception {
    double counted = timeouts("response");
    HttpClient h2 = http2Client();
    try {
      CompletableFuture<Throwable> reset = new CompletableFuture<>();
      CompletableFuture<Long> closed = new CompletableFuture<>();
      // Paused, the client takes no more DATA and sends no WINDOW_UPDATE: the stream's window shuts.
      vertx.runOnContext(v -> h2.request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/slow/v1/big")
          .compose(request -> {
            request.connection().closeHandler(x -> closed.complete(System.nanoTime()));
            return request.send();
          })
          .onSuccess(response -> {
            response.pause();
            response.exceptionHandler(reset::complete);
          })
          .onFailure(reset::complete));
      Throwable cause = reset.get(6, TimeUnit.SECONDS); // a gateway that never gives up fails here
      assertThat(cause).as("the stream is reset").isInstanceOf(io.vertx.core.http.StreamResetException.class);
      assertThat(closed).as("only the stream ends, not the connection").isNotDone();
      assertThat(http2Get(h2, "/slow/v1/fast", closed)).as("the connection serves on").isEqualTo("fast");
    } finally {
      h2.close();
    }
    assertThat(timeouts("response")).as("counted").isGreaterThan(counted);
  }

  @Test
  void anHttp2ClientThatReadsSlowlyButSteadilyIsNotCut() throws Exception {
    HttpClient h2 = http2Client();
    try {
      CompletableFuture<Throwable> reset = new CompletableFuture<>();
      java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicLong reader = new java.util.concurrent.atomic.AtomicLong(-1);
      // One DATA frame every 100 ms for 3 s, past the 1 s body timeout: its window keeps moving.
      vertx.runOnContext(v -> h2.request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/slow/v1/big")
          .compose(request -> request.send())
          .onSuccess(response -> {
            response.pause();
            response.exceptionHandler(reset::complete);
            response.handler(chunk -> received.addAndGet(chunk.length()));
            reader.set(vertx.setPeriodic(100, id -> response.fetch(1)));
          })
          .onFailure(reset::complete));
      Thread.sleep(3000);
      assertThat(reset).as("not reset while it keeps reading").isNotDone();
      assertThat(received.get()).as("it did read").isGreaterThan(0);
      vertx.cancelTimer(reader.get());
    } finally {
      h2.close();
    }
  }

  @Test
  void anIdleWebSocketIsNotTimed() throws Exception {
    // Held until the end: Vert.x closes a client (and its connections) once it is unreachable.
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port())
          .setURI("/slow/v1/ws")).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      Thread.sleep(3000); // past the keep-alive and header timeouts
      CompletableFuture<String> echo = new CompletableFuture<>();
      ws.textMessageHandler(echo::complete);
      ws.writeTextMessage("still here");
      assertThat(echo.get(5, TimeUnit.SECONDS)).isEqualTo("still here");
      ws.close();
    } finally {
      client.close();
    }
  }

  @Test
  void theManagementPortAnswersAnH2cUpgradeOverHttp11() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.managementPort())) {
      socket.setSoTimeout(6000);
      // What the JDK client sends by default: an upgrade offer that a probe or scraper never needs.
      send(socket, "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
          + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
      assertThat(RawResponses.read(socket.getInputStream())).as("answered over HTTP/1.1, not switched")
          .startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void aSilentHalfSentHeadOnTheManagementPortIsClosedAtTheHeaderTimeout() throws Exception {
    double counted = timeouts("request_header");
    try (Socket socket = new Socket("127.0.0.1", gateway.managementPort())) {
      socket.setSoTimeout(6000); // a management port that never closes it fails the test here
      long started = System.nanoTime();
      send(socket, "GET /metrics HTTP/1.1\r\nHost: x\r\n");
      assertThat(untilClosed(socket)).isEmpty();
      assertThat((System.nanoTime() - started) / 1_000_000).as("the 1 s header timeout").isBetween(900L, 2500L);
    }
    assertThat(timeouts("request_header")).as("a probe's port, not a client's: not counted").isEqualTo(counted);
  }
}
