package dev.gantry.runtime.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the gateway process listens and stops. {@code drainDelay}: how long it reports not-ready
 * before it stops accepting (so load balancers stop sending); {@code shutdownGrace}: how long
 * in-flight requests get to finish; {@code clientTimeouts}: how long it waits on slow clients;
 * {@code connections}: how many client connections the traffic port keeps open;
 * {@code secretsPollInterval}: how often mounted security and TLS files are checked for rotation
 * (zero: never). TLS files are null for plain HTTP.
 */
public record ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                             boolean accessLog, Duration drainDelay, Duration shutdownGrace,
                             ClientTimeouts clientTimeouts, ConnectionBounds connections, Duration secretsPollInterval) {
  /** Kubelet takes up to about a minute to update a mounted Secret; a check every 10 s adds little to that. */
  public static final Duration DEFAULT_SECRETS_POLL_INTERVAL = Duration.ofSeconds(10);

  /** Client connections the traffic port keeps open at once, by default (see {@link ConnectionBounds#DEFAULT}). */
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;

  /** With the default check for rotated Secrets. */
  public ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                        boolean accessLog, Duration drainDelay, Duration shutdownGrace, ClientTimeouts clientTimeouts,
                        ConnectionBounds connections) {
    this(host, port, managementPort, tlsCert, tlsKey, instances, accessLog, drainDelay, shutdownGrace,
        clientTimeouts, connections, DEFAULT_SECRETS_POLL_INTERVAL);
  }

  /** With the default connection bound. */
  public ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                        boolean accessLog, Duration drainDelay, Duration shutdownGrace, ClientTimeouts clientTimeouts) {
    this(host, port, managementPort, tlsCert, tlsKey, instances, accessLog, drainDelay, shutdownGrace,
        clientTimeouts, ConnectionBounds.DEFAULT);
  }

  /** With the default client timeouts and connection bound. */
  public ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                        boolean accessLog, Duration drainDelay, Duration shutdownGrace) {
    this(host, port, managementPort, tlsCert, tlsKey, instances, accessLog, drainDelay, shutdownGrace,
        ClientTimeouts.DEFAULT);
  }
}
