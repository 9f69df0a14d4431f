import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A second yardstick beside MinimalProxy: the smallest reasonable keep-alive HTTP/1.1 reverse proxy
 * on raw Netty 4.2 (epoll, the codecs Vert.x itself uses, nothing of Vert.x above them). It answers
 * one question for bench/README.md: how close a JVM data plane without Vert.x's HTTP layer gets to
 * nginx on this machine. Not a product: no hop-by-hop filtering, no limits, no TLS, no HTTP/2; one
 * request at a time per client connection (no pipelining), upstream connections pooled per event loop.
 *
 *   java -cp 'runtime-image/target/lib/*' bench/NettyProxy.java LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT [THREADS]
 */
public class NettyProxy {
  static String upstreamHost;
  static int upstreamPort;
  /** Idle upstream connections of the calling event loop. */
  static final FastThreadLocal<ArrayDeque<Channel>> IDLE = new FastThreadLocal<>() {
    @Override
    protected ArrayDeque<Channel> initialValue() {
      return new ArrayDeque<>();
    }
  };

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    upstreamHost = args[1];
    upstreamPort = Integer.parseInt(args[2]);
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
    new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new Front());
          }
        }).bind("127.0.0.1", port).sync();
    System.out.println("netty proxy on :" + port + " -> " + upstreamHost + ":" + upstreamPort + ", threads " + threads);
  }

  /** One client connection: its request goes to a pooled upstream connection of the same event loop. */
  static final class Front extends ChannelInboundHandlerAdapter {
    private Channel upstream;       // the connection carrying the current request, once connected
    private List<Object> pending;   // request parts read while that connection is being made

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        Channel idle = IDLE.get().pollFirst();
        if (idle != null && idle.isActive()) {
          use(ctx, idle);
        } else {
          connect(ctx);
        }
      }
      if (upstream != null) {
        upstream.write(msg);
        if (msg instanceof LastHttpContent) {
          upstream.flush();
        }
      } else {
        pending.add(msg);
      }
    }

    private void use(ChannelHandlerContext ctx, Channel channel) {
      upstream = channel;
      channel.pipeline().get(Back.class).front = ctx.channel();
    }

    private void connect(ChannelHandlerContext ctx) {
      pending = new ArrayList<>(2);
      new Bootstrap().group(ctx.channel().eventLoop()).channel(EpollSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new HttpClientCodec(), new Back());
            }
          }).connect(upstreamHost, upstreamPort).addListener((ChannelFutureListener) connected -> {
            if (!connected.isSuccess()) {
              pending.forEach(ReferenceCountUtil::release);
              ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY))
                  .addListener(ChannelFutureListener.CLOSE);
              return;
            }
            use(ctx, connected.channel());
            pending.forEach(upstream::write);
            upstream.flush();
            pending = null;
          });
    }

    /** The answer is complete: the upstream connection goes back to the loop's pool. */
    void released() {
      Channel channel = upstream;
      upstream = null;
      IDLE.get().addLast(channel);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** One upstream connection: streams the answer to the client connection it currently serves. */
  static final class Back extends ChannelInboundHandlerAdapter {
    Channel front;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel client = front;
      client.write(msg);
      if (msg instanceof LastHttpContent) {
        client.flush();
        front = null;
        client.pipeline().get(Front.class).released();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      IDLE.get().remove(ctx.channel());
      if (front != null) {
        front.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
