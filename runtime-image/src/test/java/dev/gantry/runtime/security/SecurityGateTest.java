package dev.gantry.runtime.security;

import static dev.gantry.runtime.security.Schemes.ref;
import static dev.gantry.runtime.security.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import dev.gantry.runtime.config.RouteConfig.SchemeRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityGateTest {

  /** Counts how often the gate asks a real authenticator. */
  record Counting(Authenticator delegate, AtomicInteger calls) implements Authenticator {
    Counting(Authenticator delegate) {
      this(delegate, new AtomicInteger());
    }

    @Override
    public Future<Principal> authenticate(HttpServerRequest request) {
      calls.incrementAndGet();
      return delegate.authenticate(request);
    }

    @Override
    public String challenge() {
      return delegate.challenge();
    }
  }

  static Vertx vertx;
  static TestHttp http;
  static Counting a;
  static Counting b;
  static SecurityGate gate;
  static ECKey signer;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = new TestHttp(vertx);
    Path keys = Schemes.write(dir, "keys", "a-user:key-a\nb-user:key-b\n");
    a = new Counting(new ApiKeyAuthenticator(Schemes.apiKey("a", "header", "X-A", keys)));
    b = new Counting(new ApiKeyAuthenticator(Schemes.apiKey("b", "header", "X-B", keys)));
    Pki.Issued ca = Pki.ca("token signer");
    signer = new ECKey.Builder(Curve.P_256, (ECPublicKey) ca.keys().getPublic()).privateKey(ca.keys().getPrivate()).build();
    var jwt = new JwtAuthenticator(Schemes.jwtFile("jwt", Schemes.write(dir, "signer.pem", ca.certificatePem())), vertx);
    var oauthDown = new OAuth2IntrospectionAuthenticator(Schemes.oauth2("oauth", Schemes.deadUrl("/introspect"),
        Schemes.write(dir, "secret", "s"), null), vertx);
    gate = new SecurityGate(Map.of("a", a, "b", b, "jwt", jwt, "oauth", oauthDown));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  TestHttp.Response call(List<List<SchemeRef>> alternatives, String... headers) {
    return http.get(http.serve(gate, alternatives), "/", headers);
  }

  static String bearer(String scope) {
    return "Bearer " + Tokens.es256(signer, Tokens.claims().claim("scope", scope).build());
  }

  @Test
  void publicRoutesAdmitAnonymously() {
    assertThat(call(List.of()).body()).isEqualTo("anonymous");
    assertThat(call(List.of(List.of(ref("a")), List.of())).body()).isEqualTo("anonymous");
  }

  @Test
  void anyAlternativeAdmits() {
    assertThat(call(List.of(List.of(ref("a")), List.of(ref("b"))), "X-B", "key-b").body()).isEqualTo("b-user||b");
  }

  @Test
  void allSchemesOfAnAlternativeMustPassAndTheFirstNamesThePrincipal() {
    var both = List.of(List.of(ref("b"), ref("a")));
    assertThat(call(both, "X-A", "key-a", "X-B", "key-b").body()).isEqualTo("b-user||b");
    assertThat(call(both, "X-A", "key-a").status()).isEqualTo(401);
  }

  @Test
  void nothingAuthenticatedIs401WithEveryChallenge() {
    var response = call(List.of(List.of(ref("a")), List.of(ref("b"), ref("jwt")), List.of(ref("a"))));
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.challenges())
        .containsExactly("ApiKey header=\"X-A\"", "ApiKey header=\"X-B\"", "Bearer realm=\"gantry\"");
    assertThat(response.body()).contains("a: no API key in header X-A").contains("b: no API key in header X-B");
  }

  @Test
  void laterAlternativesAreNotEvaluatedOnceOnePasses() {
    int before = b.calls().get();
    assertThat(call(List.of(List.of(ref("a")), List.of(ref("b"))), "X-A", "key-a", "X-B", "key-b").body())
        .isEqualTo("a-user||a");
    assertThat(b.calls().get()).isEqualTo(before);
  }

  @Test
  void eachSchemeIsAskedOncePerRequest() {
    int before = a.calls().get();
    assertThat(call(List.of(List.of(ref("a"), ref("b")), List.of(ref("a"))), "X-A", "key-a").body())
        .isEqualTo("a-user||a");
    assertThat(a.calls().get() - before).isEqualTo(1);
  }

  @Test
  void insufficientScopeIs403WithRfc6750Challenge() {
    var response = call(List.of(List.of(ref("jwt", "orders:write"))), "Authorization", bearer("orders:read"));
    assertThat(response.status()).isEqualTo(403);
    assertThat(response.challenges())
        .containsExactly("Bearer realm=\"gantry\", error=\"insufficient_scope\", scope=\"orders:write\"");
  }

  @Test
  void scopesAreCheckedPerAlternative() {
    var routes = List.of(List.of(ref("jwt", "orders:write")), List.of(ref("jwt", "orders:read")));
    assertThat(call(routes, "Authorization", bearer("orders:read")).body()).isEqualTo("alice|orders:read|jwt");
    assertThat(call(List.of(List.of(ref("jwt", "a", "b"))), "Authorization", bearer("a b c")).status()).isEqualTo(200);
    assertThat(call(List.of(List.of(ref("a", "admin"))), "X-A", "key-a").status())
        .as("schemes without scopes cannot satisfy a scope").isEqualTo(403);
  }

  @Test
  void authenticatedButUnderScopedBeats401() {
    var routes = List.of(List.of(ref("jwt", "orders:write")), List.of(ref("a")));
    assertThat(call(routes, "Authorization", bearer("orders:read")).status()).isEqualTo(403);
  }

  @Test
  void unavailableVerifierIs503UnlessAnotherAlternativePasses() {
    var routes = List.of(List.of(ref("oauth")), List.of(ref("a")));
    var down = call(routes, "Authorization", "Bearer opaque");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.body()).contains("oauth: introspection endpoint unreachable");
    assertThat(call(routes, "Authorization", "Bearer opaque", "X-A", "key-a").body()).isEqualTo("a-user||a");
    assertThat(call(routes).status()).as("no token: nothing to verify, plain 401").isEqualTo(401);
  }

  @Test
  void unknownSchemeIsAServerError() {
    var routes = List.of(List.of(ref("nope")));
    assertThat(call(routes).status()).isEqualTo(500);
    assertThatThrownBy(() -> gate.requireKnownSchemes(routes)).hasMessageContaining("'nope'");
  }
}
