package dev.gantry.runtime.security;

import static dev.gantry.runtime.security.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.gantry.runtime.config.SecurityConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JwtAuthenticatorTest {

  static final RSAKey K1 = Tokens.rsa("k1");
  static final RSAKey K2 = Tokens.rsa("k2");
  static final RSAKey STRANGER = Tokens.rsa("k9");
  static final ECKey E1 = Tokens.ec("e1");
  static final Tokens.EdKey ED1 = Tokens.ed25519("ed1");

  static Vertx vertx;
  static TestHttp http;
  static final AtomicReference<JWKSet> served = new AtomicReference<>();
  static final AtomicInteger jwksHits = new AtomicInteger();
  static URI jwksUrl;
  static JwtAuthenticator shared;
  static int port;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = new TestHttp(vertx);
    served.set(new JWKSet(List.of(K1.toPublicJWK(), E1.toPublicJWK(), ED1.publicJwk())));
    var jwks = vertx.createHttpServer().requestHandler(request -> {
      jwksHits.incrementAndGet();
      request.response().putHeader("content-type", "application/json").end(served.get().toString(true));
    });
    jwksUrl = URI.create("http://127.0.0.1:" + await(jwks.listen(0, "127.0.0.1")).actualPort() + "/jwks.json");
    shared = new JwtAuthenticator(Schemes.jwks("jwt", jwksUrl), vertx);
    port = http.serve(shared::authenticate);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  static String bearer(String token) {
    return "Bearer " + token;
  }

  TestHttp.Response call(int port, String authorization) {
    return authorization == null ? http.get(port, "/") : http.get(port, "/", "Authorization", authorization);
  }

  @Test
  void validRs256TokenYieldsSubjectAndScopes() {
    var response = call(port, bearer(Tokens.rs256(K1, Tokens.claims().build())));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("alice|read write|jwt");
  }

  @Test
  void scalarClaimsTravelWithThePrincipalForPerClaimQuotas() {
    int own = http.serve(request -> shared.authenticate(request)
        .map(p -> new Principal(p.claims().get("tenant") + "/" + p.claims().get("sub"), p.scopes(), p.scheme())));

    var response = call(own, bearer(Tokens.rs256(K1, Tokens.claims().claim("tenant", "acme").build())));

    assertThat(response.body()).isEqualTo("acme/alice|read write|jwt");
  }

  @Test
  void es256AndEdDsaTokensAreAccepted() {
    assertThat(call(port, bearer(Tokens.es256(E1, Tokens.claims().subject("ec-user").build()))).body())
        .isEqualTo("ec-user|read write|jwt");
    assertThat(call(port, bearer(Tokens.eddsa(ED1, Tokens.claims().subject("ed-user").build()))).body())
        .isEqualTo("ed-user|read write|jwt");
  }

  @Test
  void scpListAndConfiguredPrincipalClaim() {
    var config = new SecurityConfig("jwt2", SecurityConfig.Type.JWT,
        new SecurityConfig.Jwt(Tokens.ISSUER, null, jwksUrl, null, null, "client_id"), null, null, null, null);
    int own = http.serve(new JwtAuthenticator(config, vertx)::authenticate);
    var claims = Tokens.claims().claim("scope", null).claim("scp", List.of("orders:read", "orders:write"))
        .claim("client_id", "svc-7").build();
    assertThat(call(own, bearer(Tokens.rs256(K1, claims))).body()).isEqualTo("svc-7|orders:read orders:write|jwt2");
  }

  @Test
  void toleratesClockSkew() {
    var claims = Tokens.claims().expirationTime(Tokens.inSeconds(-10)).notBeforeTime(Tokens.inSeconds(10)).build();
    assertThat(call(port, bearer(Tokens.rs256(K1, claims))).status()).isEqualTo(200);
  }

  @Test
  void repeatedTokenSkipsVerification() {
    String token = bearer(Tokens.rs256(K1, Tokens.claims().subject("repeat").build()));
    assertThat(call(port, token).status()).isEqualTo(200);
    long verifications = shared.verifications();
    var second = call(port, token);
    assertThat(second.body()).isEqualTo("repeat|read write|jwt");
    assertThat(second.synchronous()).as("answered without a worker thread").isTrue();
    assertThat(shared.verifications()).as("no second signature check").isEqualTo(verifications);
  }

  static Stream<Arguments> attacks() throws Exception {
    JWTClaimsSet valid = Tokens.claims().build();
    String good = Tokens.rs256(K1, valid);
    String[] parts = good.split("\\.");
    String adminPayload = Base64URL.encode(Tokens.claims().subject("admin").build().toString()).toString();
    return Stream.of(
        Arguments.of("alg none", bearer(new PlainJWT(valid).serialize())),
        Arguments.of("HS256 keyed with the RSA public key",
            bearer(Tokens.sign(mac(K1.toRSAPublicKey().getEncoded()), JWSAlgorithm.HS256, "k1", valid))),
        Arguments.of("HS256 keyed with the public JWK JSON",
            bearer(Tokens.sign(mac(K1.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, "k1", valid))),
        Arguments.of("expired beyond skew", bearer(Tokens.rs256(K1, Tokens.claims().expirationTime(Tokens.inSeconds(-120)).build()))),
        Arguments.of("not yet valid beyond skew", bearer(Tokens.rs256(K1, Tokens.claims().notBeforeTime(Tokens.inSeconds(120)).build()))),
        Arguments.of("no exp", bearer(Tokens.rs256(K1, Tokens.claims().expirationTime(null).build()))),
        Arguments.of("wrong issuer", bearer(Tokens.rs256(K1, Tokens.claims().issuer("https://evil.test").build()))),
        Arguments.of("wrong audience", bearer(Tokens.rs256(K1, Tokens.claims().audience("billing-api").build()))),
        Arguments.of("no audience", bearer(Tokens.rs256(K1, Tokens.claims().audience((String) null).build()))),
        Arguments.of("unknown kid", bearer(Tokens.rs256(STRANGER, valid))),
        Arguments.of("known kid, other key", bearer(Tokens.sign(new RSASSASigner(STRANGER), JWSAlgorithm.RS256, "k1", valid))),
        Arguments.of("own key embedded in the header", bearer(embeddedJwk(valid))),
        Arguments.of("tampered payload", bearer(parts[0] + "." + adminPayload + "." + parts[2])),
        Arguments.of("signature stripped", bearer(parts[0] + "." + parts[1] + ".")),
        Arguments.of("garbage", bearer("not-a-jwt")),
        Arguments.of("garbage with dots", bearer("a.b.c")),
        Arguments.of("missing Authorization", null),
        Arguments.of("wrong scheme", "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes())),
        Arguments.of("empty bearer", "Bearer "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void attackIsRejectedWith401(String attack, String authorization) {
    var response = call(port, authorization);
    assertThat(response.status()).as(attack + ": " + response.body()).isEqualTo(401);
    String credential = authorization == null ? "" : authorization.substring(authorization.indexOf(' ') + 1);
    if (credential.length() > 8) {
      assertThat(response.body()).as("reasons never echo the credential").doesNotContain(credential);
    }
  }

  @Test
  void jwksIsCachedAndRefreshedOnUnknownKidWithRateLimit() {
    served.set(new JWKSet(K1.toPublicJWK()));
    jwksHits.set(0);
    int own = http.serve(new JwtAuthenticator(Schemes.jwks("jwt", jwksUrl), vertx)::authenticate);

    assertThat(call(own, bearer(Tokens.rs256(K1, Tokens.claims().subject("a").build()))).status()).isEqualTo(200);
    assertThat(call(own, bearer(Tokens.rs256(K1, Tokens.claims().subject("b").build()))).status()).isEqualTo(200);
    assertThat(jwksHits).as("second token verified with the cached JWKS").hasValue(1);

    served.set(new JWKSet(List.of(K1.toPublicJWK(), K2.toPublicJWK())));
    assertThat(call(own, bearer(Tokens.rs256(K2, Tokens.claims().build()))).status()).isEqualTo(200);
    assertThat(jwksHits).as("a new kid triggers one refresh").hasValue(2);

    for (int i = 0; i < 5; i++) {
      assertThat(call(own, bearer(Tokens.rs256(STRANGER, Tokens.claims().subject("x" + i).build()))).status())
          .isEqualTo(401);
    }
    assertThat(jwksHits).as("unknown kids cannot hammer the IdP").hasValue(2);
    served.set(new JWKSet(List.of(K1.toPublicJWK(), E1.toPublicJWK(), ED1.publicJwk())));
  }

  @Test
  void unreachableJwksIsUnavailableNotInvalid() {
    int own = http.serve(new JwtAuthenticator(Schemes.jwks("jwt", Schemes.deadUrl("/jwks")), vertx)::authenticate);
    var response = call(own, bearer(Tokens.rs256(K1, Tokens.claims().build())));
    assertThat(response.status()).as(response.body()).isEqualTo(503);
  }

  @Test
  void pemCertificateFileIgnoresKid(@TempDir Path dir) {
    Pki.Issued signer = Pki.ca("token-signer");
    Path pem = Schemes.write(dir, "signer.pem", signer.certificatePem());
    int own = http.serve(new JwtAuthenticator(Schemes.jwtFile("jwt-file", pem), vertx)::authenticate);
    ECKey key = new ECKey.Builder(Curve.P_256, (ECPublicKey) signer.keys().getPublic())
        .privateKey(signer.keys().getPrivate()).keyID("whatever").build();

    assertThat(call(own, bearer(Tokens.es256(key, Tokens.claims().build()))).body()).isEqualTo("alice|read write|jwt-file");
    assertThat(call(own, bearer(Tokens.es256(E1, Tokens.claims().build()))).status()).isEqualTo(401);
    assertThat(call(own, bearer(Tokens.rs256(K1, Tokens.claims().build()))).status()).isEqualTo(401);
  }

  @Test
  void pemPublicKeyFile(@TempDir Path dir) throws Exception {
    Path pem = Schemes.write(dir, "key.pem", Pki.pem("PUBLIC KEY", K2.toRSAPublicKey().getEncoded()));
    var config = new SecurityConfig("jwt-key", SecurityConfig.Type.JWT,
        new SecurityConfig.Jwt(Tokens.ISSUER, List.of(), null, pem, Duration.ZERO, null), null, null, null, null);
    int own = http.serve(new JwtAuthenticator(config, vertx)::authenticate);

    assertThat(call(own, bearer(Tokens.rs256(K2, Tokens.claims().audience("anyone").build()))).status()).isEqualTo(200);
    assertThat(call(own, bearer(Tokens.rs256(K1, Tokens.claims().build()))).status()).isEqualTo(401);
    var justExpired = Tokens.claims().expirationTime(Tokens.inSeconds(-2)).build();
    assertThat(call(own, bearer(Tokens.rs256(K2, justExpired))).status()).as("zero skew").isEqualTo(401);
  }

  @Test
  void challengeIsBearer() {
    assertThat(new JwtAuthenticator(Schemes.jwks("jwt", jwksUrl), vertx).challenge()).isEqualTo("Bearer realm=\"gantry\"");
  }

  private static MACSigner mac(byte[] secret) {
    try {
      return new MACSigner(secret);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signed by an attacker key that the header carries as "jwk", claiming kid k1. */
  private static String embeddedJwk(JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
          .jwk(STRANGER.toPublicJWK()).build(), claims);
      jwt.sign(new RSASSASigner(STRANGER));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
