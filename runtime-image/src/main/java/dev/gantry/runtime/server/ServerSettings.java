package dev.gantry.runtime.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the gateway process listens and stops. {@code drainDelay}: how long it reports not-ready
 * before it stops accepting (so load balancers stop sending); {@code shutdownGrace}: how long
 * in-flight requests get to finish; {@code clientTimeouts}: how long it waits on slow clients.
 * TLS files are null for plain HTTP.
 */
public record ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                             boolean accessLog, Duration drainDelay, Duration shutdownGrace,
                             ClientTimeouts clientTimeouts) {

  /** With the default client timeouts. */
  public ServerSettings(String host, int port, int managementPort, Path tlsCert, Path tlsKey, int instances,
                        boolean accessLog, Duration drainDelay, Duration shutdownGrace) {
    this(host, port, managementPort, tlsCert, tlsKey, instances, accessLog, drainDelay, shutdownGrace,
        ClientTimeouts.DEFAULT);
  }
}
