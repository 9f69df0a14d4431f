package dev.gantry.runtime.server;

import dev.gantry.runtime.observe.ConnectionMetrics;
import dev.gantry.runtime.observe.ConnectionMetrics.ClientTimeout;
import dev.gantry.runtime.vertx.ConnectionChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.http.HttpConnection;
import java.util.HashSet;
import java.util.Set;

/**
 * One traffic server's client connections on one event loop, and their deadlines
 * ({@link ConnectionDeadline} for HTTP/1.x, {@link Http2ConnectionDeadline} for HTTP/2), checked every
 * {@link #SWEEP_MILLIS}: one timer per event loop instead of one per request (bench/README.md measured what a timer per request costs). The
 * clock is read once per sweep, so a timeout ends at most one sweep late, never early.
 * Not thread-safe: used on its event loop only.
 */
final class SlowClientSweeper {
  static final long SWEEP_MILLIS = 250;
  /** A deadline that never comes: that timeout is off. */
  static final long NONE = Long.MIN_VALUE;
  private static final long SWEEP_NANOS = SWEEP_MILLIS * 1_000_000;
  /** Vert.x's names for its idle-timeout handler and for the handler that reads the first request on an h2c-capable port. */
  /** Vert.x's idle handler, set to the head timeout until the sweeper takes a connection over. */
  static final String VERTX_IDLE = "idle";
  private static final String VERTX_H2C_UPGRADE = "h2c";

  private final long requestHeaderNanos;
  private final long bodyNanos;
  private final long keepAliveNanos;
  private final Set<ConnectionDeadline> connections = new HashSet<>();
  private final Set<Http2ConnectionDeadline> http2Connections = new HashSet<>();
  private final ConnectionMetrics metrics;
  private long now = System.nanoTime();

  SlowClientSweeper(ClientTimeouts timeouts, ConnectionMetrics metrics) {
    this.metrics = metrics;
    this.requestHeaderNanos = timeouts.requestHeader().toNanos();
    this.bodyNanos = timeouts.body().toNanos();
    this.keepAliveNanos = timeouts.keepAlive().toNanos();
  }

  /**
   * Takes over timing a connection from Vert.x's idle timeout, which {@link TrafficVerticle} sets to
   * the request-head timeout so that it covers a connection until Vert.x knows its protocol. On
   * plain text, with h2c allowed, Vert.x knows only once the first request head is decoded (it
   * calls this from inside that read, and the head has gone past where our handler goes); over
   * TLS, at once. An HTTP/2 connection (ALPN, prior knowledge or an h2c upgrade) gets the keep-alive
   * and body timeouts ({@link Http2ConnectionDeadline}), once its client's SETTINGS are read; its
   * request heads are whole frames, timed by the keep-alive timeout while no stream is open.
   */
  void watch(HttpConnection connection) {
    Channel channel = ConnectionChannel.of(connection);
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(VERTX_IDLE) != null) {
      pipeline.remove(VERTX_IDLE); // a whole-connection idle timeout would also end a request waiting on a slow upstream
    }
    if (pipeline.get(EarlyTimeouts.TAP) != null) {
      pipeline.remove(EarlyTimeouts.TAP); // its timeouts are this sweeper's to count from now on
    }
    if (!channel.eventLoop().inEventLoop()) { // the sweeper's state is single-threaded
      throw new IllegalStateException("connection handler off its event loop");
    }
    if (pipeline.get("httpDecoder") == null || pipeline.get("httpEncoder") == null) {
      Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
      if (http2 != null && (keepAliveNanos != 0 || bodyNanos != 0)) {
        Http2ConnectionDeadline deadline = new Http2ConnectionDeadline(this, connection, http2, pipeline.context(http2));
        http2Connections.add(deadline);
        channel.closeFuture().addListener(closed -> http2Connections.remove(deadline));
      }
      return;
    }
    boolean headDecoded = pipeline.get(VERTX_H2C_UPGRADE) != null;
    ConnectionDeadline deadline = new ConnectionDeadline(this, headDecoded);
    pipeline.addBefore("httpDecoder", "gantryClientBytes", deadline.bytes());
    pipeline.addAfter("httpEncoder", "gantryClientDeadline", deadline);
    connections.add(deadline);
    channel.closeFuture().addListener(closed -> connections.remove(deadline));
  }

  /** Counts a connection ended for a slow or idle client. */
  void timedOut(ClientTimeout phase) {
    metrics.clientTimedOut(phase);
  }

  /** Ends the connections whose client is overdue. A closed one leaves its set when the close completes. */
  void sweep() {
    now = System.nanoTime();
    for (ConnectionDeadline connection : connections.toArray(new ConnectionDeadline[0])) {
      connection.check(now);
    }
    for (Http2ConnectionDeadline connection : http2Connections.toArray(new Http2ConnectionDeadline[0])) {
      connection.check(now);
    }
  }

  /** A deadline {@code nanos} from the last sweep, one sweep further so it is never early; NONE when off. */
  long deadline(long nanos) {
    return nanos == 0 ? NONE : now + nanos + SWEEP_NANOS;
  }

  long requestHeaderNanos() {
    return requestHeaderNanos;
  }

  long bodyNanos() {
    return bodyNanos;
  }

  long keepAliveNanos() {
    return keepAliveNanos;
  }
}
