package dev.gantry.runtime.upstream;

import dev.gantry.runtime.vertx.ConnectionChannel;
import io.netty.channel.Channel;
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
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.vertx.core.net.HostAndPort;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

  /** {@code connections} gives the connection pools of an upstream (an Endpoint) by name. */
  public Proxy(Function<String, UpstreamConnections> connections, UpstreamPool pool) {
    this.connections = connections;
    this.pool = pool;
  }

  /**
   * Sends {@code request} (paused by the caller if it {@link #mayHaveBody}) upstream as {@code uri} (its URI, possibly with
   * credentials removed), with {@code principal} (if not null) in {@code principalHeader}; a body of no declared
   * length is cut at {@code maxBodyBytes} (the caller checked a declared one);
   * {@code extraResponseHeaders} go on the response to the client. On the request's event loop.
   */
  public Future<Outcome> forward(HttpServerRequest request, boolean mayHaveBody, long maxBodyBytes, String uri,
                                 String basePath, CharSequence principalHeader, String principal,
                                 AddedHeaders extraResponseHeaders) {
    HttpHeaders upstreamHeaders;
    try {
      upstreamHeaders = upstreamHeaders(request, principalHeader, principal);
    } catch (UpstreamFailure refused) {
      return Future.failedFuture(refused);
    }
    EventLoop loop = ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
    Exchange exchange = new Exchange(this, request, !mayHaveBody, maxBodyBytes, uri, basePath, upstreamHeaders,
        extraResponseHeaders, loop);
    exchange.attempt();
    return exchange.result.future();
  }

  /**
   * Opens a WebSocket to the upstream for {@code request} (a {@link #isWebSocketUpgrade} one), with
   * the same headers a forwarded request gets; the outcome is the upstream's answer to the upgrade
   * (101 once both sides switched, or its refusal, passed on). On the request's event loop.
   */
  public Future<Outcome> tunnel(HttpServerRequest request, String uri, String basePath, CharSequence principalHeader,
                                String principal, AddedHeaders extraResponseHeaders) {
    HttpHeaders upstreamHeaders;
    try {
      upstreamHeaders = upstreamHeaders(request, principalHeader, principal);
    } catch (UpstreamFailure refused) {
      return Future.failedFuture(refused);
    }
    Tunnel tunnel = new Tunnel(this, request, uri, basePath, upstreamHeaders, extraResponseHeaders,
        ((ContextInternal) Vertx.currentContext()).nettyEventLoop());
    tunnel.attempt();
    return tunnel.result.future();
  }

  /** The upstream headers with the principal (if any) in {@code principalHeader}; a 502 when Netty's map refuses one. */
  private static HttpHeaders upstreamHeaders(HttpServerRequest request, CharSequence principalHeader,
                                             String principal) {
    try {
      HttpHeaders headers = upstreamHeaders(request);
      if (principal != null) {
        headers.set(principalHeader, PrincipalHeader.value(principal));
      }
      return headers;
    } catch (IllegalArgumentException invalid) { // a client's header Netty's map refuses (HTTP/2 copies into one)
      throw new UpstreamFailure(502, "upstream_error", "The request cannot be forwarded upstream", invalid);
    }
  }

  /** The request's path and query as {@code target} gets them: {@code basePath} taken off, its path prefix put on. */
  static String upstreamPath(String uri, String basePath, UpstreamPool.Target target) {
    String rest = uri.startsWith(basePath) ? uri.substring(basePath.length()) : uri;
    if (rest.isEmpty() || rest.startsWith("?")) {
      rest = "/" + rest;
    }
    return target.pathPrefix().isEmpty() ? rest : target.pathPrefix() + rest;
  }

  /** An HTTP/1.1 GET asking to switch to WebSocket (RFC 6455, 4.1); HTTP/2 has no such upgrade. */
  public static boolean isWebSocketUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader(HttpHeaderNames.UPGRADE);
    if (upgrade == null || !upgrade.trim().equalsIgnoreCase("websocket")
        || request.version() != io.vertx.core.http.HttpVersion.HTTP_1_1
        || request.method() != io.vertx.core.http.HttpMethod.GET) {
      return false;
    }
    for (String connection : request.headers().getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        if (token.trim().equalsIgnoreCase("upgrade")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the request can carry a body, asked once, before the hop-by-hop headers go
   * (Transfer-Encoding is one): HTTP/2 frames a body without either header; an HTTP/1.x request
   * with neither Content-Length nor Transfer-Encoding has none (RFC 9112, 6.3).
   */
  public static boolean mayHaveBody(HttpServerRequest request) {
    MultiMap headers = request.headers();
    return request.version() == io.vertx.core.http.HttpVersion.HTTP_2 || headers.contains(HttpHeaderNames.CONTENT_LENGTH)
        || headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
  }

  /**
   * The client's headers less hop-by-hop ones, with {@code X-Forwarded-*} and {@code Forwarded} set
   * ({@code Host} is set per URL). An HTTP/1.x request's own header map (Vert.x's is Netty's
   * {@link HttpHeaders}, validating names and values) is edited in place and sent on: no copy of
   * every header per request. HTTP/2 headers are copied into a new, validating map.
   */
  static HttpHeaders upstreamHeaders(HttpServerRequest request) {
    MultiMap from = request.headers();
    String connection = from.get(HttpHeaderNames.CONNECTION);
    Set<String> listed = listsNoNames(connection) ? Set.of() : connectionListed(from.getAll(HttpHeaderNames.CONNECTION));
    String priorFor = from.get(X_FORWARDED_FOR);
    String prior = from.get(FORWARDED);
    ForwardedValues values = forwardedValues(request); // before Host goes: the authority is read from it
    HttpHeaders to;
    if (from instanceof HttpHeaders own) {
      List<CharSequence> drop = null;
      for (Iterator<Map.Entry<CharSequence, CharSequence>> i = own.iteratorCharSequence(); i.hasNext(); ) {
        CharSequence name = i.next().getKey();
        if (notForwarded(name, listed)) {
          (drop == null ? drop = new ArrayList<>(4) : drop).add(name);
        }
      }
      if (drop != null) {
        drop.forEach(own::remove);
      }
      to = own;
    } else {
      to = DefaultHttpHeadersFactory.headersFactory().newHeaders(); // validates names and values
      for (Map.Entry<String, String> header : from) {
        if (!notForwarded(header.getKey(), listed)) {
          to.add(header.getKey(), header.getValue());
        }
      }
    }
    to.set(X_FORWARDED_FOR, priorFor == null ? values.client() : priorFor + ", " + values.client());
    to.set(X_FORWARDED_PROTO, values.proto());
    to.set(X_FORWARDED_HOST, values.authority());
    to.set(FORWARDED_NAME, prior == null ? values.forwarded() : prior + ", " + values.forwarded());
    return to;
  }

  /**
   * What the gateway says of a request's client and authority (X-Forwarded-For, -Proto, -Host, and
   * its Forwarded element), for the {@code host} it came with. A connection keeps the last ones:
   * a keep-alive client sends the same Host every time, and its address and scheme are the
   * connection's, so they are not formatted and joined anew per request.
   */
  private record ForwardedValues(HostAndPort host, String client, String proto, String authority, String forwarded) {}

  private static final AttributeKey<ForwardedValues> FORWARDED_VALUES = AttributeKey.valueOf("gantry.forwardedValues");

  private static ForwardedValues forwardedValues(HttpServerRequest request) {
    HostAndPort host = request.authority();
    Channel channel = ConnectionChannel.of(request);
    ForwardedValues known = channel == null ? null : channel.attr(FORWARDED_VALUES).get();
    if (known != null && Objects.equals(known.host(), host)) {
      return known;
    }
    String authority = host == null ? "" : host.toString(); // from Host, which goes
    String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    String proto = request.isSSL() ? "https" : "http";
    String node = client.contains(":") ? "\"[" + client + "]\"" : client;
    String forwarded = "for=" + node + ";proto=" + proto + (authority.isEmpty() ? "" : ";host=\"" + authority + "\"");
    ForwardedValues values = new ForwardedValues(host, client, proto, authority, forwarded);
    if (channel != null) {
      channel.attr(FORWARDED_VALUES).set(values);
    }
    return values;
  }

  /** Hop-by-hop, set by the gateway itself (X-Forwarded-*, Forwarded), or met by it (Expect: 100-continue). */
  private static boolean notForwarded(CharSequence name, Set<String> listed) {
    return hopByHop(name) || AsciiString.regionMatches(name, true, 0, X_FORWARDED, 0, X_FORWARDED.length())
        || AsciiString.contentEqualsIgnoreCase(name, FORWARDED) || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.EXPECT)
        || !listed.isEmpty() && listed.contains(name.toString());
  }

  /** The gateway's own X-Request-Id is on the response already; the upstream's echo of it is dropped. */
  private static boolean isRequestId(CharSequence name) {
    return name.length() == 12 && AsciiString.contentEqualsIgnoreCase(name, X_REQUEST_ID);
  }

  private static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
  private static final AsciiString X_FORWARDED = AsciiString.cached("x-forwarded-");
  private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
  // Set on every forwarded request, in the case they are sent in: made once, their hash with them.
  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
  private static final AsciiString FORWARDED_NAME = AsciiString.cached("Forwarded");

  /**
   * The upstream's headers less hop-by-hop ones and those the gateway sets itself ({@code replaced},
   * except Vary, which adds up), as they were decoded: no String made of each name and value.
   * {@code connection} is the upstream's Connection header. Returns whether it declared a Content-Length.
   */
  static boolean copyResponseHeaders(HttpHeaders from, String connection, AddedHeaders replaced, MultiMap to) {
    Set<String> listed = listsNoNames(connection) ? Set.of() : connectionListed(from.getAll(HttpHeaderNames.CONNECTION));
    boolean replacing = !replaced.isEmpty();
    boolean length = false;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> i = from.iteratorCharSequence(); i.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = i.next();
      CharSequence name = header.getKey();
      if (hopByHop(name) || !listed.isEmpty() && listed.contains(name.toString()) || isRequestId(name)
          || replacing && replaced.contains(name) && !AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.VARY)) {
        continue;
      }
      length |= AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LENGTH);
      to.add(name, header.getValue());
    }
    return length;
  }

  /** The hop-by-hop headers (RFC 9110, 7.6.1), and Host, which is the upstream URL's; by length first, ignoring case. */
  static boolean hopByHop(CharSequence name) {
    return switch (name.length()) {
      case 2 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TE);
      case 4 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST);
      case 7 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRAILER)
          || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE);
      case 10 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)
          || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.KEEP_ALIVE);
      case 16 -> AsciiString.contentEqualsIgnoreCase(name, PROXY_CONNECTION);
      case 17 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING);
      case 18 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.PROXY_AUTHENTICATE);
      case 19 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.PROXY_AUTHORIZATION);
      default -> false;
    };
  }

  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

  /** The usual Connection header (none, keep-alive, close) names nothing beyond the standard hop-by-hop headers. */
  static boolean listsNoNames(String connection) {
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
