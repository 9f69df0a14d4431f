package dev.gantry.runtime.server;

import dev.gantry.runtime.observe.ConnectionMetrics.ClientTimeout;
import dev.gantry.runtime.pipeline.DeadlineAnswer;
import dev.gantry.runtime.pipeline.ErrorResponses;
import dev.gantry.runtime.pipeline.RequestId;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

/**
 * What one HTTP/1.x client connection is waiting for, and until when: a request head, the next
 * piece of a request body, the client taking a response, or nothing (between requests). It sits
 * just after the HTTP codec and sees requests as they are decoded and responses as they are
 * written; a second, byte-level handler before the decoder tells it when a next request starts.
 * {@link SlowClientSweeper} checks it a few times a second, so a request costs a few field writes,
 * no timer. Everything runs on the connection's event loop.
 */
final class ConnectionDeadline extends ChannelDuplexHandler {
  private static final long NONE = SlowClientSweeper.NONE;
  private static final byte[] TIMED_OUT = ErrorResponses.body(408, "request_timeout",
      "The request did not arrive in time").getBytes(StandardCharsets.UTF_8);

  enum Phase {
    /** Between requests: closed without an answer when the keep-alive time is up. */
    IDLE,
    /** A request head is owed or part of one has come: closed without an answer when the time is up. */
    HEAD,
    /** A request's body is coming: 408 (or a close, if its response has begun) when it stalls. */
    BODY,
    /** Requests are read and being answered: only a client that stops taking the response is timed. */
    ANSWERING,
    /** Switched protocols (a WebSocket, h2c): no longer HTTP/1.x, not timed. */
    SWITCHED
  }

  private final SlowClientSweeper sweeper;
  private final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      bytesArrived();
      ctx.fireChannelRead(msg);
    }
  };
  private ChannelHandlerContext ctx;
  private Phase phase;
  private long deadline;
  private int open; // requests decoded and not yet answered (HTTP/1.1 pipelining)
  private HttpRequest current;
  private boolean continued; // a 100 Continue went out for the current request
  private boolean answerStarted; // a final response's head went out and its end has not
  private long writeBlockedSince = NONE;
  private boolean nextHeadStarted; // bytes of a pipelined request came while earlier ones were answered

  /**
   * {@code headDecoded}: the connection's first request head was read before this handler was in
   * place, so it starts on that request's body, not knowing the request (an {@code Expect} on it
   * is not seen); otherwise it starts owing its first request head.
   */
  ConnectionDeadline(SlowClientSweeper sweeper, boolean headDecoded) {
    this.sweeper = sweeper;
    if (headDecoded) {
      open = 1;
      phase = Phase.BODY;
      deadline = sweeper.deadline(sweeper.bodyNanos());
    } else {
      phase = Phase.HEAD;
      deadline = sweeper.deadline(sweeper.requestHeaderNanos());
    }
  }

  /** The byte-level half, for the pipeline before the HTTP decoder. */
  ChannelInboundHandlerAdapter bytes() {
    return bytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  private void bytesArrived() {
    if (phase == Phase.IDLE) {
      phase = Phase.HEAD;
      deadline = sweeper.deadline(sweeper.requestHeaderNanos());
    } else if (phase == Phase.ANSWERING) {
      nextHeadStarted = true; // the next head, timed once the answers are out (unless decoded first)
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (phase != Phase.SWITCHED) {
      if (msg instanceof HttpRequest request) {
        nextHeadStarted = false;
        open++;
        current = request;
        continued = false;
        phase = Phase.BODY;
        deadline = sweeper.deadline(sweeper.bodyNanos());
      }
      if (msg instanceof LastHttpContent) {
        if (phase == Phase.BODY) {
          betweenOrAnswering();
        }
      } else if (msg instanceof HttpContent && phase == Phase.BODY) {
        deadline = sweeper.deadline(sweeper.bodyNanos());
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (phase != Phase.SWITCHED) {
      boolean informational = false;
      if (msg instanceof HttpResponse response) {
        int status = response.status().code();
        if (status == 101) {
          phase = Phase.SWITCHED;
        } else if (status < 200) { // 100 Continue: the client may send its body now, and the clock starts again
          informational = true;
          continued = true;
          if (phase == Phase.BODY) {
            deadline = sweeper.deadline(sweeper.bodyNanos());
          }
        } else {
          answerStarted = true;
        }
      }
      if (msg instanceof LastHttpContent && !informational && phase != Phase.SWITCHED) {
        answered();
      }
    }
    ctx.write(msg, promise);
  }

  private void answered() {
    open = Math.max(0, open - 1);
    answerStarted = false;
    writeBlockedSince = NONE;
    if (phase == Phase.ANSWERING) {
      betweenOrAnswering();
    }
  }

  /** The current request is read: answering it (or one before it), or idle once all are answered. */
  private void betweenOrAnswering() {
    if (open > 0) {
      phase = Phase.ANSWERING;
      deadline = NONE;
    } else if (nextHeadStarted) { // part of a pipelined head is in: it owes the rest, not a keep-alive wait
      phase = Phase.HEAD;
      deadline = sweeper.deadline(sweeper.requestHeaderNanos());
    } else {
      phase = Phase.IDLE;
      deadline = sweeper.deadline(sweeper.keepAliveNanos());
    }
  }

  /** Called by the sweeper with its clock; ends the connection if the client is overdue. */
  void check(long now) {
    if (!ctx.channel().isActive()) {
      return; // closed: the sweeper drops it when the close completes
    }
    switch (phase) {
      case IDLE -> {
        if (overdue(now)) {
          sweeper.timedOut(ClientTimeout.KEEP_ALIVE);
          ctx.close(); // nothing was asked: nothing to answer
        }
      }
      case HEAD -> {
        if (overdue(now)) {
          sweeper.timedOut(ClientTimeout.REQUEST_HEADER);
          ctx.close(); // as nginx does, and as Vert.x's idle timeout ends a first head: the request is not known
        }
      }
      case BODY -> {
        if (!overdue(now)) {
          return;
        }
        boolean holdingIt = !ctx.channel().config().isAutoRead(); // the gateway stopped reading (back-pressure)
        boolean waitingForContinue = !continued && current != null && HttpUtil.is100ContinueExpected(current);
        if (holdingIt || waitingForContinue) {
          deadline = sweeper.deadline(sweeper.bodyNanos());
        } else {
          sweeper.timedOut(ClientTimeout.BODY);
          if (answerStarted) {
            ctx.close(); // the response is under way: a 408 cannot follow it
          } else {
            timedOut();
          }
        }
      }
      case ANSWERING -> {
        if (sweeper.bodyNanos() == 0 || ctx.channel().isWritable()) {
          writeBlockedSince = NONE;
        } else if (writeBlockedSince == NONE) {
          writeBlockedSince = now;
        } else if (now - writeBlockedSince >= sweeper.bodyNanos()) {
          sweeper.timedOut(ClientTimeout.RESPONSE);
          ctx.close(); // the client stopped taking its response
        }
      }
      case SWITCHED -> { }
    }
  }

  private boolean overdue(long now) {
    return deadline != NONE && now - deadline >= 0;
  }

  private void timedOut() {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
        Unpooled.wrappedBuffer(TIMED_OUT));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set(HttpHeaderNames.CONTENT_LENGTH, TIMED_OUT.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    // The id the request was given (RequestId sets it on the request's own header map, which this is).
    String requestId = current == null ? null : current.headers().get(RequestId.HEADER);
    if (requestId != null) {
      response.headers().set(RequestId.HEADER, requestId);
    }
    DeadlineAnswer.record(ctx.channel(), HttpResponseStatus.REQUEST_TIMEOUT.code());
    phase = Phase.SWITCHED; // done with this connection
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
