package dev.gantry.runtime.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Meters of client connections rather than of an API (a client that times out may never have
 * been routed): client timeouts by what the client owed, and open connections against their
 * bound, per port (traffic and management). Its own registry, whose scrape follows the APIs' on
 * {@code /metrics}.
 */
public final class ConnectionMetrics {
  /** What a timed-out client owed: the Prometheus {@code phase} label. */
  public enum ClientTimeout {
    /**
     * A request head, or a TLS handshake: the first head of a connection too, which Vert.x's idle
     * timeout or its handshake timeout ends before the gateway times the connection itself.
     */
    REQUEST_HEADER,
    /** The next piece of a request body (a 408, or a close once the response has begun). */
    BODY,
    /** Taking the response: the client stopped reading. */
    RESPONSE,
    /** A next request on an idle keep-alive connection, HTTP/1.x or HTTP/2: a normal end, counted to size the timeout. */
    KEEP_ALIVE
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter[] clientTimeouts = new Counter[ClientTimeout.values().length];

  public ConnectionMetrics() {
    for (ClientTimeout phase : ClientTimeout.values()) {
      clientTimeouts[phase.ordinal()] = Counter.builder("gantry.client.timeouts")
          .description("Client connections the gateway ended because the client was too slow or idle, by what it owed")
          .tags("phase", phase.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }
  }

  public void clientTimedOut(ClientTimeout phase) {
    clientTimeouts[phase.ordinal()].increment();
  }

  /**
   * A port's open client connections ({@code open}), its bound ({@code max}, 0 = none), how often
   * it reached the bound and stopped accepting ({@code reached}), and, when it bounds each client
   * address ({@code perClient} > 0), the connections closed as they came for being over it
   * ({@code refusedPerClient}); {@code port} is {@code traffic} or {@code management}.
   */
  public void connections(String port, java.util.function.IntSupplier open, int max,
                          java.util.concurrent.atomic.LongAdder reached, int perClient,
                          java.util.concurrent.atomic.LongAdder refusedPerClient) {
    // Micrometer would keep the first gauge and log a warning at every start: a second call is a bug.
    if (registry.find("gantry.client.connections").tag("port", port).gauge() != null) {
      throw new IllegalStateException("the " + port + " port's connection meters are registered already");
    }
    Gauge.builder("gantry.client.connections", open::getAsInt).description("Open client connections")
        .tags("port", port).register(registry);
    Gauge.builder("gantry.client.connections.max", () -> max)
        .description("Client connections a port keeps open at once; more wait in the kernel's backlog")
        .tags("port", port).register(registry);
    // Micrometer holds the counted object weakly: the adder, which the port's limit keeps, not a lambda over it.
    FunctionCounter.builder("gantry.connection.limit.reached", reached, java.util.concurrent.atomic.LongAdder::sum)
        .description("Times a port reached its connection bound and stopped accepting until one closed")
        .tags("port", port).register(registry);
    if (perClient > 0) {
      Gauge.builder("gantry.client.connections.per.client.max", () -> perClient)
          .description("Client connections one client address may keep open on a port; more are closed as they come")
          .tags("port", port).register(registry);
      FunctionCounter.builder("gantry.client.connections.refused", refusedPerClient,
              java.util.concurrent.atomic.LongAdder::sum)
          .description("Client connections closed as they came, by why").tags("port", port, "reason", "per_client")
          .register(registry);
    }
  }

  public String scrape() {
    return registry.scrape();
  }
}
