package dev.gantry.toolkit.resolve;

import static dev.gantry.toolkit.resolve.Fixtures.errors;
import static dev.gantry.toolkit.resolve.Fixtures.resolve;
import static dev.gantry.toolkit.resolve.Fixtures.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code x-gantry-limits}: what the gateway accepts, per operation (body) and per API (headers, URI). */
class LimitsExtensionTest {
  private static final String HEAD = """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      x-gantry-endpoint: backend
      """;

  private static List<String> messages(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }

  @Test
  void withoutTheExtensionEverythingIsGantrysDefault() {
    ResolvedApi api = resolved(HEAD + """
        paths:
          /a: {post: {responses: {"200": {description: ok}}}}
        """);
    assertThat(api.limits()).isEqualTo(ApiLimits.DEFAULT);
    assertThat(api.operations().get(0).maxBodyBytes()).isNull();
  }

  @Test
  void theMostSpecificBodyLimitWinsAndSizesReadAsQuantities() {
    ResolvedApi api = resolved(HEAD + """
        x-gantry-limits: {maxBodySize: 1Mi, maxHeaderSize: 16Ki, maxHeaders: 200, maxUriLength: 4096}
        paths:
          /a: {post: {responses: {"200": {description: ok}}}}
          /b:
            x-gantry-limits: {maxBodySize: 1G}
            post: {responses: {"200": {description: ok}}}
            put: {x-gantry-limits: {maxBodySize: 0}, responses: {"200": {description: ok}}}
            patch: {x-gantry-limits: {}, responses: {"200": {description: ok}}}
          /c: {post: {x-gantry-limits: {maxBodySize: 2048}, responses: {"200": {description: ok}}}}
        """);
    assertThat(api.limits()).isEqualTo(new ApiLimits(16 * 1024, 200, 4096, ApiLimits.DEFAULT.maxBodyBytes()));
    assertThat(api.operations()).extracting(op -> op.method() + " " + op.path() + " " + op.maxBodyBytes())
        .containsExactly("POST /shop/v1/a 1048576", "PATCH /shop/v1/b 1000000000", "POST /shop/v1/b 1000000000",
            "PUT /shop/v1/b 0", "POST /shop/v1/c 2048");
  }

  @Test
  void theBundleCarriesTheLimitsAndOnlyDeclaredRoutesAnOwnBodyLimit() {
    Bundle bundle = new BundleCompiler().compile(resolved(HEAD + """
        x-gantry-limits: {maxHeaderSize: 16Ki}
        paths:
          /a: {post: {responses: {"200": {description: ok}}}}
          /b: {post: {x-gantry-limits: {maxBodySize: 50Mi}, responses: {"200": {description: ok}}}}
        """));
    String gateway = new String(bundle.files().get(Bundle.GATEWAY), StandardCharsets.UTF_8);
    String routes = new String(bundle.files().get(Bundle.ROUTES), StandardCharsets.UTF_8);
    assertThat(gateway).contains("maxHeaderBytes: 16384").contains("maxHeaders: 100").contains("maxUriLength: 8192")
        .contains("maxBodyBytes: 10485760");
    assertThat(routes).containsOnlyOnce("maxBodyBytes").contains("maxBodyBytes: 52428800");
  }

  @Test
  void mistakesNameTheFieldAndTheAllowedValues() {
    assertThat(messages(errors(HEAD + """
        x-gantry-limits: {maxHeaderSize: 512, maxHeaders: many, maxUriLength: 1000000, maxBodySize: -1}
        paths:
          /a: {post: {x-gantry-limits: {maxBodySize: 10m}, responses: {"200": {description: ok}}}}
          /b: {post: {x-gantry-limits: {maxBodySize: "1.5"}, responses: {"200": {description: ok}}}}
          /c: {post: {x-gantry-limits: {maxBodySize: lots}, responses: {"200": {description: ok}}}}
          /d: {post: {x-gantry-limits: {maxHeaders: 10}, responses: {"200": {description: ok}}}}
          /e: {post: {x-gantry-limits: 5Mi, responses: {"200": {description: ok}}}}
        """))).containsExactlyInAnyOrder(
        "error: shop.yaml:4: x-gantry-limits.maxHeaderSize: is 512 bytes; must be a size in bytes: a whole number "
            + "or a quantity such as 512Ki, 10Mi or 1Gi from 1Ki to 64Ki",
        "error: shop.yaml:4: x-gantry-limits.maxHeaders: must be a whole number from 1 to 1000",
        "error: shop.yaml:4: x-gantry-limits.maxUriLength: must be a whole number from 256 to 65536",
        "error: shop.yaml:4: x-gantry-limits.maxBodySize: must be a size in bytes: a whole number or a quantity "
            + "such as 512Ki, 10Mi or 1Gi (0 or more)",
        "error: shop.yaml:6: paths./a.post.x-gantry-limits.maxBodySize: must be a size in bytes: a whole number or "
            + "a quantity such as 512Ki, 10Mi or 1Gi (0 or more)",
        "error: shop.yaml:7: paths./b.post.x-gantry-limits.maxBodySize: must be a size in bytes: a whole number or "
            + "a quantity such as 512Ki, 10Mi or 1Gi (0 or more)",
        "error: shop.yaml:8: paths./c.post.x-gantry-limits.maxBodySize: must be a size in bytes: a whole number or "
            + "a quantity such as 512Ki, 10Mi or 1Gi (0 or more)",
        "error: shop.yaml:9: paths./d.post.x-gantry-limits.maxHeaders: holds for the whole API: set it in "
            + "x-gantry-limits at the top of the definition (the gateway reads headers and the URI before it "
            + "knows the operation)",
        "error: shop.yaml:10: paths./e.post.x-gantry-limits: must be a mapping such as {maxBodySize: 50Mi}");
  }

  @Test
  void anUnknownLimitIsAWarningThatNamesTheKnownOnes() {
    ApiResolver.Resolution resolution = resolve(HEAD + """
        paths:
          /a: {post: {x-gantry-limits: {maxBodysize: 50Mi}, responses: {"200": {description: ok}}}}
        """);
    assertThat(resolution.api()).isPresent();
    assertThat(messages(resolution.problems())).containsExactly("warning: shop.yaml:5: paths./a.post.x-gantry-limits."
        + "maxBodysize: unknown limit, ignored; known are maxBodySize, maxHeaderSize, maxHeaders, maxUriLength");
  }

  @Test
  void twoDefinitionsOfOneApiMustAgreeOnItsHeaderAndUriLimits() {
    String first = HEAD + """
        x-gantry-limits: {maxHeaderSize: 16Ki, maxBodySize: 1Mi}
        paths:
          /a: {post: {responses: {"200": {description: ok}}}}
        """;
    String agreeing = HEAD + """
        x-gantry-limits: {maxHeaderSize: 16384, maxBodySize: 2Mi, maxHeaders: 50}
        paths:
          /b: {post: {responses: {"200": {description: ok}}}}
        """;
    String conflicting = HEAD + """
        x-gantry-limits: {maxHeaderSize: 32Ki}
        paths:
          /b: {post: {responses: {"200": {description: ok}}}}
        """;
    ApiResolver.Resolution agreed = resolveBoth(first, agreeing);
    ResolvedApi api = agreed.api().orElseThrow(() -> new AssertionError(agreed.problems()));
    assertThat(api.limits()).isEqualTo(new ApiLimits(16 * 1024, 50, 8192, ApiLimits.DEFAULT.maxBodyBytes()));
    assertThat(api.operations()).extracting(ResolvedOperation::maxBodyBytes).containsExactly(1048576L, 2097152L);
    assertThat(messages(resolveBoth(first, conflicting).problems())).containsExactly(
        "error: b.yaml:4: x-gantry-limits.maxHeaderSize: is 32768 here but 16384 in a.yaml: it holds for the whole "
            + "API, so the definitions must agree (or set it in one of them only)");
  }

  private static ApiResolver.Resolution resolveBoth(String first, String second) {
    return new ApiResolver().resolve(new ApiIdentity("shop", "v1"),
        List.of(DefinitionFile.of("a.yaml", first), DefinitionFile.of("b.yaml", second)),
        Fixtures.resources(Fixtures.BASE_RESOURCES), "API/shop");
  }
}
