package dev.gantry.runtime.server;

import dev.gantry.runtime.observe.ConnectionMetrics.ClientTimeout;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.vertx.core.http.HttpConnection;

/**
 * The keep-alive timeout of one HTTP/2 client connection: closed (GOAWAY) once it has had no open
 * stream for that long, as nginx does. A stream waiting on a slow upstream is open, so it is not
 * the client's delay. Netty tells it when streams open and close; {@link SlowClientSweeper}
 * checks the deadline. On the connection's event loop only.
 */
final class Http2KeepAlive extends Http2ConnectionAdapter {
  private final SlowClientSweeper sweeper;
  private final HttpConnection connection;
  private final Http2Connection streams;
  private long deadline;

  Http2KeepAlive(SlowClientSweeper sweeper, HttpConnection connection, Http2Connection streams) {
    this.sweeper = sweeper;
    this.connection = connection;
    this.streams = streams;
    this.deadline = streams.numActiveStreams() == 0 ? sweeper.deadline(sweeper.keepAliveNanos()) : SlowClientSweeper.NONE;
    streams.addListener(this);
  }

  @Override
  public void onStreamActive(Http2Stream stream) {
    deadline = SlowClientSweeper.NONE;
  }

  @Override
  public void onStreamClosed(Http2Stream stream) {
    if (streams.numActiveStreams() == 0) {
      deadline = sweeper.deadline(sweeper.keepAliveNanos());
    }
  }

  /** Called by the sweeper with its clock. */
  void check(long now) {
    if (deadline != SlowClientSweeper.NONE && now - deadline >= 0) {
      deadline = SlowClientSweeper.NONE; // once: close() sends GOAWAY, then the connection ends
      sweeper.timedOut(ClientTimeout.KEEP_ALIVE);
      connection.close();
    }
  }
}
