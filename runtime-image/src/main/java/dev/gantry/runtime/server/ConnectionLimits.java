package dev.gantry.runtime.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many client connections each of the gateway's ports keeps open at once. Every half-sent
 * head costs the heap ~8 KB (measured: 15,000 of them, opened by one client in 3 s, filled a
 * 128 MB heap and wedged the gateway in full GCs). At its bound a port stops accepting, as
 * HAProxy's {@code maxconn} does: new connections wait in the kernel's backlog until one closes;
 * beyond the backlog the kernel refuses them. Netty accepts in batches, so a connection accepted
 * past the bound in the same batch is closed at once.
 *
 * <p>A port may also bound the connections of one client address. Pausing the port for one client
 * would stop all the others, so a connection over its client's bound is closed as it is accepted
 * (as nginx's {@code limit_conn} refuses, at the connection rather than with a 503): one client
 * cannot hold every slot of the port's bound with half-sent heads.
 *
 * <p>The gate sits in each server channel's pipeline ({@link GatedTransport}) and finds its port's
 * limit by the port the channel is bound to; a port with no limit is not counted. All of a port's
 * counting happens on its server channel's event loop (the acceptor), so it needs no locks.
 */
final class ConnectionLimits {
  /** One port's bounds and its open connections; the gauges read it from other threads. */
  static final class Limit {
    final int max;         // 0: no bound on the port's total
    final int perClient;   // 0: no bound per client address
    private volatile int open;
    final LongAdder reached = new LongAdder();
    final LongAdder refusedPerClient = new LongAdder();
    /** Open connections by client address, while it has some; on the acceptor only. */
    private final Map<InetAddress, Integer> byClient = new HashMap<>();

    Limit(int max, int perClient) {
      this.max = max;
      this.perClient = perClient;
    }

    int open() {
      return open;
    }
  }

  private final Map<Integer, Limit> byPort = new ConcurrentHashMap<>();

  /**
   * Bounds {@code port} (the one it is bound to, not 0) to {@code bounds}: null when it has none,
   * and is then not counted.
   */
  Limit limit(int port, ConnectionBounds bounds) {
    if (bounds.total() == 0 && bounds.perClient() == 0) {
      return null;
    }
    return byPort.computeIfAbsent(port, p -> new Limit(bounds.total(), bounds.perClient()));
  }

  /** A new gate for one server channel's pipeline. */
  Gate gate() {
    return new Gate();
  }

  /** Counts the connections its server channel accepts, and pauses accepting at the bound. */
  final class Gate extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Limit limit = ctx.channel().localAddress() instanceof InetSocketAddress bound ? byPort.get(bound.getPort()) : null;
      if (limit == null || !(msg instanceof Channel child)) {
        ctx.fireChannelRead(msg);
        return;
      }
      if (limit.max > 0 && limit.open >= limit.max) { // accepted in the batch that reached the bound
        child.unsafe().closeForcibly(); // not registered yet: closed as Netty's own acceptor closes one it cannot take
        return;
      }
      InetAddress client = limit.perClient > 0 && child.remoteAddress() instanceof InetSocketAddress from
          ? from.getAddress() : null;
      if (client != null && limit.byClient.getOrDefault(client, 0) >= limit.perClient) {
        limit.refusedPerClient.increment();
        child.unsafe().closeForcibly();
        return;
      }
      limit.open++;
      if (client != null) {
        limit.byClient.merge(client, 1, Integer::sum);
      }
      // Counted down on the acceptor, so that a close and a pause are never decided on two threads at once.
      child.closeFuture().addListener(closed -> {
        if (!ctx.executor().isShuttingDown()) { // shutting down, the port is going and its count with it
          ctx.executor().execute(() -> closed(ctx, limit, client));
        }
      });
      ctx.fireChannelRead(child);
      if (limit.max > 0 && limit.open >= limit.max && ctx.channel().config().isAutoRead()) {
        limit.reached.increment();
        ctx.channel().config().setAutoRead(false);
      }
    }

    private void closed(ChannelHandlerContext ctx, Limit limit, InetAddress client) {
      limit.open--;
      if (client != null) {
        limit.byClient.computeIfPresent(client, (address, open) -> open > 1 ? open - 1 : null);
      }
      if (limit.open < limit.max && !ctx.channel().config().isAutoRead() && ctx.channel().isActive()) {
        ctx.channel().config().setAutoRead(true);
      }
    }
  }
}
