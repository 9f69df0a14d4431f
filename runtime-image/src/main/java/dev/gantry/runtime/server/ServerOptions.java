package dev.gantry.runtime.server;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a gateway process listens, protects itself and stops: the flags {@code gantry run} and
 * {@code gantry run fleet} share (a Picocli mixin), so the two cannot drift apart.
 */
public final class ServerOptions {
  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Traffic port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--management-port", defaultValue = "9090",
      description = "Health and metrics port (default: ${DEFAULT-VALUE}).")
  int managementPort;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate chain.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--instances", description = "Event loops serving traffic (default: CPU count).")
  Integer instances;

  @Option(names = "--access-log", defaultValue = "true", negatable = true, fallbackValue = "true",
      description = "JSON access log on standard output (default: ${DEFAULT-VALUE}).")
  boolean accessLog;

  @Option(names = "--drain-delay", defaultValue = "0", paramLabel = "SECONDS",
      description = "Seconds to keep serving after SIGTERM, reported not-ready and asking clients to reconnect "
          + "elsewhere, before it stops accepting (default: ${DEFAULT-VALUE}; the runtime image passes 5).")
  long drainDelaySeconds;

  @Option(names = "--shutdown-grace", defaultValue = "30", paramLabel = "SECONDS",
      description = "Seconds in-flight requests (and a fleet's replaced bundles) get to finish on SIGTERM "
          + "(default: ${DEFAULT-VALUE}).")
  long shutdownGraceSeconds;

  @Mixin
  SecretsOptions secrets = new SecretsOptions();

  @Mixin
  ClientProtectionOptions clientProtection = new ClientProtectionOptions();

  /** The settings these flags give; throws IllegalArgumentException, naming the flag, for a value it cannot take. */
  public ServerSettings settings() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    port("--port", port);
    port("--management-port", managementPort);
    if (port == managementPort && port != 0) {
      throw new IllegalArgumentException("--port and --management-port are both " + port + ": give them different ports");
    }
    if (instances != null && instances < 1) {
      throw new IllegalArgumentException("--instances must be at least 1, not " + instances);
    }
    return new ServerSettings(host, port, managementPort, tlsCert, tlsKey,
        instances != null ? instances : Runtime.getRuntime().availableProcessors(), accessLog,
        ClientProtectionOptions.seconds("--drain-delay", drainDelaySeconds),
        ClientProtectionOptions.seconds("--shutdown-grace", shutdownGraceSeconds),
        clientProtection.timeouts(), clientProtection.connectionBounds(), secrets.pollInterval());
  }

  /** Where Secrets are mounted. */
  public Path secretsDir() {
    return secrets.dir();
  }

  public boolean tls() {
    return tlsCert != null;
  }

  private static void port(String flag, int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(flag + " must be a port from 1 to 65535 (0: any free one), not " + value);
    }
  }
}
