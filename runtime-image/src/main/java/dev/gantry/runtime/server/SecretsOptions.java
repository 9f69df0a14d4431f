package dev.gantry.runtime.server;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where Secrets are mounted and how often they are checked for rotation: {@code gantry run} and {@code run fleet} (a Picocli mixin). */
public final class SecretsOptions {
  @Option(names = "--secrets-dir", paramLabel = "DIR", defaultValue = "/etc/gantry/secrets",
      description = "Where Secrets are mounted, one folder per Secret (default: ${DEFAULT-VALUE}).")
  Path secretsDir;

  @Option(names = "--secrets-poll-interval", paramLabel = "SECONDS", defaultValue = "10",
      description = "Seconds between checks of the mounted secret files (security schemes, Endpoint CAs, TLS); "
          + "changed ones are taken up without a restart (0 = never; default: ${DEFAULT-VALUE}).")
  long pollSeconds;

  public Path dir() {
    return secretsDir;
  }

  /** Throws IllegalArgumentException, naming the flag, for a negative value. */
  public Duration pollInterval() {
    return ClientProtectionOptions.seconds("--secrets-poll-interval", pollSeconds);
  }
}
