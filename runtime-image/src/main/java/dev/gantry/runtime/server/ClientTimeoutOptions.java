package dev.gantry.runtime.server;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The client-timeout flags of {@code gantry run} and {@code gantry run fleet} (a Picocli mixin). */
public final class ClientTimeoutOptions {
  @Option(names = "--request-header-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Seconds a client gets to send a whole request head before its connection is closed (0 = off; default: ${DEFAULT-VALUE}).")
  long requestHeaderSeconds;

  @Option(names = "--client-body-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Seconds a request body may stall, or a client may stop taking its response, before the gateway "
          + "gives up on the connection (0 = off; default: ${DEFAULT-VALUE}).")
  long bodySeconds;

  @Option(names = "--keep-alive-timeout", paramLabel = "SECONDS", defaultValue = "75",
      description = "Seconds an idle keep-alive connection stays open (0 = no limit; default: ${DEFAULT-VALUE}).")
  long keepAliveSeconds;

  /** Throws IllegalArgumentException, naming the flag, for a negative value. */
  public ClientTimeouts timeouts() {
    return new ClientTimeouts(seconds("--request-header-timeout", requestHeaderSeconds),
        seconds("--client-body-timeout", bodySeconds), seconds("--keep-alive-timeout", keepAliveSeconds));
  }

  private static Duration seconds(String flag, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(flag + " must be 0 (off) or a number of seconds, not " + value);
    }
    return Duration.ofSeconds(value);
  }
}
