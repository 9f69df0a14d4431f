package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A definition and resources written for the WSO2 API Operator 1.x, unchanged, compiled by the
 * toolkit (WSO2 resources converted on load) and served: it must route under the WSO2 base path,
 * secure with the WSO2 JWT Security, leave the disable-security operation public, throttle with the
 * RateLimiting tier, and answer CORS as x-wso2-cors says.
 */
class Wso2MigrationIT {
  static final String ORIGIN = "https://app.example.com";
  static final String DEFINITION = """
      swagger: "2.0"
      info: {title: shop, version: v2}
      x-wso2-basePath: /shop/{version}
      x-wso2-production-endpoints:
        urls: ["http://127.0.0.1:%d/base"]
      x-wso2-throttling-tier: threereqpolicy
      x-wso2-cors:
        corsConfigurationEnabled: true
        accessControlAllowOrigins: ["https://app.example.com"]
        accessControlAllowMethods: [GET, POST]
        accessControlAllowHeaders: [authorization, content-type]
        accessControlAllowCredentials: true
      security:
        - shopjwt: []
      paths:
        /items:
          get:
            operationId: listItems
            x-wso2-disable-security: true
            x-wso2-throttling-tier: Unlimited
            responses: {"200": {description: ok}}
        /items/{id}:
          get:
            operationId: getItem
            parameters: [{name: id, in: path, required: true, type: string}]
            responses: {"200": {description: ok}}
      """;
  static final String RESOURCES = """
      apiVersion: wso2.com/v1alpha1
      kind: RateLimiting
      metadata: {name: threereqpolicy}
      spec: {type: advance, timeUnit: min, unitTime: 1, requestCount: {limit: 3}}
      ---
      apiVersion: wso2.com/v1alpha1
      kind: Security
      metadata: {name: shopjwt}
      spec:
        type: JWT
        securityConfig:
          - issuer: https://idp.test/oauth2/token
            audience: shop-gateway
            certificate: shop-cert
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: shop-cert}
      stringData: {cert.pem: "(public key)"}
      """;

  @TempDir
  static Path temp;
  static Vertx backendVertx;
  static HttpServer backend;
  static GatewayServer gateway;
  static RSAKey signingKey;
  static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    backendVertx = Vertx.vertx();
    backend = backendVertx.createHttpServer().requestHandler(request -> request.response()
            .putHeader("Content-Type", "application/json")
            .putHeader("Access-Control-Allow-Origin", "*") // the gateway's CORS answer must replace this
            .end(new JsonObject().put("uri", request.uri()).encode()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(signingKey.toRSAPublicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    Path out = temp.resolve("build");
    TestBundles.build(out, "shop", "v2", DEFINITION.formatted(backend.actualPort()), RESOURCES);
    Path secrets = TestBundles.secrets(temp.resolve("secrets"), Map.of("shop-cert", Map.of("cert.pem", pem)));
    gateway = TestBundles.serve(out, secrets, 1);
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

  static String token(String audience) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://idp.test/oauth2/token").audience(audience)
        .subject("alice").expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
    jwt.sign(new RSASSASigner(signingKey));
    return jwt.serialize();
  }

  @Test
  void disableSecurityOperationIsPublicUnderTheVersionedBasePathWithCors() throws Exception {
    HttpResponse<String> response = send(get("/shop/v2/items?page=2").header("Origin", ORIGIN));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("uri")).isEqualTo("/base/items?page=2");
    assertThat(response.headers().allValues("Access-Control-Allow-Origin")).containsExactly(ORIGIN);
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
    assertThat(String.join(",", response.headers().allValues("Vary"))).contains("Origin");
    // Unlimited: no quota on this operation.
    assertThat(response.headers().firstValue("RateLimit-Limit")).isEmpty();
  }

  @Test
  void jwtFromTheWso2SecurityIsRequiredAndTheTierThrottles() throws Exception {
    HttpResponse<String> anonymous = send(get("/shop/v2/items/1").header("Origin", ORIGIN));
    HttpResponse<String> wrongAudience = send(get("/shop/v2/items/1").header("Authorization", "Bearer " + token("other")));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    // Gateway answers carry CORS too, so a script can read the 401.
    assertThat(anonymous.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
    assertThat(wrongAudience.statusCode()).isEqualTo(401);

    String bearer = "Bearer " + token("shop-gateway");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> ok = send(get("/shop/v2/items/" + i).header("Authorization", bearer));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ok.body()).getString("uri")).isEqualTo("/base/items/" + i);
      assertThat(ok.headers().firstValue("RateLimit-Limit")).contains("3");
    }
    HttpResponse<String> throttled = send(get("/shop/v2/items/4").header("Authorization", bearer).header("Origin", ORIGIN));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    assertThat(throttled.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
    assertThat(new JsonObject(throttled.body()).getMap()).containsEntry("status", 429).containsEntry("error", "rate_limited");
  }

  @Test
  void preflightIsAnsweredWithoutCredentialsAsTheWso2CorsSays() throws Exception {
    HttpResponse<String> allowed = send(get("/shop/v2/items/1").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", ORIGIN).header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "Authorization"));
    HttpResponse<String> otherOrigin = send(get("/shop/v2/items/1").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://evil.example.com").header("Access-Control-Request-Method", "GET"));
    HttpResponse<String> otherMethod = send(get("/shop/v2/items").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", ORIGIN).header("Access-Control-Request-Method", "DELETE"));

    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, POST");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).contains("authorization, content-type");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
    assertThat(otherOrigin.statusCode()).isEqualTo(403);
    assertThat(otherOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    // No DELETE route: not a CORS route for that method, so the normal answer (405).
    assertThat(otherMethod.statusCode()).isEqualTo(405);
  }
}
