package dev.gantry.runtime.pipeline;

import dev.gantry.runtime.observe.AccessLog;
import dev.gantry.runtime.ratelimit.RateLimiter;
import dev.gantry.runtime.routing.RouteMatch;
import dev.gantry.runtime.security.AccessDenied;
import dev.gantry.runtime.security.Principal;
import dev.gantry.runtime.upstream.AddedHeaders;
import dev.gantry.runtime.upstream.Proxy;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The request path, in order: guard (sizes, framing, target) → CORS preflight (204/403, routes with
 * CORS only) → route (404/405) → body limit and expectation (413/417) → security (401/403) → rate
 * limit (429) → proxy, or a WebSocket tunnel for an upgrade (502/503/504 when upstreams fail). Each
 * step either passes the request on or answers it; every answer is counted and logged in one place.
 */
public final class GatewayHandler implements Handler<HttpServerRequest> {
  // Names set on every answer of a limited route: made once, their hash with them.
  private static final AsciiString RATELIMIT_LIMIT = AsciiString.cached("RateLimit-Limit");
  private static final AsciiString RATELIMIT_REMAINING = AsciiString.cached("RateLimit-Remaining");
  private static final AsciiString RATELIMIT_RESET = AsciiString.cached("RateLimit-Reset");
  /** How long the rest of a body refused for its framing may take to be read and dropped before the close. */
  private static final Duration FRAMING_REFUSAL_CLOSE = Duration.ofSeconds(10);
  private final AtomicReference<CompiledGateway> current;
  private final AccessLog accessLog;

  public GatewayHandler(CompiledGateway gateway, AccessLog accessLog) {
    this.current = new AtomicReference<>(gateway);
    this.accessLog = accessLog;
  }

  /** Swaps in another bundle; requests already running finish on the one they started with. */
  public CompiledGateway swap(CompiledGateway next) {
    return current.getAndSet(next);
  }

  /** Swaps in {@code next} only if {@code expected} is still served (a reload may have replaced it meanwhile). */
  public boolean replace(CompiledGateway expected, CompiledGateway next) {
    return current.compareAndSet(expected, next);
  }

  public CompiledGateway current() {
    return current.get();
  }

  @Override
  public void handle(HttpServerRequest request) {
    CompiledGateway gateway = current.get();
    long start = System.nanoTime();
    RequestGuard.Refusal refusal = gateway.guard().check(request); // on the client's fields alone
    RequestId.assign(request);
    if (refusal != null) {
      if (refusal.framing() && request.version() != HttpVersion.HTTP_2) {
        LastAnswer.on(request, FRAMING_REFUSAL_CLOSE);
      }
      answer(gateway, request, start, "-", refusal.status(), refusal.error(), refusal.message(), null);
      return;
    }
    String targetAuthority = RequestGuard.targetAuthority(request.uri());
    if (targetAuthority != null) { // absolute form: its authority is the request's (RFC 9112 3.2.2), sent on as Host
      request.headers().set(HttpHeaderNames.HOST, targetAuthority);
    }
    if (Cors.isPreflight(request) && preflight(gateway, request, start)) {
      return;
    }
    RouteMatch<CompiledRoute> match = gateway.routes().match(request.method().name(), request.path());
    if (match instanceof RouteMatch.NotFound<CompiledRoute>) {
      answer(gateway, request, start, "-", 404, "not_found", "No route for this path", null);
    } else if (match instanceof RouteMatch.MethodNotAllowed<CompiledRoute> notAllowed) {
      request.response().putHeader("Allow", String.join(", ", notAllowed.allowed()));
      answer(gateway, request, start, "-", 405, "method_not_allowed", "This path does not accept this method", null);
    } else if (match instanceof RouteMatch.Found<CompiledRoute> found) {
      CompiledRoute route = found.route();
      boolean mayHaveBody = Proxy.mayHaveBody(request);
      if (mayHaveBody) { // a bodiless request has nothing to hold back; pausing would only queue its end
        RequestGuard.Refusal refused = RequestGuard.bodyTooLarge(request, route.config().maxBodyBytes());
        if (refused == null) {
          refused = RequestGuard.unmetExpectation(request);
        }
        if (refused != null) {
          answer(gateway, request, start, route.config().label(), refused.status(), refused.error(),
              refused.message(), null);
          return;
        }
        request.pause(); // security may be asynchronous; the body waits for the proxy
      }
      if (route.config().cors() != null) {
        request.response().headers().addAll(Cors.actual(route.config().cors(), request));
      }
      // Asked here, while the request still has its hop-by-hop fields (the proxy takes Upgrade and Connection off).
      boolean webSocket = !mayHaveBody && Proxy.isWebSocketUpgrade(request);
      gateway.security().check(request, route.config().security()).onComplete(result -> {
        if (result.succeeded()) {
          admitted(gateway, route, request, mayHaveBody, webSocket, start, result.result());
        } else {
          denied(gateway, route, request, start, result.cause());
        }
      });
    }
  }

  /**
   * Answers a CORS preflight for the route of the method it asks about, when that route has CORS;
   * returns false to let any other OPTIONS request take the normal path (405, or an OPTIONS operation).
   */
  private boolean preflight(CompiledGateway gateway, HttpServerRequest request, long start) {
    RouteMatch<CompiledRoute> asked = gateway.routes().match(request.getHeader(Cors.REQUEST_METHOD).trim(),
        request.path());
    if (!(asked instanceof RouteMatch.Found<CompiledRoute> found) || found.route().config().cors() == null) {
      return false;
    }
    String operation = found.route().config().label();
    MultiMap headers = Cors.preflight(found.route().config().cors(), request);
    if (headers == null) {
      request.response().headers().addAll(Cors.refused(found.route().config().cors()));
      answer(gateway, request, start, operation, 403, "cors_rejected",
          "This origin, method or header is not allowed cross-origin", null);
    } else {
      request.response().headers().addAll(headers);
      request.response().setStatusCode(204).end();
      finished(gateway, request, start, operation, 204, null, null);
    }
    return true;
  }

  private void denied(CompiledGateway gateway, CompiledRoute route, HttpServerRequest request, long start,
                      Throwable cause) {
    String operation = route.config().label();
    if (cause instanceof AccessDenied denied) {
      denied.challenges().forEach(c -> request.response().headers().add("WWW-Authenticate", c));
      gateway.metrics().authFailure(operation, denied.status());
      String error = denied.status() == 403 ? "insufficient_scope" : denied.status() == 401 ? "unauthorized"
          : "auth_unavailable";
      String message = denied.status() == 403 ? "The credentials lack a required scope"
          : denied.status() == 401 ? "Missing or invalid credentials" : "Credentials cannot be checked right now";
      answer(gateway, request, start, operation, denied.status(), error, message, null);
    } else {
      gateway.metrics().authFailure(operation, 500);
      answer(gateway, request, start, operation, 500, "internal_error", "Security check failed", null);
    }
  }

  private void admitted(CompiledGateway gateway, CompiledRoute route, HttpServerRequest request, boolean mayHaveBody,
                        boolean webSocket, long start, Principal principal) {
    String operation = route.config().label();
    String principalName = principal == null ? null : principal.name();
    AddedHeaders responseHeaders = new AddedHeaders();
    if (route.config().cors() != null) { // from here on they go with the upstream's answer (see Proxy)
      responseHeaders.addAll(Cors.actual(route.config().cors(), request)).removeFrom(request.response().headers());
    }
    RateLimiter limiter = route.limiter();
    if (limiter != null) {
      RateLimiter.Decision decision = limiter.tryConsume(operation,
          limiter.perConsumer() ? consumerKey(limiter, request, principal) : null);
      responseHeaders.set(RATELIMIT_LIMIT, limiter.limitHeader())
          .set(RATELIMIT_REMAINING, Long.toString(decision.remaining()))
          .set(RATELIMIT_RESET, Long.toString(decision.resetSeconds()));
      if (!decision.allowed()) {
        responseHeaders.addTo(request.response().headers());
        request.response().headers().set("Retry-After", Long.toString(decision.retryAfterSeconds()));
        gateway.metrics().rateLimited(limiter.config().name());
        answer(gateway, request, start, operation, 429, "rate_limited", "Quota exceeded: retry later", principalName);
        return;
      }
    }
    if (mayHaveBody && request.headers().contains(HttpHeaderNames.EXPECT)) {
      // The client waits for a go-ahead before its body: admitted now, it gets one from the gateway
      // (an upstream's own 100 stops here, and Expect is not passed on; see Proxy).
      request.response().writeContinue();
    }
    AsciiString principalHeader = gateway.principalHeader();
    request.headers().remove(principalHeader); // a client must never choose its own identity
    String uri = route.forwardedUri(RequestGuard.originForm(request.uri()));
    Future<Proxy.Outcome> proxied = webSocket
        ? route.proxy().tunnel(request, uri, route.config().basePath(), principalHeader, principalName, responseHeaders)
        : route.proxy().forward(request, mayHaveBody, route.config().maxBodyBytes(), uri, route.config().basePath(),
            principalHeader, principalName, responseHeaders);
    proxied.onComplete(result -> {
      if (result.succeeded()) {
        Proxy.Outcome outcome = result.result();
        gateway.metrics().upstream(outcome.upstream(), outcome.upstreamNanos());
        finished(gateway, request, start, operation, outcome.status(), principalName, outcome.upstream());
      } else if (result.cause() instanceof Proxy.UpstreamFailure failure) {
        answer(gateway, request, start, operation, failure.status(), failure.error(), failure.getMessage(),
            principalName);
      } else {
        answer(gateway, request, start, operation, 502, "upstream_error", "The upstream exchange failed", principalName);
      }
    });
  }

  /** How much of an unwanted HTTP/1.x body is read and dropped before its connection is closed. */
  static final long DISCARD_LIMIT_BYTES = 1024 * 1024;

  /**
   * A request answered before its body ended (a 404, 401, 413, an upstream's early answer) has the
   * rest of its body stopped once the answer is complete:
   * <ul>
   *   <li>HTTP/2: the stream is reset with NO_ERROR, which asks the client to stop sending (RFC 9113,
   *   8.1). Left open, it would hold one of the connection's stream slots for as long as the client
   *   liked: its unread body exempts it from the body deadline.</li>
   *   <li>HTTP/1.x: the request is resumed and the rest of its body read and dropped, so the
   *   connection can serve the next request; past {@value #DISCARD_LIMIT_BYTES} bytes more it is
   *   closed (an endless chunked body nothing wants). Not closed at once: a client still sending
   *   would get a reset that can cost it the answer it has not read yet. Resuming also matters for
   *   memory: Vert.x keeps what it read for a paused connection in a queue its close does not free,
   *   pooled direct buffers (Netty's leak detector found them lost after a chunked body was cut at
   *   the limit); resumed, it hands them over, copied, and frees them.</li>
   * </ul>
   */
  public static void stopUnwantedBody(HttpServerRequest request) {
    if (request.isEnded() || !request.response().ended() || request.response().closed()) {
      return;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      request.response().reset(0);
      return;
    }
    io.vertx.core.http.HttpConnection connection = request.connection();
    long[] dropped = {0};
    request.handler(chunk -> {
      if ((dropped[0] += chunk.length()) > DISCARD_LIMIT_BYTES) {
        connection.close();
      }
    });
    request.resume();
  }

  /**
   * A consumer is the configured header's value or token claim, else the principal, else the client
   * address (a consumer quota on a public operation without a key would otherwise count nobody).
   */
  private static String consumerKey(RateLimiter limiter, HttpServerRequest request, Principal principal) {
    String header = limiter.config().keyHeader();
    if (header != null && request.getHeader(header) != null) {
      return "h:" + request.getHeader(header);
    }
    String claim = limiter.config().keyClaim();
    if (claim != null && principal != null && principal.claims().containsKey(claim)) {
      return "c:" + principal.claims().get(claim);
    }
    if (principal != null) {
      return "p:" + principal.name();
    }
    return "ip:" + (request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress());
  }

  private void answer(CompiledGateway gateway, HttpServerRequest request, long start, String operation, int status,
                      String error, String message, String principal) {
    ErrorResponses.send(request.response(), status, error, message);
    finished(gateway, request, start, operation, status, principal, null);
  }

  private void finished(CompiledGateway gateway, HttpServerRequest request, long start, String operation, int outcome,
                        String principal, String upstream) {
    stopUnwantedBody(request);
    long nanos = System.nanoTime() - start;
    int status = DeadlineAnswer.status(request, outcome); // 0: the client went away, or a deadline answered it
    gateway.metrics().request(operation, status, nanos);
    if (accessLog.enabled()) { // the client's address is a new string per request: only when it is written
      accessLog.log(request.response().headers().get(RequestId.HEADER), request.method().name(), request.path(),
          status, nanos, operation, principal, upstream,
          request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
    }
  }
}
