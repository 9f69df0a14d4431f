package dev.gantry.runtime.server;

import dev.gantry.runtime.observe.ConnectionMetrics.ClientTimeout;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * The client deadlines of one HTTP/2 connection, as nginx keeps them:
 * <ul>
 *   <li>keep-alive: closed (GOAWAY) once it has had no open stream for that long. A stream waiting
 *       on a slow upstream is open, so it is not the client's delay;</li>
 *   <li>body: a stream whose request body stops coming for the body timeout is reset (CANCEL),
 *       which drops its upstream request. Timed only while the gateway has taken every byte it was
 *       sent: a body held back by the gateway (its upstream reads slowly) is not the client's delay.</li>
 * </ul>
 * Netty tells it when streams open and close and when DATA arrives (a decorator on the decoder's
 * frame listener); {@link SlowClientSweeper} checks the deadlines. On the connection's event loop only.
 */
final class Http2ConnectionDeadline extends Http2ConnectionAdapter {
  private final SlowClientSweeper sweeper;
  private final HttpConnection connection;
  private final Http2Connection streams;
  private final Http2ConnectionHandler http2;
  private final ChannelHandlerContext http2Context;
  private final Http2LocalFlowController inbound;
  /** Per stream whose body is still coming: when it is overdue (a {@code long[1]}, set on every DATA frame). */
  private final Http2Connection.PropertyKey bodyDeadline;
  private long keepAliveDeadline;

  Http2ConnectionDeadline(SlowClientSweeper sweeper, HttpConnection connection, Http2ConnectionHandler http2,
                          ChannelHandlerContext http2Context) {
    this.sweeper = sweeper;
    this.connection = connection;
    this.http2 = http2;
    this.http2Context = http2Context;
    this.streams = http2.connection();
    this.inbound = streams.local().flowController();
    this.bodyDeadline = streams.newKey();
    this.keepAliveDeadline = streams.numActiveStreams() == 0 ? sweeper.deadline(sweeper.keepAliveNanos())
        : SlowClientSweeper.NONE;
    streams.addListener(this);
    if (sweeper.bodyNanos() != 0) {
      activeStreams().forEach(this::timeBody); // streams that opened before the gateway saw the connection
      http2.decoder().frameListener(new Http2FrameListenerDecorator(http2.decoder().frameListener()) {
        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
            throws Http2Exception {
          bodyCame(streamId);
          return super.onDataRead(ctx, streamId, data, padding, endOfStream);
        }
      });
    }
  }

  @Override
  public void onStreamActive(Http2Stream stream) {
    keepAliveDeadline = SlowClientSweeper.NONE;
    if (sweeper.bodyNanos() != 0) {
      timeBody(stream);
    }
  }

  @Override
  public void onStreamClosed(Http2Stream stream) {
    if (streams.numActiveStreams() == 0) {
      keepAliveDeadline = sweeper.deadline(sweeper.keepAliveNanos());
    }
  }

  /** A request whose body is to come (its HEADERS did not end the stream) gets the body timeout from now. */
  private void timeBody(Http2Stream stream) {
    if (stream.state().remoteSideOpen() && stream.getProperty(bodyDeadline) == null) {
      stream.setProperty(bodyDeadline, new long[] {sweeper.deadline(sweeper.bodyNanos())});
    }
  }

  private void bodyCame(int streamId) {
    Http2Stream stream = streams.stream(streamId);
    long[] deadline = stream == null ? null : stream.getProperty(bodyDeadline);
    if (deadline != null) {
      deadline[0] = sweeper.deadline(sweeper.bodyNanos());
    }
  }

  /** Called by the sweeper with its clock. */
  void check(long now) {
    if (keepAliveDeadline != SlowClientSweeper.NONE && now - keepAliveDeadline >= 0) {
      keepAliveDeadline = SlowClientSweeper.NONE; // once: close() sends GOAWAY, then the connection ends
      sweeper.timedOut(ClientTimeout.KEEP_ALIVE);
      connection.close();
      return;
    }
    if (sweeper.bodyNanos() == 0 || streams.numActiveStreams() == 0) {
      return;
    }
    List<Http2Stream> stalled = null;
    for (Http2Stream stream : activeStreams()) {
      long[] deadline = stream.getProperty(bodyDeadline);
      if (deadline == null || !stream.state().remoteSideOpen()) {
        continue;
      }
      if (inbound.unconsumedBytes(stream) > 0) { // the gateway holds what came: the client may be waiting on us
        deadline[0] = sweeper.deadline(sweeper.bodyNanos());
      } else if (now - deadline[0] >= 0) {
        (stalled == null ? stalled = new ArrayList<>() : stalled).add(stream);
      }
    }
    if (stalled != null) { // reset after the walk: a reset closes the stream and changes the active set
      for (Http2Stream stream : stalled) {
        sweeper.timedOut(ClientTimeout.BODY);
        http2.resetStream(http2Context, stream.id(), Http2Error.CANCEL.code(), http2Context.newPromise());
      }
      http2Context.flush();
    }
  }

  private List<Http2Stream> activeStreams() {
    List<Http2Stream> active = new ArrayList<>(streams.numActiveStreams());
    try {
      streams.forEachActiveStream(active::add);
    } catch (Http2Exception cannot) { // only a visitor throws it, and this one does not
      throw new IllegalStateException(cannot);
    }
    return active;
  }
}
