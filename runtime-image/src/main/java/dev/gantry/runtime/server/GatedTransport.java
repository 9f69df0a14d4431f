package dev.gantry.runtime.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's own transport (native epoll where it can, else NIO), with a {@link ConnectionLimits}
 * gate and an {@link EarlyTimeouts} tap in every server channel's pipeline: the one place that sees
 * each accepted connection before Vert.x knows its protocol (with h2c on, Vert.x's connection
 * handler only runs once the first request head is in, too late to bound half-sent heads or to
 * count the clients that never finish one). Everything else is the delegate's.
 */
final class GatedTransport implements Transport {
  private final Transport delegate;
  private final Spi spi;

  GatedTransport(Transport delegate, ConnectionLimits limits, EarlyTimeouts earlyTimeouts) {
    this.delegate = delegate;
    this.spi = new Spi(delegate.implementation(), limits, earlyTimeouts);
  }

  /** Native epoll unless {@code nio} or unavailable (as Vert.x's prefer-native option chooses). */
  static Transport chosen(boolean nio) {
    Transport nativeOne = nio ? null : Transport.nativeTransport();
    return nativeOne != null && nativeOne.available() ? nativeOne : Transport.NIO;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public boolean available() {
    return delegate.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return delegate.unavailabilityCause();
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return spi;
  }

  private record Spi(io.vertx.core.spi.transport.Transport delegate, ConnectionLimits limits,
                     EarlyTimeouts earlyTimeouts)
      implements io.vertx.core.spi.transport.Transport {
    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      ChannelFactory<? extends ServerChannel> channels = delegate.serverChannelFactory(domainSocket);
      return () -> {
        ServerChannel channel = channels.newChannel();
        channel.pipeline().addLast("gantryConnectionLimit", limits.gate()); // ahead of the acceptor Netty adds at bind
        channel.pipeline().addLast("gantryEarlyTimeouts", earlyTimeouts.acceptor()); // the admitted ones
        return channel;
      };
    }

    @Override
    public boolean supportsDomainSockets() {
      return delegate.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return delegate.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return delegate.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public SocketAddress convert(java.net.SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return delegate.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory threadFactory, int ioRatio) {
      return delegate.eventLoopGroup(type, threads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return delegate.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return delegate.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return delegate.channelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      delegate.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      delegate.configure(options, connectTimeout, domainSocket, bootstrap);
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      delegate.configure(options, domainSocket, bootstrap);
    }
  }
}
