package dev.gantry.runtime.server;

import dev.gantry.runtime.observe.ConnectionMetrics;
import dev.gantry.runtime.observe.ConnectionMetrics.ClientTimeout;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the request-head timeouts that end a connection before {@link SlowClientSweeper} times it:
 * over plain text Vert.x hands the gateway a connection only once its first head is decoded, and
 * until then its idle timeout (set to the head timeout) closes a silent or dribbling client; over
 * TLS the handshake timeout does. Neither tells anyone, so these slow clients went uncounted.
 *
 * <p>A handler in each server channel ({@link GatedTransport}) gives every connection accepted on a
 * counted port a {@link Tap}, which places itself where the closing event passes once Vert.x has
 * set the connection up: behind Vert.x's idle handler, or behind the TLS handler. It counts the
 * event and passes it on; the sweeper removes it when it takes the connection over.
 */
final class EarlyTimeouts {
  /** The tap's name in a connection's pipeline. */
  static final String TAP = "gantryEarlyTimeouts";
  private static final String VERTX_SSL = "ssl";

  private final Map<Integer, Tap> byPort = new ConcurrentHashMap<>();

  /** Counts the early timeouts of connections to {@code port} (a bound port) in {@code metrics}. */
  void count(int port, ConnectionMetrics metrics) {
    byPort.put(port, new Tap(metrics));
  }

  /** A new handler for one server channel's pipeline. */
  ChannelHandler acceptor() {
    return new Acceptor();
  }

  private final class Acceptor extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Channel child && ctx.channel().localAddress() instanceof InetSocketAddress bound) {
        Tap tap = byPort.get(bound.getPort());
        if (tap != null) {
          child.pipeline().addLast(TAP, tap); // ahead of Vert.x's set-up, which the acceptor adds next
        }
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** Counts a connection's first idle event, or its handshake's timing out. One per port; no state of its own. */
  @ChannelHandler.Sharable
  static final class Tap extends ChannelInboundHandlerAdapter {
    private final ConnectionMetrics metrics;

    Tap(ConnectionMetrics metrics) {
      this.metrics = metrics;
    }

    /** Vert.x has set the connection up (on registration, just before): moves to where its timeouts pass. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.fireChannelActive();
      String behind = ctx.pipeline().get(VERTX_SSL) != null ? VERTX_SSL
          : ctx.pipeline().get(SlowClientSweeper.VERTX_IDLE) != null ? SlowClientSweeper.VERTX_IDLE : null;
      ctx.pipeline().remove(this);
      if (behind != null && ctx.channel().isOpen()) {
        ctx.pipeline().addAfter(behind, TAP, this);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      boolean handshakeTimedOut = event instanceof SslHandshakeCompletionEvent done
          && done.cause() instanceof SslHandshakeTimeoutException;
      if (event instanceof IdleStateEvent || handshakeTimedOut) {
        metrics.clientTimedOut(ClientTimeout.REQUEST_HEADER);
        ctx.pipeline().remove(this); // once: the close follows
      } else if (event instanceof SslHandshakeCompletionEvent) {
        ctx.pipeline().remove(this); // shaken hands (the sweeper times it from here) or failed otherwise
      }
      ctx.fireUserEventTriggered(event);
    }
  }
}
