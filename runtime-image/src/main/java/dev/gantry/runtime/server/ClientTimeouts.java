package dev.gantry.runtime.server;

import java.time.Duration;

/**
 * How long the gateway waits on a slow or silent client before it closes the connection (HTTP/1.x)
 * or resets the stream (HTTP/2), so that a few thousand sockets dribbling bytes (slowloris) cannot
 * hold the gateway's connections.
 * {@code requestHeader}: a request's head, from its first byte (a new connection's first request
 * from the connect); {@code body}: the next piece of a request body, or the client taking the next
 * piece of a response; {@code keepAlive}: an idle connection between requests. Zero turns one off.
 * The upstream's own wait is the Endpoint's response timeout, not one of these.
 */
public record ClientTimeouts(Duration requestHeader, Duration body, Duration keepAlive) {
  /** nginx's keep-alive default (75 s, above the 60 s idle timeout of common load balancers) and body timeout. */
  public static final ClientTimeouts DEFAULT = new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
      Duration.ofSeconds(75));

  public ClientTimeouts {
    for (Duration timeout : new Duration[] {requestHeader, body, keepAlive}) {
      if (timeout == null || timeout.isNegative()) {
        throw new IllegalArgumentException("a client timeout is zero (off) or positive, not " + timeout);
      }
    }
  }

  /** The request-head timeout in milliseconds, as Vert.x's int-valued timeouts take it (0: off). */
  int requestHeaderMillis() {
    return (int) Math.min(Integer.MAX_VALUE, requestHeader.toMillis());
  }

  boolean anyOn() {
    return !requestHeader.isZero() || !body.isZero() || !keepAlive.isZero();
  }
}
