package dev.gantry.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.runtime.support.TestBundles;
import dev.gantry.toolkit.bundle.Bundle;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final String OPENAPI = """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      x-gantry-endpoint: backend
      x-gantry-ratelimit: gold
      security: [{jwt: [read]}]
      paths:
        /items/{id}: {get: {operationId: getItem, responses: {"200": {description: ok}}}}
      """;
  static final String RESOURCES = """
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: backend}
      spec: {urls: ["https://backend.example.com/api"], timeouts: {connect: 2s}, caSecretRef: {name: backend-ca, key: ca.crt}}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: RateLimit
      metadata: {name: gold}
      spec: {requests: 10, per: 1m, scope: consumer, key: {header: X-Client}}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Security
      metadata: {name: jwt}
      spec: {type: jwt, jwt: {issuer: "https://id.example.com/", jwksUrl: "https://id.example.com/jwks", audiences: [shop]}}
      """;

  @TempDir
  Path temp;

  private Bundle build() {
    return TestBundles.build(temp.resolve("out"), "shop", "v1", OPENAPI, RESOURCES);
  }

  @Test
  void readsTheToolkitsBundleAndComputesTheSameDigest() throws Exception {
    Bundle bundle = build();
    Path secrets = TestBundles.secrets(temp.resolve("secrets"), Map.of("backend-ca", Map.of("ca.crt", "pem")));

    GatewayConfig config = new ConfigLoader(Map.of()).load(temp.resolve("out/bundle"),
        temp.resolve("out/environment.yaml"), secrets);

    assertThat(config.bundleDigest()).isEqualTo(bundle.digest());
    assertThat(config.routes()).singleElement().satisfies(route -> {
      assertThat(route.path()).isEqualTo("/shop/v1/items/{id}");
      assertThat(route.basePath()).isEqualTo("/shop/v1");
      assertThat(route.security()).containsExactly(List.of(new RouteConfig.SchemeRef("jwt", List.of("read"))));
    });
    assertThat(config.rateLimits().get("gold")).isEqualTo(new RateLimitConfig("gold", 10,
        java.time.Duration.ofMinutes(1), 0, RateLimitConfig.Scope.CONSUMER, "X-Client", null));
    UpstreamConfig upstream = config.upstreams().get("backend");
    assertThat(upstream.urls()).containsExactly(URI.create("https://backend.example.com/api"));
    assertThat(upstream.connectTimeout()).hasSeconds(2);
    assertThat(upstream.caFile()).isEqualTo(secrets.resolve("backend-ca/ca.crt"));
    assertThat(config.security().get("jwt").jwt().audiences()).containsExactly("shop");
  }

  @Test
  void upstreamUrlsCanBeOverriddenByEnvironmentVariable() throws Exception {
    build();
    Path secrets = TestBundles.secrets(temp.resolve("secrets"), Map.of("backend-ca", Map.of("ca.crt", "pem")));

    GatewayConfig config = new ConfigLoader(Map.of("GANTRY_UPSTREAM_BACKEND_URLS", "http://qa-1:8080, http://qa-2:8080"))
        .load(temp.resolve("out/bundle"), temp.resolve("out/environment.yaml"), secrets);

    assertThat(config.upstreams().get("backend").urls())
        .containsExactly(URI.create("http://qa-1:8080"), URI.create("http://qa-2:8080"));
  }

  @Test
  void everyProblemIsListedAndSecurityNeverFallsOpen() throws Exception {
    build();
    Path environment = temp.resolve("out/environment.yaml");
    Files.writeString(environment, Files.readString(environment).replace("jwt:\n    jwt:", "jwt:\n    nothing:"));

    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(temp.resolve("out/bundle"), environment,
        temp.resolve("no-secrets")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).anyMatch(p -> p.contains("backend-ca/ca.crt")
            && p.contains("not mounted")).anyMatch(p -> p.contains("security.jwt.jwt: missing")));
  }

  @Test
  void limitsOutsideTheirBoundsAreRefusedNotUsed() throws Exception {
    build();
    Path secrets = TestBundles.secrets(temp.resolve("secrets"), Map.of("backend-ca", Map.of("ca.crt", "pem")));
    Path gateway = temp.resolve("out/bundle/gateway.yaml");
    Path routes = temp.resolve("out/bundle/routes.yaml");
    Files.writeString(gateway, Files.readString(gateway).replace("maxHeaderBytes: 8192", "maxHeaderBytes: 0"));
    Files.writeString(routes, Files.readString(routes).replace("operationId: getItem",
        "operationId: getItem\n  maxBodyBytes: -5"));

    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(temp.resolve("out/bundle"),
        temp.resolve("out/environment.yaml"), secrets))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems())
            .anyMatch(p -> p.contains("maxHeaderBytes") && p.contains("is 0; must be from 1 to 65536"))
            .anyMatch(p -> p.contains("maxBodyBytes") && p.contains("is -5; must be from 0 to")));
  }

  @Test
  void aMissingEnvironmentNamesTheWayOut() throws Exception {
    build();

    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(temp.resolve("out/bundle"), null, temp))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("upstream backend: no URL")
        .hasMessageContaining("GANTRY_UPSTREAM_BACKEND_URLS")
        .hasMessageContaining("security jwt: no settings in the environment; refusing to start open");
  }

  @Test
  void aFolderThatIsNotABundleIsRefused() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(temp, null, temp))
        .isInstanceOf(ConfigException.class).hasMessageContaining("bundle.yaml");
  }
}
