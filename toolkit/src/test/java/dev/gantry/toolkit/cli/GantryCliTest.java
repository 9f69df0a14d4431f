package dev.gantry.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.toolkit.resolve.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GantryCliTest {
  private static final String DEFINITION = Fixtures.SAMPLES.resolve("petstore.yaml").toString();
  private static final String RESOURCES = Fixtures.SAMPLE_RESOURCES.toString();

  @TempDir
  Path temp;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GantryCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void validatePrintsOneLineSummary() {
    Run run = run("validate", "-f", DEFINITION, "-r", RESOURCES);

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo(
        "OK petstore v1: 6 operations, 3 endpoints, 3 rate limits, 5 security schemes" + System.lineSeparator());
    assertThat(run.err()).isEmpty();
  }

  @Test
  void validateListsEveryProblemAndExitsOneWithoutAStackTrace() throws IOException {
    Path broken = temp.resolve("broken.yaml");
    Files.writeString(broken, Fixtures.read(Path.of(DEFINITION))
        .replace("x-gantry-ratelimit: writes", "x-gantry-ratelimit: gold")
        .replace("x-gantry-endpoint: orders-service", "x-gantry-endpoint: orders"));

    Run run = run("validate", "-f", broken.toString(), "-r", RESOURCES, "--name", "petstore", "--version", "v1");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly(
        "error: " + broken + ":28: paths./pets.post.x-gantry-ratelimit: RateLimit \"gold\" not found",
        "error: " + broken + ":61: paths./partners/orders.post.x-gantry-endpoint: Endpoint \"orders\" not found",
        "2 errors; nothing was written");
    assertThat(run.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void buildWritesBundleDigestAndEnvironmentAndPrintsTheDigest() throws IOException {
    Path out = temp.resolve("out");

    Run run = run("build", "-f", DEFINITION, "-r", RESOURCES, "-o", out.toString());

    assertThat(run.exit()).isZero();
    String digest = Files.readString(out.resolve("bundle.sha256")).trim();
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(run.out().trim()).isEqualTo(digest);
    assertThat(out.resolve("bundle/routes.yaml")).exists();
    assertThat(out.resolve("environment.yaml")).exists();
    // A second build replaces the first and yields the same digest.
    assertThat(run("build", "-f", DEFINITION, "-r", RESOURCES, "-o", out.toString()).out().trim()).isEqualTo(digest);
  }

  @Test
  void buildWithErrorsWritesNothing() {
    Path out = temp.resolve("out");

    Run run = run("build", "-f", DEFINITION, "-r", RESOURCES + "/ratelimits.yaml", "-o", out.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("Endpoint \"petstore-backend\" not found", "nothing was written");
    assertThat(out).doesNotExist();
  }

  @Test
  void buildRefusesToOverwriteAFolderThatIsNotBuildOutput() throws IOException {
    Path out = Files.createDirectories(temp.resolve("mine"));
    Files.writeString(out.resolve("notes.txt"), "keep me");

    Run run = run("build", "-f", DEFINITION, "-r", RESOURCES, "-o", out.toString());

    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err()).contains("notes.txt", "not Gantry build output");
    assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("keep me");
  }

  @Test
  void missingFilesAndBadUsageAreClearMessages() {
    Run missing = run("validate", "-f", temp.resolve("nope.yaml").toString(), "-r", RESOURCES);
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.yaml: no such file");

    Run usage = run("build", "-f", DEFINITION);
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required option: '--output=OUT'");
  }

  @Test
  void helpEverywhereAndACompletionScript() {
    assertThat(run("--help").out()).contains("validate", "build", "generate-completion");
    assertThat(run("validate", "--help").out()).contains("--resources", "Exit codes");
    assertThat(run("build", "-h").out()).contains("--output");
    assertThat(run("generate-completion").out()).contains("complete -F");
  }
}
