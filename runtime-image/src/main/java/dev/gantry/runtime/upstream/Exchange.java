package dev.gantry.runtime.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One client request's trip upstream and back, on the event loop of the client's connection:
 * connect (or take a pooled connection, trying the next URL when one cannot be reached), send the
 * headers and stream the body, then stream the answer back. Back-pressure both ways: a client body
 * pauses while the upstream connection is not writable, an upstream body stops being read while
 * the client's write queue is full. Every way it can end completes {@link #result} exactly once.
 */
final class Exchange implements UpstreamConnections.Waiter {
  private final Proxy proxy;
  private final HttpServerRequest request;
  private final HttpServerResponse out;
  private final String uri;
  private final String basePath;
  private final HttpHeaders upstreamHeaders; // built once; the Host of each URL tried is set on it
  private final AddedHeaders extraResponse;
  private final EventLoop loop;
  final Promise<Proxy.Outcome> result = Promise.promise();

  private int tried;
  private int index;
  private UpstreamPool.Target target;
  private long start;
  private Channel channel;            // while the exchange holds a connection
  private UpstreamHandler handler;
  private ResponseDeadline deadline;
  private boolean reused;
  private final boolean bodiless;
  private final long maxBodyBytes;    // the route's, for a body of no declared length
  private boolean requestSent;
  private boolean bodyPaused;
  private long bodyBytes;
  private boolean counted;            // a body of no declared length, counted against the limit
  private boolean informational;      // skipping a 1xx answer and its empty end
  private int status;                 // the upstream's, once its headers are in; 0 before
  private long upstreamNanos;
  private boolean keepAlive;
  private boolean drainHandlerSet;
  private boolean finished;

  Exchange(Proxy proxy, HttpServerRequest request, boolean bodiless, long maxBodyBytes, String uri, String basePath,
           HttpHeaders upstreamHeaders, AddedHeaders extraResponse, EventLoop loop) {
    this.proxy = proxy;
    this.maxBodyBytes = maxBodyBytes;
    this.request = request;
    this.out = request.response();
    this.uri = uri;
    this.basePath = basePath;
    this.upstreamHeaders = upstreamHeaders;
    this.extraResponse = extraResponse;
    this.loop = loop;
    this.bodiless = bodiless; // most requests are bodiless GETs, sent in one write
  }

  void attempt() {
    index = proxy.pool.choose();
    target = proxy.pool.target(index);
    start = System.nanoTime();
    proxy.connections.apply(target.upstream()).acquire(loop, target, this);
  }

  @Override
  public void connectFailed(Throwable cause) {
    if (!(cause instanceof UpstreamConnections.Busy)) { // busy is not down
      proxy.pool.failed(index);
    }
    if (out.closed()) {
      finish(0);
    } else if (++tried < proxy.pool.size() && !proxy.pool.allEjected()) {
      attempt(); // nothing was sent: the next URL may answer
    } else {
      fail(Proxy.failure(cause));
    }
  }

  @Override
  public void connected(Channel connection, boolean reused) {
    UpstreamHandler connectionHandler = connection.pipeline().get(UpstreamHandler.class);
    if (out.closed()) { // the client left while this waited for a connection
      connectionHandler.pool.release(connection);
      finish(0);
      return;
    }
    HttpHeaders headers = upstreamHeaders.set(HttpHeaderNames.HOST, target.hostHeader());
    HttpRequest head;
    try {
      head = head(headers);
    } catch (IllegalArgumentException unwritable) { // RequestGuard refuses what Netty cannot write: a backstop, never a hang
      connectionHandler.pool.release(connection);
      fail(new Proxy.UpstreamFailure(502, "upstream_error", "The request cannot be forwarded upstream", unwritable));
      return;
    }
    this.channel = connection;
    this.handler = connectionHandler;
    this.reused = reused;
    connectionHandler.carry(this);
    // A client that goes away cancels the upstream exchange, whether it waits for the headers or
    // streams the body: a slow upstream does not keep working for nobody.
    out.closeHandler(v -> clientGone());
    deadline = ResponseDeadline.start(loop, this, target.responseTimeoutMillis());
    requestSent = bodiless; // a bodiless request is whole in its head
    connection.writeAndFlush(head);
    if (bodiless) { // never paused (GatewayHandler): its end is the server's business, and resuming would build a queue
      return;
    }
    request.exceptionHandler(e -> clientGone());
    request.handler(this::requestChunk);
    request.endHandler(v -> requestEnded());
    request.resume();
  }

  private void requestChunk(Buffer chunk) {
    Channel connection = channel;
    if (finished || connection == null) {
      return;
    }
    if (counted && (bodyBytes += chunk.length()) > maxBodyBytes) {
      // Cut, not ended: an ended chunked body would look whole to the upstream.
      request.pause();
      upstreamFailed(new BodyTooLarge());
      return;
    }
    connection.writeAndFlush(new DefaultHttpContent(((BufferInternal) chunk).getByteBuf()));
    if (!connection.isWritable()) {
      bodyPaused = true;
      request.pause();
    }
  }

  private void requestEnded() {
    Channel connection = channel;
    if (finished || connection == null) {
      return;
    }
    requestSent = true;
    connection.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  void upstreamWritable() {
    if (bodyPaused) {
      bodyPaused = false;
      request.resume();
    }
  }

  void upstreamRead(HttpObject message) {
    if (message.decoderResult().isFailure()) {
      io.netty.util.ReferenceCountUtil.release(message);
      upstreamFailed(message.decoderResult().cause());
      return;
    }
    if (message instanceof HttpResponse response) {
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        informational = true; // 100 Continue and the like are the upstream's business with us
      } else {
        responseHeaders(response);
      }
    }
    if (message instanceof HttpContent content) {
      if (informational || finished) {
        content.release();
        informational &= !(content instanceof LastHttpContent);
        return;
      }
      responseContent(content);
    }
  }

  private void responseHeaders(HttpResponse response) {
    deadline.cancel();
    proxy.pool.succeeded(index);
    upstreamNanos = System.nanoTime() - start;
    status = response.status().code();
    String connectionHeader = response.headers().get(HttpHeaderNames.CONNECTION);
    keepAlive = keepAlive(response, connectionHeader);
    out.setStatusCode(status);
    String reason = response.status().reasonPhrase();
    // Setting the standard phrase again would build and encode a new status line per request.
    if (reason != null && !reason.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
      out.setStatusMessage(reason);
    }
    // The gateway's own headers (quota, CORS) replace the upstream's of the same name; Vary adds up.
    boolean length = Proxy.copyResponseHeaders(response.headers(), connectionHeader, extraResponse, out.headers());
    // A body of unknown length (the upstream's was chunked, or ends at close) goes on chunked: the
    // server refuses body writes with neither a length nor chunking. Vert.x itself leaves chunking
    // out for HTTP/1.0 (the body ends at the close) and HTTP/2 (frames); both are in GatewayIT.
    if (!length && mayHaveBody()) {
      out.setChunked(true);
    }
    extraResponse.addTo(out.headers());
  }

  private void responseContent(HttpContent content) {
    ByteBuf data = content.content();
    boolean last = content instanceof LastHttpContent;
    Buffer chunk = data.isReadable() ? BufferInternal.safeBuffer(data) : null; // copies to heap, frees the original
    if (chunk == null) {
      data.release();
    }
    if (last) {
      trailers(((LastHttpContent) content).trailingHeaders());
      finished = true;
      handler.exchange = null;
      Channel connection = channel;
      channel = null;
      connection.config().setAutoRead(true);
      if (keepAlive && requestSent) {
        handler.pool.release(connection);
      } else {
        connection.close();
      }
      if (chunk == null) {
        out.end();
      } else {
        out.end(chunk);
      }
      result.complete(new Proxy.Outcome(status, target.upstream(), upstreamNanos));
    } else if (chunk != null) {
      out.write(chunk);
      if (out.writeQueueFull()) {
        pauseUpstream();
      }
    }
  }

  /**
   * The upstream's trailer fields go on after the body where the client's response can carry them
   * (chunked HTTP/1.1, HTTP/2), less those no trailer may hold (framing, hop-by-hop).
   */
  private void trailers(HttpHeaders trailers) {
    if (trailers.isEmpty() || !(out.isChunked() || request.version() == io.vertx.core.http.HttpVersion.HTTP_2)) {
      return;
    }
    for (Iterator<Map.Entry<CharSequence, CharSequence>> i = trailers.iteratorCharSequence(); i.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> field = i.next();
      if (!Proxy.hopByHop(field.getKey())
          && !AsciiString.contentEqualsIgnoreCase(field.getKey(), HttpHeaderNames.CONTENT_LENGTH)) {
        out.trailers().add(field.getKey(), field.getValue());
      }
    }
  }

  /**
   * The client's write queue is full: the upstream is not read until it drains. The drain handler
   * is only set here, on the first pause, not on every response (most fit in the queue at once).
   */
  private void pauseUpstream() {
    Channel connection = channel;
    connection.config().setAutoRead(false);
    if (!drainHandlerSet) {
      drainHandlerSet = true;
      out.drainHandler(v -> {
        Channel current = channel;
        if (current != null) {
          current.config().setAutoRead(true);
        }
      });
    }
  }

  /** The body stopped coming for the read idle timeout. */
  void upstreamStalled() {
    upstreamFailed(new TimeoutException("the upstream's answer stalled"));
  }

  /** Called by the event loop's {@link ResponseDeadline} sweep. */
  void missedDeadline(TimeoutException missed) {
    upstreamFailed(missed);
  }

  /** The connection failed or was given up: before the upstream's headers an error answer, after them an abort. */
  void upstreamFailed(Throwable cause) {
    if (finished) {
      return;
    }
    dropConnection();
    if (status != 0) {
      finished = true;
      if (!out.ended() && !out.closed()) { // a cut upstream body must not look complete to the client
        out.reset();
      }
      result.complete(new Proxy.Outcome(status, target.upstream(), upstreamNanos));
      return;
    }
    deadline.cancel();
    if (out.closed()) {
      finish(0);
    } else if (staleConnection(cause)) {
      proxy.connections.apply(target.upstream()).acquire(loop, target, this); // the same URL, sent again
    } else {
      if (Proxy.isTimeout(cause)) {
        proxy.pool.failed(index);
      }
      fail(Proxy.failure(cause));
    }
  }

  /**
   * A pooled connection the upstream closed (its keep-alive timeout) just as this request went out
   * on it, before any answer: a bodiless request whose method changes nothing (RFC 9110, 9.2.2) can
   * safely go again on another connection, whether or not the upstream saw it.
   */
  private boolean staleConnection(Throwable cause) {
    HttpMethod method = request.method();
    return reused && bodiless && (cause instanceof UpstreamHandler.UpstreamClosed || cause instanceof java.io.IOException)
        && (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
  }

  private void clientGone() {
    if (finished) {
      return;
    }
    dropConnection();
    if (deadline != null) {
      deadline.cancel();
    }
    finish(status);
  }

  /** Closes the connection this exchange holds, if any: whatever was on it is not reusable. */
  private void dropConnection() {
    Channel connection = channel;
    channel = null;
    if (handler != null) {
      handler.exchange = null;
    }
    if (connection != null) {
      connection.close();
    }
  }

  /** The upstream request's head (whole, for a bodiless request); Netty refuses a method or target it cannot write. */
  private HttpRequest head(HttpHeaders headers) {
    io.netty.handler.codec.http.HttpMethod method = io.netty.handler.codec.http.HttpMethod.valueOf(request.method().name());
    String path = Proxy.upstreamPath(uri, basePath, target);
    if (bodiless) {
      return new DefaultFullHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, method, path,
          Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
    }
    DefaultHttpRequest head = new DefaultHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, method, path,
        headers);
    if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) { // a declared length was checked against the limit already; this one is counted as it streams
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      counted = true;
    }
    return head;
  }

  private void finish(int outcomeStatus) {
    finished = true;
    result.complete(new Proxy.Outcome(outcomeStatus, target.upstream(), System.nanoTime() - start));
  }

  private void fail(Proxy.UpstreamFailure failure) {
    finished = true;
    result.fail(failure);
  }

  /**
   * Whether the upstream keeps the connection open after this answer (HTTP/1.1 unless it says close,
   * HTTP/1.0 only if it says keep-alive). The usual cases take one header lookup; Netty's HttpUtil
   * splits and compares every value of the header.
   */
  private static boolean keepAlive(HttpResponse response, String connection) {
    if (connection == null) {
      return response.protocolVersion().isKeepAliveDefault();
    }
    if (connection.equalsIgnoreCase("keep-alive")) {
      return true;
    }
    return HttpUtil.isKeepAlive(response);
  }

  /** Whether a response can carry a body at all (RFC 9110, 6.4.1): never to HEAD, nor with 1xx, 204 or 304. */
  private boolean mayHaveBody() {
    return request.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  /** The client's body of no declared length went over the limit. */
  static final class BodyTooLarge extends RuntimeException {
    BodyTooLarge() {
      super("request body over the limit", null, false, false);
    }
  }
}
