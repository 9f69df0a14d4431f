package dev.gantry.runtime.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The keep-alive HTTP/1.1 connections to one Endpoint's URLs, pooled per event loop: a request and
 * its upstream connection stay on the thread of the client's connection, and the pool needs no locks.
 *
 * <p>Netty's HTTP codec directly rather than Vert.x's HTTP client: the client's connection
 * management, stream objects and futures cost about 3 µs per request on the benchmark machine, a
 * fifth of what nginx spends on a whole proxied request (bench/README.md). The Vert.x server and
 * everything in front of it stay. DNS goes through Vert.x's asynchronous resolver, never blocking a loop.
 */
public final class UpstreamConnections {
  /** Connections to one URL per event loop; more requests wait for one to come free. */
  static final int MAX_PER_LOOP = 256;

  /** A request waited longer than the connect timeout for one of the URL's busy connections to come free. */
  static final class Busy extends RuntimeException {
    Busy(int connections) {
      super("all " + connections + " connections to the upstream are busy", null, false, false);
    }
  }

  private final String endpoint;
  private final ChannelFactory<? extends Channel> channels;
  private final AddressResolverGroup<InetSocketAddress> resolver;
  private final Path caFile;
  private volatile SslContext tls; // replaced when the CA file is rotated; each new connection reads it once
  private final long bodyIdleMillis;
  private final int maxPerLoop;
  private final Map<Thread, Map<String, TargetPool>> byThread = new ConcurrentHashMap<>();
  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * {@code caFile} (PEM) is what HTTPS URLs are verified against; without it, the JDK's trusted
   * roots. A CA file that cannot be read fails here, when the bundle is loaded, naming the Endpoint.
   */
  public UpstreamConnections(Vertx vertx, String endpoint, Path caFile, boolean anyTls, long responseTimeoutMillis) {
    this(vertx, endpoint, caFile, anyTls, responseTimeoutMillis, MAX_PER_LOOP);
  }

  UpstreamConnections(Vertx vertx, String endpoint, Path caFile, boolean anyTls, long responseTimeoutMillis,
                      int maxPerLoop) {
    this.maxPerLoop = maxPerLoop;
    VertxInternal internal = (VertxInternal) vertx;
    this.endpoint = endpoint;
    this.channels = internal.transport().channelFactory(false);
    this.resolver = internal.nameResolver().nettyAddressResolverGroup();
    this.caFile = caFile;
    this.tls = anyTls || caFile != null ? clientTls(endpoint, caFile) : null;
    this.bodyIdleMillis = ResponseDeadline.bodyIdleMillis(responseTimeoutMillis);
  }

  /**
   * Reads the Endpoint's CA file again (a rotated Secret) and returns what makes new connections
   * verify against it, to run once every other changed file has been read too; null without a CA
   * file. Throws IllegalArgumentException, naming the Endpoint and file, when it cannot be used.
   * Pooled connections stay: their upstreams were verified when they connected.
   */
  public Runnable rereadCa() {
    if (caFile == null) {
      return null;
    }
    SslContext next = clientTls(endpoint, caFile);
    return () -> tls = next;
  }

  private static SslContext clientTls(String endpoint, Path caFile) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient();
      if (caFile != null) {
        builder.trustManager(caFile.toFile());
      }
      return builder.build();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Endpoint " + endpoint + ": cannot use CA file " + caFile + ": "
          + e.getMessage(), e);
    }
  }

  /** Someone waiting for a connection to a URL. */
  interface Waiter {
    /** On the event loop; {@code reused}: it carried a request before and may since have been closed by the upstream. */
    void connected(Channel channel, boolean reused);

    void connectFailed(Throwable cause);
  }

  /**
   * Gives {@code waiter} a connection to {@code target} on {@code loop}, the calling thread's own:
   * an idle one, a new one, or the next one to come free when {@value #MAX_PER_LOOP} are busy; a
   * waiter that none came to within the connect timeout fails with {@link Busy}.
   */
  void acquire(EventLoop loop, UpstreamPool.Target target, Waiter waiter) {
    Map<String, TargetPool> pools = byThread.computeIfAbsent(Thread.currentThread(), t -> new HashMap<>());
    TargetPool pool = pools.get(target.poolKey());
    if (pool == null) {
      pool = new TargetPool(loop, target);
      pools.put(target.poolKey(), pool);
    }
    pool.acquire(waiter);
  }

  /**
   * A connection of its own to {@code target} for a tunnel (a WebSocket), outside the pool: it is
   * never reused, and it is closed with the others when the gateway lets go of this Endpoint.
   */
  void connectTunnel(EventLoop loop, UpstreamPool.Target target, Consumer<Channel> handlers, Waiter waiter) {
    open(loop, target, handlers, waiter, channel -> { });
  }

  /**
   * Connects to {@code target} on {@code loop}: TLS first for an https URL (verified against the
   * Endpoint's CA and its name), then the pipeline {@code handlers} build; {@code waiter} hears when
   * it is usable, {@code onClose} when it is gone.
   */
  private void open(EventLoop loop, UpstreamPool.Target target, Consumer<Channel> handlers, Waiter waiter,
                    Consumer<Channel> onClose) {
    ChannelFuture connecting = new Bootstrap().group(loop).channelFactory(channels).resolver(resolver)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, target.connectTimeoutMillis()))
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) {
            if (target.tls()) {
              channel.pipeline().addLast(sslHandler(channel, target));
            }
            handlers.accept(channel);
          }
        }).connect(target.host(), target.port());
    Channel channel = connecting.channel();
    open.add(channel);
    channel.closeFuture().addListener(f -> {
      open.remove(channel);
      onClose.accept(channel);
    });
    connecting.addListener((ChannelFutureListener) connected -> {
      if (!connected.isSuccess()) {
        waiter.connectFailed(connected.cause());
      } else if (target.tls()) {
        channel.pipeline().get(SslHandler.class).handshakeFuture().addListener(handshake -> {
          if (handshake.isSuccess()) {
            waiter.connected(channel, false);
          } else {
            channel.close();
            waiter.connectFailed(handshake.cause());
          }
        });
      } else {
        waiter.connected(channel, false);
      }
    });
  }

  /** Verifies the upstream's certificate and its name, as a browser would (and Vert.x's client did). */
  private SslHandler sslHandler(Channel channel, UpstreamPool.Target target) {
    SslHandler handler = tls.newHandler(channel.alloc(), target.host(), target.port());
    SSLEngine engine = handler.engine();
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    handler.setHandshakeTimeoutMillis(target.connectTimeoutMillis());
    return handler;
  }

  /** Closes every connection; requests still on one fail as an upstream failure. */
  public void close() {
    closed = true;
    open.forEach(Channel::close);
  }

  /** One URL's connections on one event loop. Used on that loop only. */
  final class TargetPool {
    private final EventLoop loop;
    private final UpstreamPool.Target target;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int connections;

    TargetPool(EventLoop loop, UpstreamPool.Target target) {
      this.loop = loop;
      this.target = target;
    }

    void acquire(Waiter waiter) {
      Channel channel;
      while ((channel = idle.pollLast()) != null) { // the most recently used: its buffers are warm
        if (channel.isActive()) {
          waiter.connected(channel, true);
          return;
        }
      }
      if (connections < maxPerLoop) {
        connect(waiter);
      } else {
        waiting.add(waiter);
        loop.schedule(() -> {
          if (waiting.remove(waiter)) {
            waiter.connectFailed(new Busy(connections));
          }
        }, target.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
      }
    }

    /** A connection whose exchange ended cleanly: to the next waiter, else idle. */
    void release(Channel channel) {
      if (closed || !channel.isActive()) {
        channel.close();
        return;
      }
      Waiter next = waiting.poll();
      if (next != null) {
        next.connected(channel, true);
      } else {
        idle.addLast(channel);
      }
    }

    private void connect(Waiter waiter) {
      connections++;
      open(loop, target, channel -> {
        IdleStateHandler idle = new IdleStateHandler(bodyIdleMillis, 0, 0, TimeUnit.MILLISECONDS);
        channel.pipeline().addLast(new HttpClientCodec(16 * 1024, 16 * 1024, 8192), idle,
            new UpstreamHandler(TargetPool.this, idle));
      }, waiter, this::closed);
    }

    private void closed(Channel channel) {
      connections--;
      idle.remove(channel);
      Waiter next = closed ? null : waiting.poll();
      if (next != null) { // a slot came free: the longest waiter gets a new connection
        connect(next);
      }
    }
  }
}
