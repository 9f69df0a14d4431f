package dev.gantry.runtime.security;

import static dev.gantry.runtime.security.Schemes.ref;
import static dev.gantry.runtime.security.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real RFC 7662 endpoint: a local Vert.x server answering from a token table. */
class OAuth2IntrospectionAuthenticatorTest {

  static Vertx vertx;
  static TestHttp http;
  static URI endpoint;
  static final Map<String, JsonObject> tokens = new ConcurrentHashMap<>();
  static final AtomicInteger hits = new AtomicInteger();
  static final AtomicReference<String> lastAuthorization = new AtomicReference<>();
  static final AtomicReference<String> lastContentType = new AtomicReference<>();
  static final AtomicReference<Map<String, String>> lastForm = new AtomicReference<>();

  @TempDir
  static Path dir;
  static Path secretFile;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = new TestHttp(vertx);
    secretFile = Schemes.write(dir, "client-secret", "s3cret:&=\n");
    var server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      hits.incrementAndGet();
      lastAuthorization.set(request.getHeader("Authorization"));
      lastContentType.set(request.getHeader("Content-Type"));
      Map<String, String> form = form(body.toString());
      lastForm.set(form);
      if ("boom".equals(form.get("token"))) {
        request.response().setStatusCode(500).end("internal error");
        return;
      }
      JsonObject answer = tokens.getOrDefault(form.get("token"), new JsonObject().put("active", false));
      request.response().putHeader("Content-Type", "application/json").end(answer.encode());
    }));
    endpoint = URI.create("http://127.0.0.1:" + await(server.listen(0, "127.0.0.1")).actualPort() + "/introspect");
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  int serve(Duration cacheTtl) {
    return http.serve(new OAuth2IntrospectionAuthenticator(Schemes.oauth2("oauth", endpoint, secretFile, cacheTtl), vertx)::authenticate);
  }

  static String active(String token, String subject, String scope) {
    JsonObject answer = new JsonObject().put("active", true).put("sub", subject)
        .put("exp", Instant.now().plusSeconds(600).getEpochSecond());
    if (scope != null) {
      answer.put("scope", scope);
    }
    tokens.put(token, answer);
    return "Bearer " + token;
  }

  @Test
  void activeTokenYieldsSubjectAndScopesAndSendsClientCredentials() {
    int port = serve(null);
    var response = http.get(port, "/", "Authorization", active("tok-alice", "alice", "read write"));

    assertThat(response.body()).isEqualTo("alice|read write|oauth");
    assertThat(lastContentType.get()).startsWith("application/x-www-form-urlencoded");
    assertThat(lastForm.get()).containsEntry("token", "tok-alice").containsEntry("token_type_hint", "access_token");
    String expected = "gantry:" + "s3cret%3A%26%3D"; // RFC 6749 §2.3.1: form-encoded, then Base64
    assertThat(lastAuthorization.get())
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString(expected.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void inactiveTokenIs401() {
    var response = http.get(serve(null), "/", "Authorization", "Bearer revoked-token");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("token is not active");
  }

  @Test
  void activeButExpiredTokenIs401() {
    tokens.put("stale", new JsonObject().put("active", true).put("sub", "x").put("exp", Instant.now().getEpochSecond() - 5));
    assertThat(http.get(serve(null), "/", "Authorization", "Bearer stale").status()).isEqualTo(401);
  }

  @Test
  void resultsAreCachedForTheTtl() {
    int port = serve(Duration.ofMinutes(1));
    String authorization = active("tok-cached", "carol", "read");
    int before = hits.get();
    assertThat(http.get(port, "/", "Authorization", authorization).status()).isEqualTo(200);
    var second = http.get(port, "/", "Authorization", authorization);
    assertThat(second.body()).isEqualTo("carol|read|oauth");
    assertThat(second.synchronous()).isTrue();
    assertThat(hits.get() - before).as("second call answered from the cache").isEqualTo(1);
  }

  @Test
  void zeroTtlDisablesCaching() {
    int port = serve(Duration.ZERO);
    String authorization = active("tok-uncached", "dave", null);
    int before = hits.get();
    http.get(port, "/", "Authorization", authorization);
    http.get(port, "/", "Authorization", authorization);
    assertThat(hits.get() - before).isEqualTo(2);
  }

  @Test
  void usernameThenClientIdNameThePrincipal() {
    int port = serve(null);
    tokens.put("by-username", new JsonObject().put("active", true).put("username", "erin").put("client_id", "app"));
    tokens.put("by-client", new JsonObject().put("active", true).put("client_id", "svc-9"));
    tokens.put("nobody", new JsonObject().put("active", true));
    assertThat(http.get(port, "/", "Authorization", "Bearer by-username").body()).isEqualTo("erin||oauth");
    assertThat(http.get(port, "/", "Authorization", "Bearer by-client").body()).isEqualTo("svc-9||oauth");
    assertThat(http.get(port, "/", "Authorization", "Bearer nobody").status()).isEqualTo(401);
  }

  @Test
  void missingTokenDoesNotCallTheEndpoint() {
    int port = serve(null);
    int before = hits.get();
    var response = http.get(port, "/");
    assertThat(response.status()).isEqualTo(401);
    assertThat(hits.get()).isEqualTo(before);
  }

  @Test
  void endpointErrorIs503FromTheGate() {
    var gate = new SecurityGate(Map.of("oauth",
        new OAuth2IntrospectionAuthenticator(Schemes.oauth2("oauth", endpoint, secretFile, null), vertx)));
    var response = http.get(http.serve(gate, List.of(List.of(ref("oauth")))), "/", "Authorization", "Bearer boom");
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.body()).contains("HTTP 500");
  }

  @Test
  void endpointDownIs503FromTheGate() {
    var gate = new SecurityGate(Map.of("oauth", new OAuth2IntrospectionAuthenticator(
        Schemes.oauth2("oauth", Schemes.deadUrl("/introspect"), secretFile, null), vertx)));
    var response = http.get(http.serve(gate, List.of(List.of(ref("oauth")))), "/", "Authorization", "Bearer any");
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.challenges()).isEmpty();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return form;
  }
}
