package dev.gantry.toolkit.image.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.resolve.ApiResolver;
import dev.gantry.toolkit.resolve.LocalInputs;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A context made from an API the operator resolved must compile, in stage 1, to the very same bundle. */
class ResolvedContextTest {
  static final Path SAMPLE = Path.of("../samples/petstore");

  @TempDir
  Path temp;

  @Test
  void stageOneCompilesTheContextToTheDigestTheOperatorComputed() throws Exception {
    ResolvedApi api = LocalInputs.resolve(List.of(SAMPLE.resolve("petstore.yaml")), List.of(SAMPLE.resolve("resources")),
        null, null).api().orElseThrow();
    String digest = new BundleCompiler().compile(api).digest();

    BuildContext context = BuildContext.fromResolved(api, digest);
    context.extractTo(temp);
    // What the Dockerfile's first stage runs: gantry build over definitions/ and resources/.
    List<Path> definitions;
    try (var files = Files.list(temp.resolve("definitions"))) {
      definitions = files.sorted().toList();
    }
    ApiResolver.Resolution again = LocalInputs.resolve(definitions, List.of(temp.resolve("resources")),
        context.buildArgs().get("API"), context.buildArgs().get("VERSION"));

    assertThat(again.problems()).noneMatch(p -> p.isError());
    assertThat(new BundleCompiler().compile(again.api().orElseThrow()).digest()).isEqualTo(digest);
    assertThat(context.buildArgs()).containsEntry("BUNDLE_DIGEST", digest).containsEntry("DEFINITIONS", "petstore.yaml");
    try (var files = Files.walk(temp)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString())
            .doesNotContain("SAMPLE-oauth-client-secret").doesNotContain("SAMPLE-api-key");
      }
    }
  }

  @Test
  void theSameApiGivesTheSameContextBytes() {
    ResolvedApi api = LocalInputs.resolve(List.of(SAMPLE.resolve("petstore.yaml")), List.of(SAMPLE.resolve("resources")),
        null, null).api().orElseThrow();
    String digest = new BundleCompiler().compile(api).digest();

    assertThat(BuildContext.fromResolved(api, digest).tarGz()).isEqualTo(BuildContext.fromResolved(api, digest).tarGz());
  }
}
