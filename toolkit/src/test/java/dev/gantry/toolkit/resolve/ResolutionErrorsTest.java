package dev.gantry.toolkit.resolve;

import static dev.gantry.toolkit.resolve.Fixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.problem.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each class of user mistake gives an error naming the file, the line, the field path and the resource. */
class ResolutionErrorsTest {

  private static List<String> messages(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }

  @Test
  void unknownReferencesAreAllReportedAtTheirLevel() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: nowhere
        paths:
          /pets/{id}:
            x-gantry-ratelimit: platinum
            get:
              security: [{ghost: []}]
              responses: {"200": {description: ok}}
        """);

    assertThat(messages(errors)).containsExactlyInAnyOrder(
        "error: shop.yaml:3: x-gantry-endpoint: Endpoint \"nowhere\" not found",
        "error: shop.yaml:6: paths./pets/{id}.x-gantry-ratelimit: RateLimit \"platinum\" not found",
        "error: shop.yaml:8: paths./pets/{id}.get.security.0.ghost: Security \"ghost\" not found");
  }

  @Test
  void referenceToAResourceOfAnotherKindSaysSo() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /a:
            get:
              x-gantry-ratelimit: backend
              responses: {"200": {description: ok}}
        """);

    assertThat(messages(errors)).containsExactly("error: shop.yaml:7: paths./a.get.x-gantry-ratelimit: "
        + "RateLimit \"backend\" not found (there is an Endpoint of that name: wrong kind)");
  }

  @Test
  void duplicateRoutesAfterJoiningBasePathsAreRejected() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /shop/v1/items/{id}:
            x-gantry-basepath: /
            get: {responses: {"200": {description: ok}}}
          /items/{itemId}:
            get: {responses: {"200": {description: ok}}}
        """);

    assertThat(errors).singleElement().satisfies(p -> {
      assertThat(p.path()).isIn("paths./items/{itemId}.get", "paths./shop/v1/items/{id}.get");
      assertThat(p.message()).contains("route GET /shop/v1/items/", "is also defined by");
    });
  }

  @Test
  void duplicateRoutesAcrossDefinitionFilesAreRejected() {
    String definition = """
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """;
    ApiResolver.Resolution resolution = new ApiResolver().resolve(new ApiIdentity("shop", "v1"),
        List.of(DefinitionFile.of("one.yaml", definition), DefinitionFile.of("two.yaml", definition)),
        Fixtures.resources(Fixtures.BASE_RESOURCES), "API/shop");

    assertThat(resolution.api()).isEmpty();
    assertThat(messages(resolution.problems())).containsExactly("error: two.yaml: paths./a.get: route GET "
        + "/shop/v1/a is also defined by paths./a.get in one.yaml (after joining base paths; path parameter names "
        + "do not tell routes apart)");
  }

  @Test
  void invalidQuotasNameTheResourceAndField() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        x-gantry-ratelimit: broken
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: RateLimit
        metadata: {name: broken}
        spec: {requests: 0, per: 90 seconds, burst: -1, key: {header: X-A, claim: sub}}
        """);

    assertThat(messages(errors)).containsExactlyInAnyOrder(
        "error: resources-1.yaml: RateLimit/broken: spec.requests: must be at least 1, not 0",
        "error: resources-1.yaml: RateLimit/broken: spec.per: \"90 seconds\" is not a duration: use "
            + DurationParser.describeForm(),
        "error: resources-1.yaml: RateLimit/broken: spec.burst: must not be negative, not -1",
        "error: resources-1.yaml: RateLimit/broken: spec.key: set exactly one of header or claim");
  }

  @Test
  void consumerQuotaOnAPublicOperationIsRejected() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /a:
            get:
              x-gantry-ratelimit: per-consumer
              responses: {"200": {description: ok}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: RateLimit
        metadata: {name: per-consumer}
        spec: {requests: 5, per: 1s, scope: consumer}
        """);

    assertThat(errors).singleElement().satisfies(p -> {
      assertThat(p.location()).isEqualTo("shop.yaml:6: paths./a.get");
      assertThat(p.message()).contains("RateLimit \"per-consumer\"", "counts per consumer", "this operation is public");
    });
  }

  @Test
  void unsupportedAndContradictingSchemeTypesAreRejected() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /a:
            get:
              security: [{jwt: []}, {keys: []}]
              responses: {"200": {description: ok}}
        components:
          securitySchemes:
            jwt: {type: http, scheme: digest}
            keys: {type: http, scheme: basic}
        """);

    assertThat(messages(errors)).containsExactlyInAnyOrder(
        "error: shop.yaml:11: components.securitySchemes.jwt.type: unsupported scheme type http (scheme digest); "
            + "Gantry enforces apiKey (header or query), http basic, http bearer, oauth2, openIdConnect and mutualTLS",
        "error: shop.yaml:12: components.securitySchemes.keys.type: declares http (scheme basic) but Security "
            + "\"keys\" is of type apikey");
  }

  @Test
  void apiKeyDeclaredElsewhereThanTheResourceReadsItIsRejected() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        security: [{keys: []}]
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        components:
          securitySchemes:
            keys: {type: apiKey, in: query, name: key}
        """);

    assertThat(errors).singleElement().extracting(Problem::message).asString()
        .contains("declares the key in query \"key\"", "reads it from header \"X-API-Key\"");
  }

  @Test
  void scopesOnATypeThatCannotCarryThemAreRejected() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /a:
            get:
              security: [{keys: [admin]}]
              responses: {"200": {description: ok}}
        """);

    assertThat(messages(errors)).containsExactly("error: shop.yaml:7: paths./a.get.security.0.keys: scopes [admin] "
        + "cannot be enforced: Security \"keys\" is of type apikey; only jwt and oauth2 carry scopes");
  }

  @Test
  void unparsableFilesSayWhereTheSyntaxBreaks() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"
        paths: {}
        """);

    assertThat(errors).singleElement().satisfies(p -> {
      assertThat(p.source()).isEqualTo("shop.yaml");
      assertThat(p.line()).isBetween(2, 4);
      assertThat(p.message()).startsWith("not valid YAML:");
    });
  }

  @Test
  void duplicateKeysAreRefusedInJsonAsInYaml() {
    assertThat(errors("{\"openapi\": \"3.0.3\", \"paths\": {}, \"paths\": {}}")).singleElement().asString()
        .startsWith("error: shop.yaml:1: not valid JSON: Duplicate field 'paths'");
    assertThat(errors("openapi: 3.0.3\npaths: {}\npaths: {}\n")).singleElement().asString()
        .startsWith("error: shop.yaml:3: not valid YAML: found duplicate key paths");
  }

  @Test
  void hugeValuesAreNotRepeatedInFullInMessages() {
    String longName = "x".repeat(100_000);
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: %s
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """.formatted(longName));

    assertThat(errors).singleElement().satisfies(p -> {
      assertThat(p.message()).hasSizeLessThan(1100).contains("more characters");
      assertThat(p.message()).startsWith("Endpoint \"xxxx");
    });
  }

  @Test
  void documentsThatAreNotOpenApiAreRejected() {
    assertThat(messages(errors("just a string"))).containsExactly("error: shop.yaml:1: not an OpenAPI document: "
        + "the top level must be a mapping with `openapi: 3.x` or `swagger: \"2.0\"`");
    assertThat(messages(errors("kind: ConfigMap\n"))).singleElement().asString()
        .contains("found neither `openapi: 3.x` nor `swagger: \"2.0\"`");
  }

  @Test
  void operationsWithoutAnEndpointAndEmptyDefinitionsAreRejected() {
    assertThat(messages(errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """))).containsExactly("error: shop.yaml:4: paths./a.get: no Endpoint: set x-gantry-endpoint on the "
        + "operation, its path or the document");
    assertThat(messages(errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths: {}
        """))).containsExactly("error: shop.yaml:3: paths: defines no operations: there is nothing to route");
  }

  @Test
  void extensionValuesOfTheWrongShapeAreRejected() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: {name: backend}
        x-gantry-ratelimit: [gold]
        x-gantry-basepath: shop/{id}
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """);

    assertThat(messages(errors)).containsExactlyInAnyOrder(
        "error: shop.yaml:3: x-gantry-endpoint: must be the name of an Endpoint or a non-empty list of names",
        "error: shop.yaml:4: x-gantry-ratelimit: must be the name of a RateLimit",
        "error: shop.yaml:5: x-gantry-basepath: must be a path such as /petstore/v1: starting with '/', URL path "
            + "characters only, no {parameters}");
  }

  @Test
  void invalidSecurityAndEndpointResourcesAreReportedOnce() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: [bad-endpoint]
        security: [{bad-jwt: []}]
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
          /b: {get: {responses: {"200": {description: ok}}}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: bad-endpoint}
        spec: {urls: ["ftp://files", "http://user:pw@host"], image: x, timeouts: {connect: soon}}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: Security
        metadata: {name: bad-jwt}
        spec: {type: jwt}
        """);

    assertThat(messages(errors)).containsExactlyInAnyOrder(
        "error: resources-1.yaml: Endpoint/bad-endpoint: spec: set either urls or image, not both and not neither",
        "error: resources-1.yaml: Endpoint/bad-endpoint: spec.urls[0]: \"ftp://files\" is not an absolute http:// "
            + "or https:// URL with a host",
        "error: resources-1.yaml: Endpoint/bad-endpoint: spec.urls[1]: must not carry credentials: reference a "
            + "Secret instead",
        "error: resources-1.yaml: Endpoint/bad-endpoint: spec.timeouts.connect: \"soon\" is not a duration: use "
            + DurationParser.describeForm(),
        "error: resources-1.yaml (document 2): Security/bad-jwt: spec.jwt: is required when type is jwt");
  }

  @Test
  void missingSecretsAndKeysAreErrorsWhenSecretsAreKnown() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        security: [{keys: []}]
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """, """
        apiVersion: v1
        kind: Secret
        metadata: {name: api-keys}
        stringData: {other: x}
        """);

    assertThat(messages(errors)).containsExactly("error: resources-0.yaml (document 6): Security/keys: "
        + "spec.apikey.keysSecretRef: Secret \"api-keys\" has no key \"keys\"");
  }

  @Test
  void everyProblemIsCollectedNotJustTheFirst() {
    List<Problem> errors = errors("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths:
          /a: {get: {x-gantry-endpoint: e1, responses: {"200": {description: ok}}}}
          /b: {get: {x-gantry-endpoint: e2, x-gantry-ratelimit: r1, responses: {"200": {description: ok}}}}
          /c: {get: {x-gantry-endpoint: backend, security: [{s1: []}], responses: {"200": {description: ok}}}}
        """);

    assertThat(errors).hasSize(4).extracting(Problem::message).containsExactlyInAnyOrder(
        "Endpoint \"e1\" not found", "Endpoint \"e2\" not found", "RateLimit \"r1\" not found",
        "Security \"s1\" not found");
  }

  @Test
  void invalidNameAndVersionAreReported() {
    ApiResolver.Resolution resolution = new ApiResolver().resolve(new ApiIdentity("Pet_Store", "-1"),
        List.of(DefinitionFile.of("a.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")),
        new ResourceSet(), "options");

    assertThat(resolution.problems()).extracting(Problem::path).contains("name", "version");
  }
}
