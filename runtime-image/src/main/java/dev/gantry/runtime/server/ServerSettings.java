package dev.gantry.runtime.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the gateway process listens and stops. {@code drainDelay}: how long it reports not-ready
 * before it stops accepting (so load balancers stop sending); {@code shutdownGrace}: how long
 * in-flight requests get to finish; {@code clientTimeouts}: how long it waits on slow clients;
 * {@code secretsPollInterval}: how often mounted security and TLS files are checked for rotation
 * (zero: never). TLS files are null for plain HTTP.
 */
public record ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                             boolean accessLog, Duration drainDelay, Duration shutdownGrace,
                             ClientTimeouts clientTimeouts, int maxConnections, Duration secretsPollInterval) {
  /** Kubelet takes up to about a minute to update a mounted Secret; a check every 10 s adds little to that. */
  public static final Duration DEFAULT_SECRETS_POLL_INTERVAL = Duration.ofSeconds(10);

  /**
   * Client connections the traffic port keeps open at once (more wait in the kernel's backlog):
   * at ~8 KB of heap each while a head is half-sent, 4096 take ~32 MB of the 128 MB heap.
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;

  /** {@code maxConnections}: 0 = no bound. */
  public ServerSettings {
    if (maxConnections < 0) {
      throw new IllegalArgumentException("a connection bound is 0 (none) or positive, not " + maxConnections);
    }
  }

  /** With the default check for rotated Secrets. */
  public ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                        boolean accessLog, Duration drainDelay, Duration shutdownGrace, ClientTimeouts clientTimeouts,
                        int maxConnections) {
    this(host, port, managementPort, tlsCert, tlsKey, instances, accessLog, drainDelay, shutdownGrace,
        clientTimeouts, maxConnections, DEFAULT_SECRETS_POLL_INTERVAL);
  }

  /** With the default connection bound. */
  public ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                        boolean accessLog, Duration drainDelay, Duration shutdownGrace, ClientTimeouts clientTimeouts) {
    this(host, port, managementPort, tlsCert, tlsKey, instances, accessLog, drainDelay, shutdownGrace,
        clientTimeouts, DEFAULT_MAX_CONNECTIONS);
  }

  /** With the default client timeouts and connection bound. */
  public ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                        boolean accessLog, Duration drainDelay, Duration shutdownGrace) {
    this(host, port, managementPort, tlsCert, tlsKey, instances, accessLog, drainDelay, shutdownGrace,
        ClientTimeouts.DEFAULT);
  }
}
