package dev.gantry.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.toolkit.image.testing.LocalRegistry;
import dev.gantry.toolkit.image.testing.TestImages;
import dev.gantry.toolkit.resolve.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gantry image build|inspect} against a real registry: exit codes and what is printed. */
class ImageCliIT {
  private static final String DEFINITION = Fixtures.SAMPLES.resolve("petstore.yaml").toString();
  private static final String RESOURCES = Fixtures.SAMPLE_RESOURCES.toString();
  private static LocalRegistry registry;
  private static String runtime;

  @TempDir
  Path temp;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = LocalRegistry.start();
    runtime = TestImages.pushRuntimeStandIn(registry, "gantry/runtime", "0.1.0");
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GantryCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run build(String resources, String version, String... extra) {
    String[] base = {"image", "build", "-f", DEFINITION, "-r", resources, "--version", version,
        "--registry", registry.host() + "/cli", "--runtime-image", runtime, "--insecure"};
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return run(all);
  }

  @Test
  void buildThenSkipThenRefuseThenOverrideWithTheirExitCodes() throws Exception {
    Run built = build(RESOURCES, "v1");
    assertThat(built.exit()).as(built.err()).isZero();
    String digest = registry.manifestDigest("cli/petstore", "v1").orElseThrow();
    assertThat(built.out()).isEqualTo(registry.host() + "/cli/petstore@" + digest + System.lineSeparator());
    assertThat(built.err()).contains("does not exist yet").contains("progress 100%")
        .contains("built: built and pushed " + registry.host() + "/cli/petstore@" + digest);
    assertThat(built.err()).doesNotContain("Attempting again", "Exception", "\tat ");

    Run skipped = build(RESOURCES, "v1");
    assertThat(skipped.exit()).as(skipped.err()).isEqualTo(5);
    assertThat(skipped.out()).isEqualTo(built.out());
    assertThat(skipped.err()).contains("skipped: " + registry.host() + "/cli/petstore:v1 already holds this bundle");

    Path changed = Files.createDirectories(temp.resolve("resources"));
    try (var files = Files.list(Fixtures.SAMPLE_RESOURCES)) {
      for (Path file : files.toList()) {
        Files.writeString(changed.resolve(file.getFileName()),
            Files.readString(file).replaceFirst("requests: 100", "requests: 99"));
      }
    }
    Run refused = build(changed.toString(), "v1");
    assertThat(refused.exit()).as(refused.err()).isEqualTo(4);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).contains("refused: " + registry.host() + "/cli/petstore:v1 already holds different content")
        .contains("bump the version or set override");
    assertThat(registry.manifestDigest("cli/petstore", "v1")).contains(digest);

    Run overridden = build(changed.toString(), "v1", "--override");
    assertThat(overridden.exit()).as(overridden.err()).isZero();
    assertThat(registry.manifestDigest("cli/petstore", "v1")).isPresent().get().isNotEqualTo(digest);

    Run inspect = run("image", "inspect", registry.host() + "/cli/petstore:v1", "--insecure");
    assertThat(inspect.exit()).as(inspect.err()).isZero();
    assertThat(inspect.out()).contains("api: petstore", "version: v1",
        "manifest-digest: " + registry.manifestDigest("cli/petstore", "v1").orElseThrow()).contains("bundle-digest: sha256:");
  }

  @Test
  void registryDownExitsThreeWithAMessageNamingItAndNoStackTrace() throws Exception {
    try (LocalRegistry down = LocalRegistry.start()) {
      down.stop();
      Run run = run("image", "build", "-f", DEFINITION, "-r", RESOURCES, "--registry", down.host(),
          "--runtime-image", runtime, "--insecure");

      assertThat(run.exit()).isEqualTo(3);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains("error: cannot look up " + down.host() + "/petstore:v1 in registry " + down.host())
          .contains("Connection refused").doesNotContain("\tat ");

      Run inspect = run("image", "inspect", down.host() + "/petstore:v1", "--insecure");
      assertThat(inspect.exit()).isEqualTo(3);
    }
  }

  @Test
  void inspectOfAMissingImageOrAForeignImageExitsOne() {
    Run missing = run("image", "inspect", registry.host() + "/nothing:v1", "--insecure");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("error: " + registry.host() + "/nothing:v1 not found in registry "
        + registry.host() + System.lineSeparator());

    Run foreign = run("image", "inspect", runtime, "--insecure");
    assertThat(foreign.exit()).isEqualTo(1);
    assertThat(foreign.err()).contains("is not a Gantry image (no dev.gantry.bundle-digest label)");
  }

  @Test
  void usageErrorsExitTwo() {
    Run noRuntime = run("image", "build", "-f", DEFINITION, "-r", RESOURCES, "--registry", registry.host());
    // GANTRY_RUNTIME_IMAGE may be set where the tests run; only assert when it is not.
    if (System.getenv("GANTRY_RUNTIME_IMAGE") == null) {
      assertThat(noRuntime.exit()).isEqualTo(2);
      assertThat(noRuntime.err()).contains("--runtime-image is required (or set GANTRY_RUNTIME_IMAGE)");
    }
    if (System.getenv("GANTRY_TOOLKIT_IMAGE") == null) {
      Run dockerfile = build(RESOURCES, "v1", "--builder", "dockerfile");
      assertThat(dockerfile.exit()).isEqualTo(2);
      assertThat(dockerfile.err()).contains("--builder dockerfile needs --toolkit-image");
    }
    Run badRegistry = run("image", "build", "-f", DEFINITION, "--registry", "http://x", "--runtime-image", runtime);
    assertThat(badRegistry.exit()).isEqualTo(2);
    assertThat(badRegistry.err()).contains("has a scheme");
    Run noConfig = build(RESOURCES, "v1", "--docker-config", temp.resolve("none.json").toString());
    assertThat(noConfig.exit()).isEqualTo(2);
    assertThat(noConfig.err()).contains("none.json does not exist");
  }
}
