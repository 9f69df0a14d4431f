package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.security.Pki;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both sides: an HTTPS upstream verified against the Endpoint's CA (and refused under
 * another CA), and a gateway serving HTTPS whose mTLS scheme takes the client certificate's CN.
 */
class GatewayTlsIT {
  @TempDir
  static Path temp;
  static Vertx vertx;
  static GatewayServer gateway;
  static Pki.Issued ca;
  static Pki.Issued otherCa;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    ca = Pki.ca("test-ca");
    otherCa = Pki.ca("other-ca");
    Pki.Issued backendCert = Pki.server(ca);
    Path certs = Files.createDirectories(temp.resolve("certs"));
    Files.writeString(certs.resolve("backend.crt"), backendCert.certificatePem());
    Files.writeString(certs.resolve("backend.key"), backendCert.privateKeyPem());
    HttpServer backend = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(
            new PemKeyCertOptions().setCertPath(certs.resolve("backend.crt").toString())
                .setKeyPath(certs.resolve("backend.key").toString())))
        .requestHandler(r -> r.response().end("secure " + r.getHeader("X-Gantry-Principal")))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Path out = temp.resolve("build");
    TestBundles.build(out, "tls", "v1", """
        openapi: 3.0.3
        info: {title: tls, version: "1"}
        paths:
          /trusted: {get: {x-gantry-endpoint: trusted, security: [{partners: []}], responses: {"200": {description: ok}}}}
          /untrusted: {get: {x-gantry-endpoint: untrusted, security: [{partners: []}], responses: {"200": {description: ok}}}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: trusted}
        spec: {urls: ["https://localhost:%1$d"], caSecretRef: {name: backend-ca, key: ca.crt}}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: untrusted}
        spec: {urls: ["https://localhost:%1$d"], caSecretRef: {name: other-ca, key: ca.crt}}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: Security
        metadata: {name: partners}
        spec: {type: mtls, mtls: {caSecretRef: {name: client-ca, key: ca.crt}}}
        """.formatted(backend.actualPort()));
    Path secrets = TestBundles.secrets(temp.resolve("secrets"), Map.of(
        "backend-ca", Map.of("ca.crt", ca.certificatePem()),
        "other-ca", Map.of("ca.crt", otherCa.certificatePem()),
        "client-ca", Map.of("ca.crt", ca.certificatePem())));
    Pki.Issued gatewayCert = Pki.server(ca);
    Files.writeString(certs.resolve("gateway.crt"), gatewayCert.certificatePem());
    Files.writeString(certs.resolve("gateway.key"), gatewayCert.privateKeyPem());
    GatewayConfig config = new ConfigLoader(Map.of()).load(out.resolve("bundle"), out.resolve("environment.yaml"),
        secrets);
    gateway = GatewayServer.start(config, new ServerSettings("127.0.0.1", 0, 0, certs.resolve("gateway.crt"),
            certs.resolve("gateway.key"), 1, false, Duration.ZERO, Duration.ofSeconds(5)))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** GET over HTTPS, trusting the test CA, presenting {@code client} if not null. */
  static HttpClientResponse get(String path, Pki.Issued client, StringBuilder body) throws Exception {
    Path dir = Files.createTempDirectory(temp, "client");
    Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
    HttpClientOptions options = new HttpClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("ca.crt").toString()));
    if (client != null) {
      Files.writeString(dir.resolve("client.crt"), client.certificatePem());
      Files.writeString(dir.resolve("client.key"), client.privateKeyPem());
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(dir.resolve("client.crt").toString())
          .setKeyPath(dir.resolve("client.key").toString()));
    }
    HttpClient http = vertx.createHttpClient(options);
    try {
      return http.request(HttpMethod.GET, gateway.port(), "localhost", path)
          .compose(r -> r.send().compose(response -> response.body().map(b -> {
            body.append(b.toString());
            return response;
          })))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      http.close();
    }
  }

  @Test
  void clientCertificatesAreThePrincipalAndAnHttpsUpstreamIsVerified() throws Exception {
    StringBuilder body = new StringBuilder();
    HttpClientResponse response = get("/tls/v1/trusted", Pki.client(ca, "CN=partner-a,O=Partners"), body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body).hasToString("secure partner-a");
  }

  @Test
  void withoutAClientCertificateTheAnswerIs401() throws Exception {
    StringBuilder body = new StringBuilder();
    HttpClientResponse response = get("/tls/v1/trusted", null, body);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("ClientCertificate");
  }

  @Test
  void anUpstreamWhoseCertificateTheEndpointsCaDidNotSignIsNotUsed() throws Exception {
    StringBuilder body = new StringBuilder();
    HttpClientResponse response = get("/tls/v1/untrusted", Pki.client(ca, "CN=partner-a"), body);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(body.toString()).contains("upstream_unreachable").doesNotContain("secure");
  }
}
