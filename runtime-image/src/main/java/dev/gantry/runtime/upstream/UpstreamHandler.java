package dev.gantry.runtime.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands what the codec decodes to the exchange the
 * connection currently carries. An idle pooled connection that hears nothing for the read idle
 * timeout, or that the upstream closes, leaves the pool.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
  final UpstreamConnections.TargetPool pool;
  private final IdleStateHandler idle;
  Exchange exchange;

  UpstreamHandler(UpstreamConnections.TargetPool pool, IdleStateHandler idle) {
    this.pool = pool;
    this.idle = idle;
  }

  /**
   * The connection starts carrying {@code next}. The read idle clock starts again: it ran from the
   * last read while the connection sat in the pool, and would otherwise cut a request that goes out
   * shortly before it runs out as a stalled body, long before the response timeout.
   */
  void carry(Exchange next) {
    exchange = next;
    idle.resetReadTimeout();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Exchange current = exchange;
    if (current == null || !(msg instanceof HttpObject object)) {
      ReferenceCountUtil.release(msg); // an answer nobody asked for: the connection is not reused
      ctx.close();
      return;
    }
    current.upstreamRead(object);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Exchange current = exchange;
    if (current != null && ctx.channel().isWritable()) {
      current.upstreamWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      Exchange current = exchange;
      if (current != null) {
        current.upstreamStalled();
      }
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    failExchange(new UpstreamClosed());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failExchange(cause);
    ctx.close();
  }

  private void failExchange(Throwable cause) {
    Exchange current = exchange;
    exchange = null;
    if (current != null) {
      current.upstreamFailed(cause);
    }
  }

  /** The upstream closed the connection before the exchange on it was over. */
  static final class UpstreamClosed extends RuntimeException {
    UpstreamClosed() {
      super("the upstream closed the connection", null, false, false);
    }
  }
}
