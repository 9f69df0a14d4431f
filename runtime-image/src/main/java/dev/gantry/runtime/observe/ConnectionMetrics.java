package dev.gantry.runtime.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Meters of the traffic port's connections rather than of an API (a client that times out may
 * never have been routed): client timeouts by what the client owed. Its own registry, whose
 * scrape follows the APIs' on {@code /metrics}.
 */
public final class ConnectionMetrics {
  /** What a timed-out client owed: the Prometheus {@code phase} label. */
  public enum ClientTimeout {
    /**
     * A request head. Over plain text a connection's first head is ended by Vert.x's idle timeout
     * before the gateway sees the connection, so it is not counted; over TLS it is.
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

  public String scrape() {
    return registry.scrape();
  }
}
