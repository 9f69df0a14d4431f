package dev.gantry.runtime.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket through the gateway: the upgrade request goes to the upstream on a connection of its
 * own; when the upstream switches protocols, so does the client's connection, and from then on the
 * bytes of both are passed along as they come, each side pausing the other when it cannot keep up.
 * An upstream that refuses the upgrade has its answer passed on. The frames are the two ends'
 * business: the gateway admitted the connection (security, quota) at the upgrade.
 */
final class Tunnel implements UpstreamConnections.Waiter {
  /** The most of a refusal (a non-101 answer to the upgrade) that is passed on. */
  private static final int MAX_REFUSAL_BYTES = 64 * 1024;

  private final Proxy proxy;
  private final HttpServerRequest request;
  private final HttpServerResponse out;
  private final String uri;
  private final String basePath;
  private final HttpHeaders headers;
  private final AddedHeaders extraResponse;
  private final EventLoop loop;
  final Promise<Proxy.Outcome> result = Promise.promise();
  private UpstreamPool.Target target;
  private int index;
  private long start;
  private Channel channel;
  private ScheduledFuture<?> deadline;
  private boolean answered;
  private final Handshake handshake = new Handshake();

  Tunnel(Proxy proxy, HttpServerRequest request, String uri, String basePath, HttpHeaders headers,
         AddedHeaders extraResponse, EventLoop loop) {
    this.proxy = proxy;
    this.request = request;
    this.out = request.response();
    this.uri = uri;
    this.basePath = basePath;
    this.headers = headers;
    this.extraResponse = extraResponse;
    this.loop = loop;
  }

  void attempt() {
    index = proxy.pool.choose();
    target = proxy.pool.target(index);
    start = System.nanoTime();
    proxy.connections.apply(target.upstream()).connectTunnel(loop, target, channel -> channel.pipeline()
        .addLast(new HttpClientCodec(16 * 1024, 16 * 1024, 8192), new HttpObjectAggregator(MAX_REFUSAL_BYTES),
            handshake), this);
  }

  @Override
  public void connectFailed(Throwable cause) {
    proxy.pool.failed(index);
    result.fail(Proxy.failure(cause));
  }

  @Override
  public void connected(Channel connection, boolean reused) {
    if (out.closed()) {
      connection.close();
      result.complete(new Proxy.Outcome(0, target.upstream(), 0));
      return;
    }
    channel = connection;
    // Hop-by-hop, so taken off with the others: the upgrade is asked for again on this hop.
    headers.set(HttpHeaderNames.HOST, target.hostHeader())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    DefaultFullHttpRequest upgrade;
    try {
      upgrade = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, Proxy.upstreamPath(uri, basePath, target),
          Unpooled.EMPTY_BUFFER, headers, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
    } catch (IllegalArgumentException unwritable) { // RequestGuard refuses what Netty cannot write: a backstop, never a hang
      failed(new Proxy.UpstreamFailure(502, "upstream_error", "The request cannot be forwarded upstream", unwritable));
      return;
    }
    connection.writeAndFlush(upgrade);
    deadline = loop.schedule(() -> failed(new TimeoutException("no answer to the upgrade in time")),
        target.responseTimeoutMillis(), TimeUnit.MILLISECONDS);
    out.closeHandler(v -> connection.close());
  }

  /** Before the upgrade, or when it was refused: an error answer, unless one went out already. */
  private void failed(Throwable cause) {
    if (answered) {
      return;
    }
    answered = true;
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (channel != null) {
      channel.close();
    }
    if (Proxy.isTimeout(cause)) {
      proxy.pool.failed(index);
    }
    result.fail(Proxy.failure(cause));
  }

  /** The upstream's answer to the upgrade request. */
  private void answer(ChannelHandlerContext ctx, FullHttpResponse response) {
    answered = true;
    deadline.cancel(false);
    proxy.pool.succeeded(index);
    long upstreamNanos = System.nanoTime() - start;
    int status = response.status().code();
    out.setStatusCode(status);
    if (status != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) { // refused: its answer goes to the client
      Proxy.copyResponseHeaders(response.headers(), response.headers().get(HttpHeaderNames.CONNECTION), extraResponse,
          out.headers());
      extraResponse.addTo(out.headers());
      Buffer body = BufferInternal.safeBuffer(response.content().retain());
      response.release();
      ctx.close();
      out.end(body);
      result.complete(new Proxy.Outcome(status, target.upstream(), upstreamNanos));
      return;
    }
    // The upgrade's own fields (Sec-WebSocket-Accept, -Protocol, -Extensions) go to the client.
    Proxy.copyResponseHeaders(response.headers(), null, extraResponse, out.headers());
    extraResponse.addTo(out.headers());
    out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.UPGRADE, response.headers().get(HttpHeaderNames.UPGRADE, "websocket"));
    response.release();
    Channel upstream = ctx.channel();
    upstream.config().setAutoRead(false); // nothing more is read until the client's side is ready for it
    // Bytes first: the decoder hands on what it holds beyond the answer (a first frame) as it goes.
    Bytes bytes = new Bytes();
    ctx.pipeline().replace(this.handshake, "tunnel", bytes);
    ctx.pipeline().remove(HttpObjectAggregator.class);
    ctx.pipeline().remove(HttpClientCodec.class);
    // Vert.x switches only a request that asks for it; its Connection field went with the hop-by-hop ones.
    request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    request.toNetSocket().onComplete(switched -> {
      if (switched.failed()) {
        upstream.close();
        result.fail(Proxy.failure(switched.cause()));
        return;
      }
      NetSocket client = switched.result();
      client.handler(data -> {
        upstream.writeAndFlush(((BufferInternal) data).getByteBuf());
        if (!upstream.isWritable()) {
          client.pause(); // until the upstream's side drains (Bytes.channelWritabilityChanged)
        }
      });
      client.closeHandler(v -> upstream.close());
      client.exceptionHandler(e -> upstream.close());
      client.drainHandler(v -> upstream.config().setAutoRead(true));
      upstream.closeFuture().addListener(f -> client.close());
      bytes.attach(client);
      upstream.config().setAutoRead(true);
      result.complete(new Proxy.Outcome(status, target.upstream(), upstreamNanos));
    });
  }

  /** Reads the answer to the upgrade request. */
  private final class Handshake extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FullHttpResponse response && !answered) {
        if (response.decoderResult().isFailure()) {
          response.release();
          failed(response.decoderResult().cause());
        } else {
          answer(ctx, response);
        }
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      failed(new UpstreamHandler.UpstreamClosed());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failed(cause);
    }
  }

  /** The upstream's side of an open tunnel: its bytes to the client, held until the client's side is switched. */
  private static final class Bytes extends ChannelInboundHandlerAdapter {
    private final java.util.ArrayDeque<Buffer> early = new java.util.ArrayDeque<>(1);
    private NetSocket client;

    void attach(NetSocket switched) {
      client = switched;
      for (Buffer data; (data = early.poll()) != null; ) {
        client.write(data);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf data)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      Buffer copy = BufferInternal.safeBuffer(data); // copied to the heap, the pooled original freed
      if (client == null) {
        early.add(copy);
        return;
      }
      client.write(copy);
      if (client.writeQueueFull()) {
        ctx.channel().config().setAutoRead(false); // the client's drain handler turns it back on
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (client != null && ctx.channel().isWritable()) {
        client.resume();
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      early.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
