package dev.gantry.runtime.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The JRE base image for tests, from runtime-image/base/jre-base.sh: cached in ~/.cache/gantry,
 * made on first use (debootstrap about 70 s, then the archive about 20 s).
 */
public final class JreBase {
  private JreBase() {}

  /** {@code tar://PATH} of the docker-archive, for JavaAppImage's base. Run from the module folder. */
  public static String tarReference() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "base/jre-base.sh").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new AssertionError("runtime-image/base/jre-base.sh failed (see its messages above)");
    }
    return "tar://" + Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
  }
}
