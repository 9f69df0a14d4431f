package dev.gantry.runtime.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * buildah and podman with a project-local configuration (vfs storage under {@code dir}, runc,
 * host network, no ulimits), passed by environment so nothing in /etc changes; see
 * ../shared/ENVIRONMENT.md for why each setting is needed on these machines.
 */
public final class Containers {
  /** What a command printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  private final Path dir;

  public Containers(Path dir) {
    // containers/storage refuses relative paths.
    this.dir = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.dir);
      Files.writeString(this.dir.resolve("containers.conf"), """
          [containers]
          default_ulimits = []
          netns = "host"
          [engine]
          runtime = "runc"
          cgroup_manager = "cgroupfs"
          """);
      Files.writeString(this.dir.resolve("storage.conf"), """
          [storage]
          driver = "vfs"
          runroot = "%s"
          graphroot = "%s"
          """.formatted(this.dir.resolve("run"), this.dir.resolve("graph")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Skips the test when a tool is missing, except under {@code CI=true}, where it fails with the
   * install hint: a CI run that silently skips the image tests proves nothing.
   */
  public static void require(String... binaries) {
    List<String> missing = new ArrayList<>();
    for (String binary : binaries) {
      if (!onPath(binary)) {
        missing.add(binary);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "missing " + String.join(", ", missing) + ": apt-get install -y docker-registry podman buildah "
        + "runc skopeo debootstrap (.ci/run does this)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
  }

  private static boolean onPath(String binary) {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, binary))) {
        return true;
      }
    }
    return false;
  }

  /** The environment that points buildah and podman at the local configuration. */
  public java.util.Map<String, String> environment() {
    return java.util.Map.of("CONTAINERS_CONF", dir.resolve("containers.conf").toString(),
        "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString(), "BUILDAH_ISOLATION", "chroot");
  }

  /** Runs {@code command} with the local configuration; never throws for a non-zero exit. */
  public Result run(long timeoutSeconds, String... command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment());
    try {
      Path log = Files.createTempFile(dir, "cmd-", ".log");
      Process process = builder.redirectOutput(log.toFile()).start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out after " + timeoutSeconds
            + " s: " + String.join(" ", command) + ")");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code command} and fails the test, with its output, unless it exits 0. */
  public String check(long timeoutSeconds, String... command) {
    Result result = run(timeoutSeconds, command);
    if (result.exitCode() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ":\n" + tail(result.output()));
    }
    return result.output();
  }

  /** The last 60 lines: enough to see why a build failed without drowning the report. */
  public static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
