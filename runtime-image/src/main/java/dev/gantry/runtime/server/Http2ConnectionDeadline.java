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
import io.netty.handler.codec.http2.Http2RemoteFlowController;
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
 *       sent: a body held back by the gateway (its upstream reads slowly) is not the client's delay;</li>
 *   <li>response: a stream whose response has waited on the client's flow control for the body
 *       timeout with no WINDOW_UPDATE that would let it go on (its own, or the connection's while
 *       its own window is open) is reset too, as an HTTP/1.x connection is cut; the upstream
 *       connection it held is dropped. A client that reads slowly grants window as it reads, so it
 *       is not cut; one that stops reading its socket sends nothing, so it is.</li>
 * </ul>
 * Netty tells it when streams open and close and when DATA and WINDOW_UPDATE frames arrive (a
 * decorator on the decoder's frame listener); {@link SlowClientSweeper} checks the deadlines. On
 * the connection's event loop only.
 */
final class Http2ConnectionDeadline extends Http2ConnectionAdapter {
  /** One stream's clocks, as a stream property. */
  private static final class StreamClock {
    long bodyDeadline = SlowClientSweeper.NONE; // while its request body is coming; moved on by every DATA frame
    long waitingSince = SlowClientSweeper.NONE; // since when its response has waited on the client without a grant
    boolean granted;                            // a WINDOW_UPDATE for it came since the last sweep
    long connectionGrants;                      // the connection's WINDOW_UPDATE count at the last sweep
  }

  private final SlowClientSweeper sweeper;
  private final HttpConnection connection;
  private final Http2Connection streams;
  private final Http2ConnectionHandler http2;
  private final ChannelHandlerContext http2Context;
  private final Http2LocalFlowController inbound;
  private final Http2RemoteFlowController outbound;
  private final Http2Connection.PropertyKey clockKey;
  private long keepAliveDeadline;
  private long connectionGrants; // WINDOW_UPDATE frames for the whole connection

  Http2ConnectionDeadline(SlowClientSweeper sweeper, HttpConnection connection, Http2ConnectionHandler http2,
                          ChannelHandlerContext http2Context) {
    this.sweeper = sweeper;
    this.connection = connection;
    this.http2 = http2;
    this.http2Context = http2Context;
    this.streams = http2.connection();
    this.inbound = streams.local().flowController();
    this.outbound = streams.remote().flowController();
    this.clockKey = streams.newKey();
    this.keepAliveDeadline = streams.numActiveStreams() == 0 ? sweeper.deadline(sweeper.keepAliveNanos())
        : SlowClientSweeper.NONE;
    streams.addListener(this);
    if (sweeper.bodyNanos() != 0) {
      activeStreams().forEach(this::time); // streams that opened before the gateway saw the connection
      http2.decoder().frameListener(new Http2FrameListenerDecorator(http2.decoder().frameListener()) {
        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
            throws Http2Exception {
          bodyCame(streamId);
          return super.onDataRead(ctx, streamId, data, padding, endOfStream);
        }

        @Override
        public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement)
            throws Http2Exception {
          granted(streamId);
          super.onWindowUpdateRead(ctx, streamId, windowSizeIncrement);
        }
      });
    }
  }

  @Override
  public void onStreamActive(Http2Stream stream) {
    keepAliveDeadline = SlowClientSweeper.NONE;
    if (sweeper.bodyNanos() != 0) {
      time(stream);
    }
  }

  @Override
  public void onStreamClosed(Http2Stream stream) {
    if (streams.numActiveStreams() == 0) {
      keepAliveDeadline = sweeper.deadline(sweeper.keepAliveNanos());
    }
  }

  /** A stream gets its clock; one whose body is to come (its HEADERS did not end it) owes it from now. */
  private void time(Http2Stream stream) {
    if (stream.getProperty(clockKey) == null) {
      StreamClock clock = new StreamClock();
      if (stream.state().remoteSideOpen()) {
        clock.bodyDeadline = sweeper.deadline(sweeper.bodyNanos());
      }
      stream.setProperty(clockKey, clock);
    }
  }

  private void bodyCame(int streamId) {
    Http2Stream stream = streams.stream(streamId);
    StreamClock clock = stream == null ? null : stream.getProperty(clockKey);
    if (clock != null) {
      clock.bodyDeadline = sweeper.deadline(sweeper.bodyNanos());
    }
  }

  private void granted(int streamId) {
    if (streamId == 0) {
      connectionGrants++;
      return;
    }
    Http2Stream stream = streams.stream(streamId);
    StreamClock clock = stream == null ? null : stream.getProperty(clockKey);
    if (clock != null) {
      clock.granted = true;
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
    List<Http2Stream> overdue = null;
    ClientTimeout why = null;
    for (Http2Stream stream : activeStreams()) {
      StreamClock clock = stream.getProperty(clockKey);
      if (clock == null) {
        continue;
      }
      ClientTimeout late = bodyLate(stream, clock, now);
      if (late == null) {
        late = responseLate(stream, clock, now);
      }
      if (late != null) {
        (overdue == null ? overdue = new ArrayList<>() : overdue).add(stream);
        sweeper.timedOut(late);
        if (late == ClientTimeout.BODY) { // logged and counted as the HTTP/1.x body timeout's 408
          dev.gantry.runtime.pipeline.DeadlineAnswer.recordStream(http2Context.channel(), stream.id(), 408);
        }
      }
    }
    if (overdue != null) { // reset after the walk: a reset closes the stream and changes the active set
      for (Http2Stream stream : overdue) {
        http2.resetStream(http2Context, stream.id(), Http2Error.CANCEL.code(), http2Context.newPromise());
      }
      http2Context.flush();
    }
  }

  private ClientTimeout bodyLate(Http2Stream stream, StreamClock clock, long now) {
    if (clock.bodyDeadline == SlowClientSweeper.NONE || !stream.state().remoteSideOpen()) {
      return null;
    }
    if (inbound.unconsumedBytes(stream) > 0) { // the gateway holds what came: the client may be waiting on us
      clock.bodyDeadline = sweeper.deadline(sweeper.bodyNanos());
      return null;
    }
    return now - clock.bodyDeadline >= 0 ? ClientTimeout.BODY : null;
  }

  private ClientTimeout responseLate(Http2Stream stream, StreamClock clock, long now) {
    // A grant moves it on: its own, or the connection's when only the connection's window held it.
    boolean movedOn = clock.granted || connectionGrants != clock.connectionGrants && outbound.windowSize(stream) > 0;
    clock.granted = false;
    clock.connectionGrants = connectionGrants;
    if (!outbound.hasFlowControlled(stream)) { // nothing of its response is held back: not waiting on the client
      clock.waitingSince = SlowClientSweeper.NONE;
      return null;
    }
    if (clock.waitingSince == SlowClientSweeper.NONE || movedOn) {
      clock.waitingSince = now;
      return null;
    }
    return now - clock.waitingSince >= sweeper.bodyNanos() ? ClientTimeout.RESPONSE : null;
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
