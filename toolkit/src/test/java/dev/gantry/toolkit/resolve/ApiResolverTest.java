package dev.gantry.toolkit.resolve;

import static dev.gantry.toolkit.resolve.Fixtures.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gantry.toolkit.problem.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiResolverTest {

  @Test
  void resolvesThePetstoreSampleInOpenApi3() {
    ApiResolver.Resolution resolution = Fixtures.resolveSample("petstore.yaml");

    assertThat(resolution.problems()).filteredOn(Problem::isError).isEmpty();
    ResolvedApi api = resolution.api().orElseThrow();
    assertThat(api.identity()).isEqualTo(new ApiIdentity("petstore", "v1"));
    assertThat(api.operations()).extracting(ResolvedOperation::method, ResolvedOperation::path)
        .containsExactly(
            tuple("POST", "/petstore/v1/partners/orders"),
            tuple("GET", "/petstore/v1/pets"),
            tuple("POST", "/petstore/v1/pets"),
            tuple("DELETE", "/petstore/v1/pets/{petId}"),
            tuple("GET", "/petstore/v1/pets/{petId}"),
            tuple("GET", "/store/v1/inventory"));
    assertThat(api.securities()).containsOnlyKeys("jwt-auth", "oauth-introspect", "admin-basic", "store-key",
        "partner-mtls");
    assertThat(api.rateLimits()).containsOnlyKeys("standard", "writes", "per-operation");
    assertThat(api.endpoints()).containsOnlyKeys("petstore-backend", "petstore-replica", "orders-service");
  }

  @Test
  void swagger2AndOpenApi3SamplesResolveToTheSameRoutes() {
    ResolvedApi v3 = Fixtures.resolveSample("petstore.yaml").api().orElseThrow();
    ApiResolver.Resolution v2 = Fixtures.resolveSample("petstore-swagger2.yaml");

    assertThat(v2.problems()).filteredOn(Problem::isError).isEmpty();
    assertThat(strip(v2.api().orElseThrow().operations())).isEqualTo(strip(v3.operations()));
  }

  /** Everything but the file name, which differs between the two samples. */
  private static List<List<Object>> strip(List<ResolvedOperation> operations) {
    return operations.stream().map(op -> List.<Object>of(op.method(), op.path(), op.endpoints(),
        String.valueOf(op.rateLimit()), op.security(), String.valueOf(op.operationId()))).toList();
  }

  @Test
  void documentLevelExtensionsApplyToEveryOperation() {
    ResolvedApi api = resolved("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        x-gantry-ratelimit: gold
        x-gantry-basepath: /shop
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
          /b: {post: {responses: {"200": {description: ok}}}}
        """);

    assertThat(api.operations()).extracting(ResolvedOperation::path, ResolvedOperation::endpoints,
            ResolvedOperation::rateLimit)
        .containsExactly(tuple("/shop/a", List.of("backend"), "gold"), tuple("/shop/b", List.of("backend"), "gold"));
  }

  @Test
  void pathLevelOverridesDocumentAndOperationLevelOverridesPath() {
    ResolvedApi api = resolved("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        x-gantry-ratelimit: gold
        paths:
          /items:
            x-gantry-endpoint: [other, backend]
            x-gantry-ratelimit: silver
            x-gantry-basepath: /catalog/
            get: {responses: {"200": {description: ok}}}
            put:
              x-gantry-endpoint: backend
              x-gantry-ratelimit: gold
              x-gantry-basepath: /
              responses: {"200": {description: ok}}
        """);

    assertThat(api.operations()).extracting(ResolvedOperation::method, ResolvedOperation::path,
            ResolvedOperation::endpoints, ResolvedOperation::rateLimit)
        .containsExactly(
            tuple("GET", "/catalog/items", List.of("other", "backend"), "silver"),
            tuple("PUT", "/items", List.of("backend"), "gold"));
  }

  @Test
  void defaultBasePathIsNameAndVersion() {
    ResolvedApi api = resolved("""
        openapi: 3.1.0
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """);

    assertThat(api.operations()).singleElement().extracting(ResolvedOperation::path).isEqualTo("/shop/v1/a");
  }

  @Test
  void securityComesFromTheDocumentUnlessTheOperationSaysOtherwise() {
    ResolvedApi api = resolved("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        security: [{jwt: [read]}]
        paths:
          /inherit: {get: {responses: {"200": {description: ok}}}}
          /public: {get: {security: [], responses: {"200": {description: ok}}}}
          /either:
            get:
              security: [{jwt: [write, admin, write]}, {keys: []}]
              responses: {"200": {description: ok}}
        """);

    assertThat(api.operations()).extracting(ResolvedOperation::definitionPath, ResolvedOperation::security)
        .containsExactly(
            tuple("/either", List.of(List.of(new SchemeRequirement("jwt", List.of("admin", "write"))),
                List.of(new SchemeRequirement("keys", List.of())))),
            tuple("/inherit", List.of(List.of(new SchemeRequirement("jwt", List.of("read"))))),
            tuple("/public", List.of()));
    assertThat(api.operations()).filteredOn(ResolvedOperation::isPublic)
        .extracting(ResolvedOperation::definitionPath).containsExactly("/public");
  }

  @Test
  void openApi31MutualTlsSchemeMatchesAnMtlsResource() {
    ResolvedApi api = resolved("""
        openapi: 3.1.0
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        security: [{partners: []}]
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        components:
          securitySchemes:
            partners: {type: mutualTLS}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: Security
        metadata: {name: partners}
        spec: {type: mtls, mtls: {caSecretRef: {name: partner-ca, key: ca.crt}}}
        """);

    assertThat(api.operations()).singleElement().extracting(ResolvedOperation::security)
        .isEqualTo(List.of(List.of(new SchemeRequirement("partners", List.of()))));
    assertThat(api.securities().get("partners").getMtls().getCaSecretRef().getName()).isEqualTo("partner-ca");
  }

  @Test
  void onlyReferencedResourcesAreKept() {
    ResolvedApi api = resolved("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths:
          /a:
            get:
              x-gantry-endpoint: other
              responses: {"200": {description: ok}}
        """);

    assertThat(api.endpoints()).containsOnlyKeys("other");
    assertThat(api.rateLimits()).isEmpty();
    assertThat(api.securities()).isEmpty();
  }

  @Test
  void definitionsSplitOverSeveralFilesAreRoutedTogether() {
    String first = """
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """;
    String second = """
        swagger: "2.0"
        info: {title: t, version: "1"}
        x-gantry-endpoint: other
        x-gantry-basepath: /legacy
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """;
    ApiResolver.Resolution resolution = new ApiResolver().resolve(new ApiIdentity("shop", "v1"),
        List.of(dev.gantry.toolkit.openapi.DefinitionFile.of("a.yaml", first),
            dev.gantry.toolkit.openapi.DefinitionFile.of("b.yaml", second)),
        Fixtures.resources(Fixtures.BASE_RESOURCES), "API/shop");

    assertThat(resolution.api().orElseThrow().operations())
        .extracting(ResolvedOperation::path, ResolvedOperation::definition, ResolvedOperation::endpoints)
        .containsExactly(tuple("/legacy/a", "b.yaml", List.of("other")), tuple("/shop/v1/a", "a.yaml", List.of("backend")));
  }

  @Test
  void jsonDefinitionsAreAccepted() {
    ResolvedApi api = resolved("""
        {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
         "x-gantry-endpoint": "backend",
        \t"paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}
        """);

    assertThat(api.operations()).singleElement().extracting(ResolvedOperation::path).isEqualTo("/shop/v1/a");
  }

  @Test
  void misspelledGantryExtensionIsAWarning() {
    ApiResolver.Resolution resolution = Fixtures.resolve("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /a:
            get:
              x-gantry-ratelimt: gold
              responses: {"200": {description: ok}}
        """);

    assertThat(resolution.api()).isPresent();
    assertThat(resolution.problems()).extracting(Problem::toString)
        .anyMatch(s -> s.startsWith("warning: shop.yaml:7: paths./a.get.x-gantry-ratelimt: unknown Gantry extension"));
  }
}
