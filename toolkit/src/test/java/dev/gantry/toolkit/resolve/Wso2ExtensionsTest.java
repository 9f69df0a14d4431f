package dev.gantry.toolkit.resolve;

import static dev.gantry.toolkit.resolve.Fixtures.errors;
import static dev.gantry.toolkit.resolve.Fixtures.resolve;
import static dev.gantry.toolkit.resolve.Fixtures.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.toolkit.problem.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The x-wso2-* extensions of the WSO2 API Operator 1.x, read beside Gantry's. */
class Wso2ExtensionsTest {
  private static final String HEAD = """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      """;

  private static List<String> messages(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }

  private static ResolvedOperation only(ResolvedApi api) {
    assertThat(api.operations()).hasSize(1);
    return api.operations().get(0);
  }

  @Test
  void basePathReplacesVersionAndGantrysWinsAtTheSameLevel() {
    ResolvedApi api = resolved(HEAD + """
        x-wso2-basePath: /store/{version}
        x-gantry-endpoint: backend
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
          /b:
            x-gantry-basepath: /gantry
            x-wso2-basePath: /ignored
            get: {responses: {"200": {description: ok}}}
        """);
    assertThat(api.operations()).extracting(ResolvedOperation::path).containsExactly("/gantry/b", "/store/v1/a");
  }

  @Test
  void inlineUrlsBecomeDeterministicallyNamedEndpoints() {
    ResolvedApi api = resolved(HEAD + """
        x-wso2-production-endpoints: {urls: ["http://prod-1:8080", "http://prod-2:8080"]}
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
          /b:
            x-wso2-production-endpoints: {urls: ["http://b:8080"]}
            get: {responses: {"200": {description: ok}}}
            post:
              x-wso2-production-endpoints: {urls: ["http://b-post:8080"]}
              responses: {"200": {description: ok}}
        """);
    assertThat(api.operations()).extracting(ResolvedOperation::endpoints).containsExactly(
        List.of("shop-production"), List.of("shop-production-b"), List.of("shop-production-post-b"));
    assertThat(api.endpoints().get("shop-production").getUrls()).containsExactly("http://prod-1:8080", "http://prod-2:8080");
    assertThat(api.endpoints().get("shop-production-post-b").getUrls()).containsExactly("http://b-post:8080");
  }

  @Test
  void referenceIntoTheEndpointsListAndTargetEndpointNames() {
    ResolvedApi api = resolved(HEAD + """
        x-wso2-endpoints:
          - myBackend: {urls: ["http://my-backend:9000"]}
        x-wso2-production-endpoints: "#/x-wso2-endpoints/myBackend"
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
          /b: {get: {x-wso2-production-endpoints: {urls: [other]}, responses: {"200": {description: ok}}}}
          /c: {get: {x-wso2-production-endpoints: backend, responses: {"200": {description: ok}}}}
        """);
    assertThat(api.operations()).extracting(ResolvedOperation::endpoints)
        .containsExactly(List.of("mybackend"), List.of("other"), List.of("backend"));
    assertThat(api.endpoints().get("mybackend").getUrls()).containsExactly("http://my-backend:9000");
  }

  @Test
  void namespacedTargetEndpointIsLookedUpByNameWithAWarning() {
    ApiResolver.Resolution resolution = resolve(HEAD + """
        paths:
          /a: {get: {x-wso2-production-endpoints: {urls: [backend.shop-ns]}, responses: {"200": {description: ok}}}}
        """);
    assertThat(only(resolution.api().orElseThrow()).endpoints()).containsExactly("backend");
    assertThat(messages(resolution.problems())).anyMatch(m -> m.startsWith(
        "warning: shop.yaml:4: paths./a.get.x-wso2-production-endpoints.urls: \"backend.shop-ns\" is read as TargetEndpoint \"backend\""));
  }

  @Test
  void endpointMistakesAreReportedWhereTheyAre() {
    assertThat(messages(errors(HEAD + """
        x-wso2-endpoints:
          - broken: "http://x"
        paths:
          /a: {get: {x-wso2-production-endpoints: "#/x-wso2-endpoints/missing", responses: {"200": {description: ok}}}}
          /b: {get: {x-wso2-production-endpoints: "#/x-wso2-endpoints/broken", responses: {"200": {description: ok}}}}
          /c: {get: {x-wso2-production-endpoints: {urls: [ghost]}, responses: {"200": {description: ok}}}}
          /d: {get: {x-wso2-production-endpoints: {urls: []}, responses: {"200": {description: ok}}}}
          /e: {get: {x-wso2-production-endpoints: {urls: ["ftp://files"]}, responses: {"200": {description: ok}}}}
          /f: {get: {x-wso2-production-endpoints: 42, responses: {"200": {description: ok}}}}
        """))).containsExactlyInAnyOrder(
        "error: shop.yaml:4: x-wso2-endpoints.0.broken: must be an object with urls",
        "error: shop.yaml:6: paths./a.get.x-wso2-production-endpoints: refers to x-wso2-endpoints entry \"missing\", "
            + "which the list does not hold",
        "error: shop.yaml:8: paths./c.get.x-wso2-production-endpoints.urls: Endpoint \"ghost\" not found",
        "error: shop.yaml:9: paths./d.get.x-wso2-production-endpoints.urls: must be a non-empty list of URLs or "
            + "TargetEndpoint names",
        "error: shop.yaml:10: paths./e.get.x-wso2-production-endpoints.urls: \"ftp://files\" is neither an http(s) URL "
            + "nor a TargetEndpoint name",
        "error: shop.yaml:11: paths./f.get.x-wso2-production-endpoints: must be an object with urls, a "
            + "\"#/x-wso2-endpoints/<name>\" reference or a TargetEndpoint name");
  }

  @Test
  void sandboxAndUnknownWso2ExtensionsAreWarnings() {
    ApiResolver.Resolution resolution = resolve(HEAD + """
        x-gantry-endpoint: backend
        x-wso2-sandbox-endpoints: {urls: ["http://sandbox:8080"]}
        x-wso2-response-cache: {enabled: true}
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """);
    assertThat(resolution.api()).isPresent();
    assertThat(messages(resolution.problems())).anyMatch(m -> m.startsWith(
        "warning: shop.yaml:4: x-wso2-sandbox-endpoints: Gantry has no sandbox routing"))
        .anyMatch(m -> m.startsWith("warning: shop.yaml:5: x-wso2-response-cache: WSO2 extension Gantry does not read"));
  }

  @Test
  void throttlingTierNamesARateLimitAndUnlimitedIsNone() {
    ResolvedApi api = resolved(HEAD + """
        x-gantry-endpoint: backend
        x-wso2-throttling-tier: gold
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
          /b: {get: {x-wso2-throttling-tier: Unlimited, responses: {"200": {description: ok}}}}
          /c: {get: {x-wso2-throttling-tier: gold, x-gantry-ratelimit: silver, responses: {"200": {description: ok}}}}
        """);
    assertThat(api.operations()).extracting(ResolvedOperation::rateLimit).containsExactly("gold", null, "silver");
    assertThat(messages(errors(HEAD + """
        x-gantry-endpoint: backend
        paths:
          /a: {get: {x-wso2-throttling-tier: platinum, responses: {"200": {description: ok}}}}
        """))).containsExactly("error: shop.yaml:5: paths./a.get.x-wso2-throttling-tier: RateLimit \"platinum\" not found");
  }

  @Test
  void disableSecurityMakesAnOperationPublic() {
    ApiResolver.Resolution resolution = resolve(HEAD + """
        x-gantry-endpoint: backend
        security: [{jwt: []}]
        paths:
          /a: {get: {x-wso2-disable-security: true, responses: {"200": {description: ok}}}}
          /b: {get: {x-wso2-disable-security: false, responses: {"200": {description: ok}}}}
          /c: {get: {x-wso2-disable-security: true, security: [{keys: []}], responses: {"200": {description: ok}}}}
        """);
    assertThat(resolution.api().orElseThrow().operations()).extracting(ResolvedOperation::isPublic)
        .containsExactly(true, false, true);
    assertThat(messages(resolution.problems())).anyMatch(m -> m.startsWith(
        "warning: shop.yaml:8: paths./c.get.security: ignored: paths./c.get.x-wso2-disable-security is true"));
    assertThat(messages(errors(HEAD + """
        x-gantry-endpoint: backend
        paths:
          /a: {get: {x-wso2-disable-security: "yes", responses: {"200": {description: ok}}}}
        """))).containsExactly("error: shop.yaml:5: paths./a.get.x-wso2-disable-security: must be true or false");
  }

  @Test
  void corsFromBothExtensions() {
    ResolvedApi api = resolved(HEAD + """
        x-gantry-endpoint: backend
        x-wso2-cors:
          corsConfigurationEnabled: true
          accessControlAllowOrigins: ["https://app.example.com"]
          accessControlAllowMethods: [get, POST]
          accessControlAllowHeaders: [authorization]
          accessControlAllowCredentials: true
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
          /b: {get: {x-gantry-cors: {allowOrigins: ["*"], exposeHeaders: [X-Total], maxAge: 600}, responses: {"200": {description: ok}}}}
          /c: {get: {x-wso2-cors: {corsConfigurationEnabled: false}, responses: {"200": {description: ok}}}}
        """);
    assertThat(api.operations().get(0).cors()).isEqualTo(new CorsPolicy(List.of("https://app.example.com"),
        List.of("GET", "POST"), List.of("authorization"), List.of(), true, null));
    assertThat(api.operations().get(1).cors()).isEqualTo(new CorsPolicy(List.of("*"), List.of(), List.of(),
        List.of("X-Total"), false, 600));
    assertThat(api.operations().get(2).cors()).isNull();
  }

  @Test
  void corsInTheMicrogatewaysKebabCaseSpelling() {
    ResolvedApi api = resolved(HEAD + """
        x-gantry-endpoint: backend
        x-wso2-cors:
          access-control-allow-origins: ["https://app.example.com"]
          access-control-allow-methods: [GET]
          access-control-allow-headers: [Authorization]
          access-control-allow-credentials: true
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """);
    assertThat(api.operations().get(0).cors()).isEqualTo(new CorsPolicy(List.of("https://app.example.com"),
        List.of("GET"), List.of("Authorization"), List.of(), true, null));
  }

  @Test
  void corsMistakes() {
    assertThat(messages(errors(HEAD + """
        x-gantry-endpoint: backend
        paths:
          /a: {get: {x-gantry-cors: {allowOrigins: ["*"], allowCredentials: true}, responses: {"200": {description: ok}}}}
          /b: {get: {x-gantry-cors: {allowOrigins: ["app.example.com"]}, responses: {"200": {description: ok}}}}
          /c: {get: {x-gantry-cors: {allowMethods: [GET]}, responses: {"200": {description: ok}}}}
          /d: {get: {x-gantry-cors: [], responses: {"200": {description: ok}}}}
        """))).containsExactlyInAnyOrder(
        "error: shop.yaml:5: paths./a.get.x-gantry-cors.allowCredentials: credentials cannot be allowed for every "
            + "origin (*): any web site could then call this API with its visitors' cookies or credentials; list the "
            + "origins instead",
        "error: shop.yaml:6: paths./b.get.x-gantry-cors.allowOrigins.0: must be an origin such as "
            + "https://app.example.com (scheme, host and port only), or *",
        "error: shop.yaml:7: paths./c.get.x-gantry-cors.allowOrigins: must list at least one origin (or *): it is missing",
        "error: shop.yaml:8: paths./d.get.x-gantry-cors: must be a mapping such as "
            + "{allowOrigins: [\"https://app.example.com\"]}");
    // WSO2's own default (* with credentials) still loads, without credentials.
    ApiResolver.Resolution wso2 = resolve(HEAD + """
        x-gantry-endpoint: backend
        paths:
          /a: {get: {x-wso2-cors: {accessControlAllowOrigins: ["*"], accessControlAllowCredentials: true}, responses: {"200": {description: ok}}}}
        """);
    assertThat(only(wso2.api().orElseThrow()).cors().allowCredentials()).isFalse();
    assertThat(messages(wso2.problems())).anyMatch(m -> m.startsWith("warning: shop.yaml:5: paths./a.get.x-wso2-cors."
        + "accessControlAllowCredentials: credentials cannot be allowed"));
  }

  @Test
  void theWso2SampleResolvesFromWso2ResourcesAlone() {
    ApiResolver.Resolution resolution = LocalInputs.resolve(List.of(Path.of("../samples/wso2/petstore-wso2.yaml")),
        List.of(Path.of("../samples/wso2/resources.yaml")), null, null);
    ResolvedApi api = resolution.api().orElseThrow(() -> new AssertionError(resolution.problems()));
    assertThat(api.identity()).isEqualTo(new ApiIdentity("petstore", "v1"));
    assertThat(api.operations()).extracting(o -> o.method() + " " + o.path() + " " + o.endpoints() + " " + o.rateLimit()
        + " " + (o.isPublic() ? "public" : o.security())).containsExactly(
        "GET /petstore/v1/inventory [inventory-backend] fourreqpolicy [[SchemeRequirement[scheme=petstorejwt, scopes=[]]]]",
        "POST /petstore/v1/orders [petstore-production-post-orders] fourreqpolicy "
            + "[[SchemeRequirement[scheme=petstorekeys, scopes=[]]]]",
        "GET /petstore/v1/pets [petstorebackend] fourreqpolicy public",
        "POST /petstore/v1/pets [petstorebackend] null [[SchemeRequirement[scheme=petstorejwt, scopes=[]]]]",
        "GET /petstore/v1/pets/{petId} [petstorebackend] fourreqpolicy [[SchemeRequirement[scheme=petstorejwt, scopes=[]]]]");
    assertThat(api.operations()).allMatch(o -> o.cors() != null && o.cors().allowOrigins().equals(List.of("https://shop.example.com")));
  }
}
