package dev.gantry.runtime.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

/**
 * Forwards one request to an upstream and streams the answer back, with back-pressure both ways.
 * Hop-by-hop headers are dropped, {@code X-Forwarded-*} and {@code Forwarded} are set, and the
 * route's base path is replaced by the upstream URL's path. A URL that cannot be connected to is
 * ejected and, since nothing has been sent yet, the next one is tried.
 */
public final class Proxy {
  /** Compared ignoring case, so that header names need no lower-cased copy per header and request. */
  private static final Set<String> HOP_BY_HOP = caseInsensitive("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");

  /** How the exchange ended, for metrics and the access log; status 0 if the client went away. */
  public record Outcome(int status, String upstream, long upstreamNanos) {}

  /** Thrown (as a failed future) when no upstream answered: carries the status to send. */
  public static final class UpstreamFailure extends RuntimeException {
    private final int status;
    private final String error;

    UpstreamFailure(int status, String error, String message, Throwable cause) {
      super(message, cause, false, false);
      this.status = status;
      this.error = error;
    }

    public int status() {
      return status;
    }

    public String error() {
      return error;
    }
  }

  private final java.util.function.Function<String, HttpClient> clients;
  private final UpstreamPool pool;
  private final long maxBodyBytes;

  /** {@code clients} gives the connection pool of an upstream (an Endpoint) by name. */
  public Proxy(java.util.function.Function<String, HttpClient> clients, UpstreamPool pool, long maxBodyBytes) {
    this.clients = clients;
    this.pool = pool;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Sends {@code request} (paused by the caller) upstream as {@code uri} (its URI, possibly with
   * credentials removed). {@code extraRequestHeaders} are set on
   * the upstream request and {@code extraResponseHeaders} on the response to the client.
   */
  public Future<Outcome> forward(HttpServerRequest request, String uri, String basePath,
                                 MultiMap extraRequestHeaders, MultiMap extraResponseHeaders) {
    return attempt(request, uri, basePath, extraRequestHeaders, extraResponseHeaders, 0);
  }

  private Future<Outcome> attempt(HttpServerRequest request, String uri, String basePath, MultiMap extraRequest,
                                  MultiMap extraResponse, int tried) {
    int index = pool.choose();
    UpstreamPool.Target target = pool.target(index);
    long start = System.nanoTime();
    return clients.apply(target.upstream()).request(options(request, uri, basePath, target))
        .recover(connectFailure -> {
          pool.failed(index);
          if (tried + 1 < pool.size() && !pool.allEjected()) {
            return Future.failedFuture(new Retry());
          }
          return Future.failedFuture(failure(connectFailure));
        })
        .compose(upstreamRequest -> exchange(request, upstreamRequest, extraRequest, extraResponse, index, target, start),
            failed -> failed instanceof Retry
                ? attempt(request, uri, basePath, extraRequest, extraResponse, tried + 1)
                : Future.failedFuture(failed));
  }

  private Future<Outcome> exchange(HttpServerRequest request, HttpClientRequest upstream, MultiMap extraRequest,
                                   MultiMap extraResponse, int index, UpstreamPool.Target target, long start) {
    copyRequestHeaders(request, upstream.headers());
    upstream.headers().addAll(extraRequest);
    HttpServerResponse out = request.response();
    // A client that goes away cancels the upstream exchange, whether it waits for the headers or
    // streams the body: a slow upstream does not keep working for nobody.
    out.closeHandler(v -> upstream.reset(0, new ClientGone()));
    ResponseDeadline deadline = ResponseDeadline.start(Vertx.currentContext(), upstream, target.responseTimeoutMillis());
    return send(request, upstream).andThen(answered -> deadline.cancel()).recover(e -> {
      if (out.closed()) { // the client's own doing, not the upstream's
        return Future.failedFuture(new ClientGone());
      }
      if (isTimeout(e)) {
        pool.failed(index);
      }
      return Future.failedFuture(failure(e));
    }).compose(response -> {
      pool.succeeded(index);
      long upstreamNanos = System.nanoTime() - start;
      if (out.closed()) {
        response.exceptionHandler(expected -> {}); // the reset below is ours: nothing to report
        upstream.reset();
        return Future.succeededFuture(new Outcome(0, target.upstream(), upstreamNanos));
      }
      out.setStatusCode(response.statusCode());
      String reason = response.statusMessage();
      // Setting the standard phrase again would build and encode a new status line per request.
      if (reason != null && !reason.equals(HttpResponseStatus.valueOf(response.statusCode()).reasonPhrase())) {
        out.setStatusMessage(reason);
      }
      copyResponseHeaders(response.headers(), out.headers());
      // A body of unknown length (the upstream's was chunked, or ends at close) goes on chunked: the
      // server refuses body writes with neither a length nor chunking. Vert.x itself leaves chunking
      // out for HTTP/1.0 (the body ends at the close) and HTTP/2 (frames); both are in GatewayIT.
      if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(request, response.statusCode())) {
        out.setChunked(true);
      }
      // The gateway's own headers (quota, CORS) replace the upstream's of the same name; Vary adds up.
      for (Map.Entry<String, String> header : extraResponse) {
        if (!header.getKey().equalsIgnoreCase("Vary")) {
          out.headers().remove(header.getKey());
        }
      }
      out.headers().addAll(extraResponse);
      // A failed upstream stream aborts the client's response rather than ending it as if complete.
      Outcome outcome = new Outcome(response.statusCode(), target.upstream(), upstreamNanos);
      return response.pipe().endOnFailure(false).to(out).map(v -> outcome).otherwise(e -> {
        if (!out.ended() && !out.closed()) {
          out.reset();
        }
        return outcome;
      });
    }).recover(e -> e instanceof ClientGone
        ? Future.succeededFuture(new Outcome(0, target.upstream(), System.nanoTime() - start))
        : Future.failedFuture(e));
  }

  /**
   * Sends the request upstream with its body. An HTTP/1.x request with neither Content-Length nor
   * Transfer-Encoding has no body (RFC 9112, 6.3), and most requests are such GETs: they skip the
   * body pipe and its handlers. The request is resumed so that its (empty) end is consumed. HTTP/2
   * frames bodies without either header, so it always streams.
   */
  private Future<HttpClientResponse> send(HttpServerRequest request, HttpClientRequest upstream) {
    MultiMap headers = request.headers();
    boolean declared = headers.contains(HttpHeaders.CONTENT_LENGTH);
    if (request.version() != HttpVersion.HTTP_2 && !declared && !headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
      request.resume();
      return upstream.send();
    }
    // A declared length was checked against the limit already; a chunked body is counted as it streams.
    ReadStream<Buffer> body = declared ? request
        : new LimitedBody(request, maxBodyBytes, () -> upstream.reset(0, new LimitedBody.TooLarge()));
    return upstream.send(body);
  }

  private static RequestOptions options(HttpServerRequest request, String uri, String basePath,
                                        UpstreamPool.Target target) {
    String rest = uri.startsWith(basePath) ? uri.substring(basePath.length()) : uri;
    if (rest.isEmpty() || rest.startsWith("?")) {
      rest = "/" + rest;
    }
    return new RequestOptions()
        .setMethod(request.method())
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.tls())
        .setURI(target.pathPrefix().isEmpty() ? rest : target.pathPrefix() + rest)
        .setConnectTimeout(target.connectTimeoutMillis());
  }

  private static void copyRequestHeaders(HttpServerRequest request, MultiMap to) {
    MultiMap from = request.headers();
    Set<String> skip = connectionListed(from);
    from.forEach((name, value) -> {
      if (!HOP_BY_HOP.contains(name) && !skip.contains(name) && !name.regionMatches(true, 0, "x-forwarded-", 0, 12)
          && !name.equalsIgnoreCase("forwarded")) {
        to.add(name, value);
      }
    });
    String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    String proto = request.isSSL() ? "https" : "http";
    String host = request.authority() == null ? "" : request.authority().toString();
    String priorFor = from.get("X-Forwarded-For");
    to.set("X-Forwarded-For", priorFor == null ? client : priorFor + ", " + client);
    to.set("X-Forwarded-Proto", proto);
    to.set("X-Forwarded-Host", host);
    String node = client.contains(":") ? "\"[" + client + "]\"" : client;
    String prior = from.get("Forwarded");
    String forwarded = "for=" + node + ";proto=" + proto + (host.isEmpty() ? "" : ";host=\"" + host + "\"");
    to.set("Forwarded", prior == null ? forwarded : prior + ", " + forwarded);
  }

  private static void copyResponseHeaders(MultiMap from, MultiMap to) {
    Set<String> skip = connectionListed(from);
    from.forEach((name, value) -> {
      if (!HOP_BY_HOP.contains(name) && !skip.contains(name)) {
        to.add(name, value);
      }
    });
  }

  private static Set<String> caseInsensitive(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return set;
  }

  /** Header names a Connection header lists: hop-by-hop as well (RFC 9110, 7.6.1); ignores case. */
  private static Set<String> connectionListed(MultiMap headers) {
    String connection = headers.get("Connection");
    if (connection == null || connection.equalsIgnoreCase("keep-alive") || connection.equalsIgnoreCase("close")) {
      return Set.of(); // the usual case: nothing beyond the standard hop-by-hop names
    }
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String value : headers.getAll("Connection")) {
      for (String name : value.split(",")) {
        names.add(name.trim());
      }
    }
    return names;
  }

  private static UpstreamFailure failure(Throwable e) {
    if (e instanceof UpstreamFailure failure) {
      return failure;
    }
    if (e instanceof LimitedBody.TooLarge || e.getCause() instanceof LimitedBody.TooLarge) {
      return new UpstreamFailure(413, "body_too_large", "The request body is larger than allowed", e);
    }
    if (isTimeout(e)) {
      return new UpstreamFailure(504, "upstream_timeout", "The upstream did not answer in time", e);
    }
    return new UpstreamFailure(502, "upstream_unreachable", "The upstream could not be reached", e);
  }

  /** Whether a response can carry a body at all (RFC 9110, 6.4.1): never to HEAD, nor with 1xx, 204 or 304. */
  private static boolean mayHaveBody(HttpServerRequest request, int status) {
    return request.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  /** A missed response deadline (ours, perhaps wrapped in the reset it caused) or connect timeout. */
  private static boolean isTimeout(Throwable e) {
    return e instanceof TimeoutException || e.getCause() instanceof TimeoutException || e instanceof ConnectTimeoutException;
  }

  /** Marker: the client closed its connection before the exchange finished. */
  private static final class ClientGone extends RuntimeException {
    ClientGone() {
      super(null, null, false, false);
    }
  }

  /** Marker: try the next URL. */
  private static final class Retry extends RuntimeException {
    Retry() {
      super(null, null, false, false);
    }
  }
}
