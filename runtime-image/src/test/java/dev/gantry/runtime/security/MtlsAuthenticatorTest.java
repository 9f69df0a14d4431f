package dev.gantry.runtime.security;

import static dev.gantry.runtime.security.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gantry.runtime.config.SecurityConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS server that requests client certificates and trusts two client CAs (as a gateway with two
 * mTLS schemes would); the scheme under test accepts only CA "A".
 */
class MtlsAuthenticatorTest {

  static final Pki.Issued SERVER_CA = Pki.ca("Server CA");
  static final Pki.Issued CA_A = Pki.ca("Client CA A");
  static final Pki.Issued CA_B = Pki.ca("Client CA B");
  static final Pki.Issued ALICE = Pki.client(CA_A, "CN=alice, OU=payments, O=Example");
  static final Pki.Issued BOB_FROM_B = Pki.client(CA_B, "CN=bob");

  static Vertx vertx;
  static TestHttp http;
  static SecurityConfig schemeA;
  static SecurityConfig schemeB;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = new TestHttp(vertx);
    schemeA = Schemes.mtls("mtls", Schemes.write(dir, "ca-a.pem", CA_A.certificatePem()), null);
    schemeB = Schemes.mtls("mtls-b", Schemes.write(dir, "ca-b.pem", CA_B.certificatePem()), "dn");
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  int tlsServer(String principalFrom) {
    var scheme = Schemes.mtls("mtls", schemeA.mtls().caFile(), principalFrom);
    var options = new HttpServerOptions()
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUEST)
        .setKeyCertOptions(keyCert(Pki.server(SERVER_CA)))
        .setTrustOptions(MtlsAuthenticator.trustOptions(List.of(schemeA, schemeB)).orElseThrow());
    return http.serve(options, new MtlsAuthenticator(scheme)::authenticate);
  }

  HttpClient client(Pki.Issued certificate) {
    var options = new HttpClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(SERVER_CA.certificatePem())));
    if (certificate != null) {
      options.setKeyCertOptions(keyCert(certificate));
    }
    return vertx.createHttpClient(options);
  }

  static PemKeyCertOptions keyCert(Pki.Issued issued) {
    return new PemKeyCertOptions().setCertValue(Buffer.buffer(issued.certificatePem()))
        .setKeyValue(Buffer.buffer(issued.privateKeyPem()));
  }

  @Test
  void trustedClientCertificateYieldsCommonName() {
    var response = http.get(client(ALICE), "localhost", tlsServer(null), "/");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("alice||mtls");
  }

  @Test
  void principalFromDnAndSan() {
    assertThat(http.get(client(ALICE), "localhost", tlsServer("dn"), "/").body())
        .isEqualTo("CN=alice,OU=payments,O=Example||mtls");
    assertThat(http.get(client(ALICE), "localhost", tlsServer("san-dns"), "/").body()).isEqualTo("localhost||mtls");
  }

  @Test
  void noClientCertificateIs401() {
    var response = http.get(client(null), "localhost", tlsServer(null), "/");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("no client certificate");
    assertThat(new MtlsAuthenticator(schemeA).challenge()).isEqualTo("ClientCertificate realm=\"gantry\"");
  }

  @Test
  void certificateOfAnotherSchemesCaIs401() {
    var response = http.get(client(BOB_FROM_B), "localhost", tlsServer(null), "/");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).contains("not trusted");
  }

  @Test
  void certificateOfACaTheServerDoesNotTrustFailsTheHandshake() {
    Pki.Issued stranger = Pki.client(Pki.ca("Client CA A"), "CN=alice"); // same names, other key
    int port = tlsServer(null);
    assertThat(catchThrowable(() -> http.get(client(stranger), "localhost", port, "/")))
        .hasStackTraceContaining("SSLHandshakeException");
  }

  @Test
  void plainHttpIs401() {
    int port = http.serve(new MtlsAuthenticator(schemeA)::authenticate);
    assertThat(http.get(port, "/").body()).isEqualTo("not a TLS connection");
  }

  @Test
  void caFilesAreDistinctAndOnlyFromMtlsSchemes(@TempDir Path other) {
    var basic = Schemes.basic("basic", other.resolve("htpasswd"), null);
    var again = Schemes.mtls("mtls-again", schemeA.mtls().caFile(), "cn");
    assertThat(MtlsAuthenticator.caFiles(List.of(schemeA, basic, schemeB, again)))
        .containsExactly(schemeA.mtls().caFile(), schemeB.mtls().caFile());
    assertThat(MtlsAuthenticator.trustOptions(List.of(basic))).isEmpty();
  }
}
