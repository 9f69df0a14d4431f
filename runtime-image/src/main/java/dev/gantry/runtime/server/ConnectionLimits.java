package dev.gantry.runtime.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * counting happens on its server channel's event loop (the acceptor), so it needs no locks. A
 * connection is counted out when it closes, or, if Netty's acceptor closed it before an event loop
 * took it, by a sweep every {@value #SWEEP_SECONDS} s ({@link Limit#sweepUnregistered}).
 */
final class ConnectionLimits {
  /** How often a port looks for admitted connections that were closed before they were registered. */
  static final long SWEEP_SECONDS = 1;

  /** One admitted connection, counted until it is released (once). On the acceptor only. */
  static final class Admitted {
    final Channel channel;
    final InetAddress client; // null: not counted by address
    private boolean released;

    Admitted(Channel channel, InetAddress client) {
      this.channel = channel;
      this.client = client;
    }
  }

  /** One port's bounds and its open connections; the gauges read it from other threads. */
  static final class Limit {
    final int max;         // 0: no bound on the port's total
    final int perClient;   // 0: no bound per client address
    private volatile int open;
    final LongAdder reached = new LongAdder();
    final LongAdder refusedPerClient = new LongAdder();
    /** Open connections by client address, while it has some; on the acceptor only. */
    private final Map<InetAddress, Integer> byClient = new HashMap<>();
    /** Admitted connections not yet seen registered with their event loop; on the acceptor only. */
    private final List<Admitted> registering = new ArrayList<>();

    Limit(int max, int perClient) {
      this.max = max;
      this.perClient = perClient;
    }

    int open() {
      return open;
    }

    boolean atBound() {
      return max > 0 && open >= max;
    }

    /**
     * Counts {@code child} in, or returns null when it is over a bound (the caller closes it): the
     * port's, reached within one accept batch, or its client address's. On the acceptor.
     */
    Admitted admit(Channel child) {
      if (atBound()) {
        return null;
      }
      InetAddress client = perClient > 0 && child.remoteAddress() instanceof InetSocketAddress from
          ? from.getAddress() : null;
      if (client != null && byClient.getOrDefault(client, 0) >= perClient) {
        refusedPerClient.increment();
        return null;
      }
      open++;
      if (client != null) {
        byClient.merge(client, 1, Integer::sum);
      }
      Admitted admitted = new Admitted(child, client);
      registering.add(admitted);
      return admitted;
    }

    /** Counts a connection out, once however often it is called. On the acceptor. */
    void release(Admitted admitted) {
      if (admitted.released) {
        return;
      }
      admitted.released = true;
      open--;
      if (admitted.client != null) {
        byClient.computeIfPresent(admitted.client, (address, count) -> count > 1 ? count - 1 : null);
      }
    }

    /**
     * Releases the admitted connections closed before an event loop registered them: Netty's
     * acceptor closes a connection it fails to register (or set up) without completing its close
     * future, so no close listener hears of it, and its slot would be lost for good (at the bound,
     * for the whole port). The others are forgotten once registered. On the acceptor.
     */
    void sweepUnregistered() {
      registering.removeIf(admitted -> {
        if (admitted.channel.isRegistered() || admitted.released) {
          return true;
        }
        if (!admitted.channel.isOpen()) {
          release(admitted);
          return true;
        }
        return false;
      });
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
    private ScheduledFuture<?> sweep; // the port's sweep for connections closed unregistered

    private Limit limit(ChannelHandlerContext ctx) {
      return ctx.channel().localAddress() instanceof InetSocketAddress bound ? byPort.get(bound.getPort()) : null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (sweep != null) {
        sweep.cancel(false);
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Limit limit = limit(ctx);
      if (limit == null || !(msg instanceof Channel child)) {
        ctx.fireChannelRead(msg);
        return;
      }
      if (sweep == null) { // from the first connection: a random port (tests) is bounded once it is known
        sweep = ctx.executor().scheduleAtFixedRate(() -> {
          limit.sweepUnregistered();
          resumeUnderBound(ctx, limit);
        }, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
      }
      Admitted admitted = limit.admit(child);
      if (admitted == null) {
        child.unsafe().closeForcibly(); // not registered yet: closed as Netty's own acceptor closes one it cannot take
        return;
      }
      // Counted down on the acceptor, so that a close and a pause are never decided on two threads at once.
      child.closeFuture().addListener(closed -> {
        if (!ctx.executor().isShuttingDown()) { // shutting down, the port is going and its count with it
          ctx.executor().execute(() -> {
            limit.release(admitted);
            resumeUnderBound(ctx, limit);
          });
        }
      });
      ctx.fireChannelRead(child);
      if (limit.atBound() && ctx.channel().config().isAutoRead()) {
        limit.reached.increment();
        ctx.channel().config().setAutoRead(false);
      }
    }

    private void resumeUnderBound(ChannelHandlerContext ctx, Limit limit) {
      if (!limit.atBound() && !ctx.channel().config().isAutoRead() && ctx.channel().isActive()) {
        ctx.channel().config().setAutoRead(true);
      }
    }
  }
}
