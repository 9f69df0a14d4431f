package dev.gantry.runtime.server;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The slow-client and connection-bound flags of {@code gantry run} and {@code gantry run fleet} (a Picocli mixin). */
public final class ClientProtectionOptions {
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

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + ServerSettings.DEFAULT_MAX_CONNECTIONS,
      description = "Client connections the traffic port keeps open at once; more wait in the kernel's backlog "
          + "until one closes (0 = no bound; default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--max-connections-per-client", paramLabel = "N", defaultValue = "0",
      description = "Client connections one client address may keep open on the traffic port; more are closed as "
          + "they come (0 = no bound, the default: behind a load balancer that does not keep client addresses, "
          + "every client has its address).")
  int maxConnectionsPerClient;

  /** Throws IllegalArgumentException, naming the flag, for a negative value. */
  public ConnectionBounds connectionBounds() {
    return new ConnectionBounds(connections("--max-connections", maxConnections),
        connections("--max-connections-per-client", maxConnectionsPerClient));
  }

  /** A flag's connection count; throws IllegalArgumentException, naming the flag, for a negative value. */
  private static int connections(String flag, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(flag + " must be 0 (no bound) or a number of connections, not " + value);
    }
    return value;
  }

  /** Throws IllegalArgumentException, naming the flag, for a negative value. */
  public ClientTimeouts timeouts() {
    return new ClientTimeouts(seconds("--request-header-timeout", requestHeaderSeconds),
        seconds("--client-body-timeout", bodySeconds), seconds("--keep-alive-timeout", keepAliveSeconds));
  }

  /** A flag's seconds as a Duration; throws IllegalArgumentException, naming the flag, for a negative value. */
  static Duration seconds(String flag, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(flag + " must be 0 (off) or a number of seconds, not " + value);
    }
    return Duration.ofSeconds(value);
  }
}
