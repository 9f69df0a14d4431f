package dev.gantry.runtime.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Forwards one request to an upstream and streams the answer back, with back-pressure both ways.
 * Hop-by-hop headers are dropped, {@code X-Forwarded-*} and {@code Forwarded} are set, and the
 * route's base path is replaced by the upstream URL's path. A URL that cannot be connected to is
 * ejected and, since nothing has been sent yet, the next one is tried. Each request is an
 * {@link Exchange} over a pooled connection of {@link UpstreamConnections}.
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

  final Function<String, UpstreamConnections> connections;
  final UpstreamPool pool;
  final long maxBodyBytes;

  /** {@code connections} gives the connection pools of an upstream (an Endpoint) by name. */
  public Proxy(Function<String, UpstreamConnections> connections, UpstreamPool pool, long maxBodyBytes) {
    this.connections = connections;
    this.pool = pool;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Sends {@code request} (paused by the caller) upstream as {@code uri} (its URI, possibly with
   * credentials removed). {@code extraRequestHeaders} are set on the upstream request and
   * {@code extraResponseHeaders} on the response to the client. On the request's event loop.
   */
  public Future<Outcome> forward(HttpServerRequest request, String uri, String basePath,
                                 MultiMap extraRequestHeaders, MultiMap extraResponseHeaders) {
    HttpHeaders upstreamHeaders = DefaultHttpHeadersFactory.headersFactory().newHeaders(); // validates names and values
    try {
      copyRequestHeaders(request, upstreamHeaders);
      extraRequestHeaders.forEach((String name, String value) -> upstreamHeaders.set(name, value));
    } catch (IllegalArgumentException invalid) { // a value HTTP cannot carry (CR, LF), say from a token's subject
      return Future.failedFuture(new UpstreamFailure(502, "upstream_error", "The request cannot be forwarded upstream",
          invalid));
    }
    EventLoop loop = ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
    Exchange exchange = new Exchange(this, request, uri, basePath, upstreamHeaders, extraResponseHeaders, loop);
    exchange.attempt();
    return exchange.result.future();
  }

  /** The client's headers less hop-by-hop ones, with {@code X-Forwarded-*} and {@code Forwarded} set ({@code Host} is the URL's). */
  static void copyRequestHeaders(HttpServerRequest request, HttpHeaders to) {
    MultiMap from = request.headers();
    Set<String> skip = listsNoNames(from.get("Connection")) ? Set.of() : connectionListed(from.getAll("Connection"));
    from.forEach((name, value) -> {
      if (!HOP_BY_HOP.contains(name) && !skip.contains(name) && !name.regionMatches(true, 0, "x-forwarded-", 0, 12)
          && !name.equalsIgnoreCase("forwarded")) {
        to.add(name, value);
      }
    });
    String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    String proto = request.isSSL() ? "https" : "http";
    String authority = request.authority() == null ? "" : request.authority().toString();
    String priorFor = from.get("X-Forwarded-For");
    to.set("X-Forwarded-For", priorFor == null ? client : priorFor + ", " + client);
    to.set("X-Forwarded-Proto", proto);
    to.set("X-Forwarded-Host", authority);
    String node = client.contains(":") ? "\"[" + client + "]\"" : client;
    String prior = from.get("Forwarded");
    String forwarded = "for=" + node + ";proto=" + proto + (authority.isEmpty() ? "" : ";host=\"" + authority + "\"");
    to.set("Forwarded", prior == null ? forwarded : prior + ", " + forwarded);
  }

  static void copyResponseHeaders(HttpHeaders from, MultiMap to) {
    Set<String> skip = listsNoNames(from.get(HttpHeaderNames.CONNECTION)) ? Set.of()
        : connectionListed(from.getAll(HttpHeaderNames.CONNECTION));
    for (Iterator<Map.Entry<String, String>> i = from.iteratorAsString(); i.hasNext(); ) {
      Map.Entry<String, String> header = i.next();
      if (!HOP_BY_HOP.contains(header.getKey()) && !skip.contains(header.getKey())) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }

  private static Set<String> caseInsensitive(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return set;
  }

  /** The usual Connection header (none, keep-alive, close) names nothing beyond the standard hop-by-hop headers. */
  private static boolean listsNoNames(String connection) {
    return connection == null || connection.equalsIgnoreCase("keep-alive") || connection.equalsIgnoreCase("close");
  }

  /** Header names Connection headers list: hop-by-hop as well (RFC 9110, 7.6.1); ignores case. */
  private static Set<String> connectionListed(List<String> all) {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String value : all) {
      for (String name : value.split(",")) {
        names.add(name.trim());
      }
    }
    return names;
  }

  static UpstreamFailure failure(Throwable e) {
    if (e instanceof UpstreamFailure failure) {
      return failure;
    }
    if (e instanceof Exchange.BodyTooLarge) {
      return new UpstreamFailure(413, "body_too_large", "The request body is larger than allowed", e);
    }
    if (e instanceof UpstreamConnections.Busy) {
      return new UpstreamFailure(503, "upstream_busy", "Every connection to the upstream is busy", e);
    }
    if (isTimeout(e)) {
      return new UpstreamFailure(504, "upstream_timeout", "The upstream did not answer in time", e);
    }
    return new UpstreamFailure(502, "upstream_unreachable", "The upstream could not be reached", e);
  }

  /** A missed response deadline (ours, perhaps wrapped in the reset it caused) or connect timeout. */
  static boolean isTimeout(Throwable e) {
    return e instanceof TimeoutException || e.getCause() instanceof TimeoutException || e instanceof ConnectTimeoutException;
  }
}
