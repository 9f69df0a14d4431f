package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.security.Pki;
import dev.gantry.runtime.server.ClientTimeouts;
import dev.gantry.runtime.server.ConnectionBounds;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import dev.gantry.runtime.support.Scrape;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotated Secrets are enforced without a restart: files are replaced the way kubelet updates a
 * mounted Secret (a new timestamped folder, then the {@code ..data} link swapped atomically), and
 * the gateway checks them every 200 ms here.
 */
class SecretRotationIT {
  private static final Duration POLL = Duration.ofMillis(200);

  @TempDir
  Path temp;
  Vertx vertx;
  HttpServer backend;
  GatewayServer gateway;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final AtomicInteger versions = new AtomicInteger();

  @BeforeEach
  void backend() throws Exception {
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer().requestHandler(r -> r.response().end("hello " + r.getHeader("X-Gantry-Principal")))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRevokedApiKeyIsRefusedAndItsReplacementAdmittedWhileTheQuotaCarriesOn() throws Exception {
    Path secrets = temp.resolve("secrets");
    mount(secrets, "shop-keys", Map.of("keys", "alice:key-a\n"));
    start(secrets, null, null);
    assertThat(get("key-a").statusCode()).isEqualTo(200);
    HttpResponse<String> second = get("key-a");
    assertThat(second.body()).isEqualTo("hello alice");
    assertThat(second.headers().firstValue("RateLimit-Remaining")).contains("3");

    mount(secrets, "shop-keys", Map.of("keys", "bob:key-b\n"));

    awaitTrue(() -> reloads("applied") == 1, "the new keys are enforced");
    assertThat(status("key-a")).as("the revoked key").isEqualTo(401);
    HttpResponse<String> replacement = get("key-b");
    assertThat(replacement.statusCode()).isEqualTo(200);
    assertThat(replacement.body()).isEqualTo("hello bob");
    // The quota's bucket is the one from before the rotation, not a fresh one.
    assertThat(replacement.headers().firstValue("RateLimit-Remaining")).contains("2");
    assertThat(reloads("applied")).isEqualTo(1);
    assertThat(reloads("refused")).isZero();
  }

  @Test
  void unusableNewKeysAreRefusedOnceAndThePreviousOnesStayEnforcedUntilTheSecretIsFixed() throws Exception {
    Path secrets = temp.resolve("secrets");
    mount(secrets, "shop-keys", Map.of("keys", "alice:key-a\n"));
    start(secrets, null, null);
    assertThat(status("key-a")).isEqualTo(200);

    mount(secrets, "shop-keys", Map.of("keys", "bob:key-b\ncarol:key-b\n")); // a repeated key: the file is refused
    awaitTrue(() -> reloads("refused") == 1, "the broken keys are refused");
    Thread.sleep(5 * POLL.toMillis()); // more polls of the same content

    assertThat(status("key-a")).as("the previous keys stay enforced").isEqualTo(200);
    assertThat(status("key-b")).isEqualTo(401);
    assertThat(reloads("refused")).as("the same content is not tried again").isEqualTo(1);

    mount(secrets, "shop-keys", Map.of("keys", "carol:key-c\n"));
    awaitTrue(() -> status("key-c") == 200, "the fixed Secret is enforced");
    assertThat(status("key-a")).isEqualTo(401);
    assertThat(reloads("applied")).isEqualTo(1);
  }

  @Test
  void aKeyRemovedFromTheSecretIsRefusedAndThePreviousKeysStay() throws Exception {
    Path secrets = temp.resolve("secrets");
    mount(secrets, "shop-keys", Map.of("keys", "alice:key-a\n"));
    start(secrets, null, null);

    mount(secrets, "shop-keys", Map.of("other", "unrelated\n")); // keys/ now links to nothing, as kubelet leaves it
    awaitTrue(() -> reloads("refused") == 1, "the missing keys file is refused");

    assertThat(status("key-a")).as("the previous keys stay enforced").isEqualTo(200);
    assertThat(status("key-b")).isEqualTo(401);
  }

  @Test
  void aRenewedServerCertificateIsServedToNewConnectionsAndABrokenOneKeepsThePrevious() throws Exception {
    Path secrets = temp.resolve("secrets");
    mount(secrets, "shop-keys", Map.of("keys", "alice:key-a\n"));
    Pki.Issued first = Pki.server(Pki.ca("first-ca"));
    Pki.Issued renewed = Pki.server(Pki.ca("renewed-ca"));
    Path tls = temp.resolve("tls");
    mount(tls, "gateway-tls", Map.of("tls.crt", first.certificatePem(), "tls.key", first.privateKeyPem()));
    start(secrets, tls.resolve("gateway-tls/tls.crt"), tls.resolve("gateway-tls/tls.key"));
    assertThat(servedIssuer()).isEqualTo("CN=first-ca");

    mount(tls, "gateway-tls", Map.of("tls.crt", renewed.certificatePem(), "tls.key", renewed.privateKeyPem()));
    awaitTrue(() -> "CN=renewed-ca".equals(servedIssuer()), "the renewed certificate is served");

    // A certificate whose key does not match: refused, the renewed pair stays in use.
    mount(tls, "gateway-tls", Map.of("tls.crt", first.certificatePem(), "tls.key", renewed.privateKeyPem()));
    Thread.sleep(5 * POLL.toMillis());
    assertThat(servedIssuer()).isEqualTo("CN=renewed-ca");
  }

  @Test
  void aFleetsApisHaveTheirSecretsWatchedToo() throws Exception {
    Path secrets = temp.resolve("secrets");
    mount(secrets, "shop-keys", Map.of("keys", "alice:key-a\n"));
    java.util.concurrent.atomic.AtomicReference<dev.gantry.runtime.fleet.FleetGateway> fleet =
        new java.util.concurrent.atomic.AtomicReference<>();
    gateway = GatewayServer.start(settings(null, null), dev.gantry.runtime.config.Limits.CEILING, java.util.List.of(),
            (vertx, log) -> {
              fleet.set(new dev.gantry.runtime.fleet.FleetGateway(vertx, log, Duration.ofSeconds(1)));
              return fleet.get();
            })
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    fleet.get().put("shop", 1, config(secrets));
    assertThat(status("key-a")).isEqualTo(200);

    mount(secrets, "shop-keys", Map.of("keys", "bob:key-b\n"));

    awaitTrue(() -> status("key-b") == 200, "the fleet's API enforces the new keys");
    assertThat(status("key-a")).isEqualTo(401);
  }

  @Test
  void aRotatedEndpointCaVerifiesNewUpstreamConnections() throws Exception {
    Pki.Issued firstCa = Pki.ca("backend-first-ca");
    Pki.Issued nextCa = Pki.ca("backend-next-ca");
    Pki.Issued served = Pki.server(firstCa);
    Pki.Issued renewed = Pki.server(nextCa);
    // Connection: close on every answer, so each request is a new, freshly verified upstream connection.
    HttpServer https = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setSsl(true)
            .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions()
                .setCertValue(io.vertx.core.buffer.Buffer.buffer(served.certificatePem()))
                .setKeyValue(io.vertx.core.buffer.Buffer.buffer(served.privateKeyPem()))))
        .requestHandler(r -> r.response().putHeader("Connection", "close").end("secure"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Path secrets = temp.resolve("secrets");
    mount(secrets, "backend-ca", Map.of("ca.crt", firstCa.certificatePem()));
    Path out = temp.resolve("build-https");
    TestBundles.build(out, "shop", "v1", """
        openapi: 3.0.3
        info: {title: shop, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /items: {get: {security: [], responses: {"200": {description: ok}}}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend}
        spec: {urls: ["https://localhost:%d"], caSecretRef: {name: backend-ca, key: ca.crt}}
        """.formatted(https.actualPort()));
    gateway = GatewayServer.start(new ConfigLoader(Map.of()).load(out.resolve("bundle"),
            out.resolve("environment.yaml"), secrets), settings(null, null))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(status("-")).isEqualTo(200);

    // The backend's certificate is renewed under another CA: not trusted until the CA Secret follows.
    https.updateSSLOptions(new io.vertx.core.net.ServerSSLOptions().setKeyCertOptions(
        new io.vertx.core.net.PemKeyCertOptions()
            .setCertValue(io.vertx.core.buffer.Buffer.buffer(renewed.certificatePem()))
            .setKeyValue(io.vertx.core.buffer.Buffer.buffer(renewed.privateKeyPem()))), true)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(status("-")).isEqualTo(502);

    mount(secrets, "backend-ca", Map.of("ca.crt", nextCa.certificatePem()));
    awaitTrue(() -> status("-") == 200, "the rotated CA verifies the renewed backend");
    assertThat(reloads("applied")).isEqualTo(1);
  }

  private void start(Path secrets, Path tlsCert, Path tlsKey) throws Exception {
    gateway = GatewayServer.start(config(secrets), settings(tlsCert, tlsKey))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static ServerSettings settings(Path tlsCert, Path tlsKey) {
    return new ServerSettings("127.0.0.1", 0, 0, tlsCert, tlsKey, 2, false, Duration.ZERO, Duration.ofSeconds(1),
        ClientTimeouts.DEFAULT, new ConnectionBounds(64, 0), POLL);
  }

  /** An API whose one operation takes an API key and has a quota of 5 a minute for the whole API. */
  private GatewayConfig config(Path secrets) throws Exception {
    Path out = temp.resolve("build");
    TestBundles.build(out, "shop", "v1", """
        openapi: 3.0.3
        info: {title: shop, version: "1"}
        x-gantry-endpoint: backend
        x-gantry-ratelimit: five
        security: [{keys: []}]
        paths:
          /items: {get: {responses: {"200": {description: ok}}}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend}
        spec: {urls: ["http://127.0.0.1:%d"]}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: RateLimit
        metadata: {name: five}
        spec: {requests: 5, per: 1m, scope: api}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: Security
        metadata: {name: keys}
        spec: {type: apikey, apikey: {name: X-API-Key, keysSecretRef: {name: shop-keys, key: keys}}}
        """.formatted(backend.actualPort()));
    return new ConfigLoader(Map.of()).load(out.resolve("bundle"), out.resolve("environment.yaml"), secrets);
  }

  /**
   * Writes a Secret's files as kubelet does: {@code dir/name/..<version>/key}, {@code ..data} linked
   * to the newest version (swapped by a rename, so readers see all old or all new), and each
   * {@code key} linked through {@code ..data}.
   */
  private void mount(Path dir, String name, Map<String, String> files) throws Exception {
    Path secret = Files.createDirectories(dir.resolve(name));
    String version = "..v" + versions.incrementAndGet();
    Path versionDir = Files.createDirectories(secret.resolve(version));
    for (var file : files.entrySet()) {
      Files.writeString(versionDir.resolve(file.getKey()), file.getValue());
    }
    Path next = secret.resolve("..data_tmp");
    Files.deleteIfExists(next);
    Files.createSymbolicLink(next, Path.of(version));
    Files.move(next, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    for (String key : files.keySet()) {
      if (!Files.isSymbolicLink(secret.resolve(key))) {
        Files.createSymbolicLink(secret.resolve(key), Path.of("..data", key));
      }
    }
  }

  private HttpResponse<String> get(String key) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/shop/v1/items"))
        .header("X-API-Key", key).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private int status(String key) {
    try {
      return get(key).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long reloads(String result) {
    String metrics;
    try {
      metrics = Scrape.get(gateway.managementPort(), "/metrics");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    var line = Pattern.compile("(?m)^gantry_secrets_reloads_total\\{api=\"shop\",result=\"" + result + "\",?} (\\S+)$")
        .matcher(metrics);
    return line.find() ? (long) Double.parseDouble(line.group(1)) : 0;
  }

  /** The issuer of the certificate a new TLS connection to the gateway is served. */
  private String servedIssuer() {
    try {
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getIssuerX500Principal().getName();
      }
    } catch (Exception e) {
      return "handshake failed: " + e;
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(50);
    }
  }
}
