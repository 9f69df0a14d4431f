package dev.gantry.toolkit.cli;

import dev.gantry.toolkit.image.RegistryAccess;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the image commands reach registries; turned into one {@link RegistryAccess}. */
final class RegistryOptions {
  @Option(names = "--insecure",
      description = "Allow plain HTTP and unverified TLS (a local or test registry); credentials may then go over HTTP.")
  boolean insecure;

  @Option(names = "--docker-config", paramLabel = "FILE",
      description = "Docker config.json with auths, credHelpers or credsStore "
          + "(default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json). "
          + "A registry signed by a private CA: run with -Djavax.net.ssl.trustStore=… (JAVA_TOOL_OPTIONS).")
  Path dockerConfig;

  /** @throws IllegalArgumentException when --docker-config names no file */
  RegistryAccess access(PrintWriter err) {
    return RegistryAccess.of(insecure, dockerConfig, System.getenv())
        .withWarnings(warning -> err.println("warning: " + warning));
  }
}
