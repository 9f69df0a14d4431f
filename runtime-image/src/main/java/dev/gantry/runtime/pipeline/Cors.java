package dev.gantry.runtime.pipeline;

import dev.gantry.runtime.config.CorsConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CORS as the Fetch standard has it, for routes that declare it. A preflight ({@code OPTIONS} with
 * {@code Origin} and {@code Access-Control-Request-Method}) is answered by the gateway itself, before
 * security (browsers send no credentials on a preflight); actual requests get
 * {@code Access-Control-Allow-Origin} and friends on every answer, the upstream's or the gateway's own
 * (so scripts can read a 401 or 429), and {@code Vary: Origin} whenever the answer depends on it.
 */
final class Cors {
  static final String ORIGIN = "Origin";
  static final String REQUEST_METHOD = "Access-Control-Request-Method";
  static final String REQUEST_HEADERS = "Access-Control-Request-Headers";

  private Cors() {}

  static boolean isPreflight(HttpServerRequest request) {
    return request.method() == HttpMethod.OPTIONS && request.getHeader(ORIGIN) != null
        && request.getHeader(REQUEST_METHOD) != null;
  }

  /** The headers of an admitted preflight (answered 204), or null when the preflight is refused. */
  static MultiMap preflight(CorsConfig cors, HttpServerRequest request) {
    String origin = request.getHeader(ORIGIN);
    String method = request.getHeader(REQUEST_METHOD).trim();
    List<String> requested = headerNames(request.getHeader(REQUEST_HEADERS));
    boolean methodAllowed = cors.allowMethods().isEmpty() || cors.allowMethods().contains(method);
    boolean anyHeader = cors.allowHeaders().contains("*");
    boolean headersAllowed = anyHeader || requested.stream()
        .allMatch(h -> cors.allowHeaders().stream().anyMatch(a -> a.equalsIgnoreCase(h)));
    if (!cors.allows(origin) || !methodAllowed || !headersAllowed) {
      return null;
    }
    MultiMap headers = allowOrigin(cors, origin);
    headers.set("Access-Control-Allow-Methods", cors.allowMethods().isEmpty() ? method
        : String.join(", ", cors.allowMethods()));
    String allowHeaders = anyHeader ? String.join(", ", requested) : String.join(", ", cors.allowHeaders());
    if (!allowHeaders.isEmpty()) {
      headers.set("Access-Control-Allow-Headers", allowHeaders);
    }
    if (cors.maxAge() != null) {
      headers.set("Access-Control-Max-Age", Integer.toString(cors.maxAge()));
    }
    headers.add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers");
    return headers;
  }

  /** Headers for any answer to an actual (non-preflight) request on a route with CORS. */
  static MultiMap actual(CorsConfig cors, HttpServerRequest request) {
    String origin = request.getHeader(ORIGIN);
    if (origin == null || !cors.allows(origin)) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      if (!onlyWildcard(cors)) {
        headers.set("Vary", ORIGIN);
      }
      return headers;
    }
    MultiMap headers = allowOrigin(cors, origin);
    if (!cors.exposeHeaders().isEmpty()) {
      headers.set("Access-Control-Expose-Headers", String.join(", ", cors.exposeHeaders()));
    }
    return headers;
  }

  /** Vary for a refused preflight, so a cache does not hand the refusal to another origin. */
  static MultiMap refused(CorsConfig cors) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    return headers;
  }

  private static MultiMap allowOrigin(CorsConfig cors, String origin) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    // "*" only without credentials: browsers reject a credentialed answer with a wildcard origin.
    headers.set("Access-Control-Allow-Origin", onlyWildcard(cors) ? "*" : origin);
    if (cors.allowCredentials()) {
      headers.set("Access-Control-Allow-Credentials", "true");
    }
    if (!onlyWildcard(cors)) {
      headers.add("Vary", ORIGIN);
    }
    return headers;
  }

  private static boolean onlyWildcard(CorsConfig cors) {
    return cors.anyOrigin() && !cors.allowCredentials();
  }

  private static List<String> headerNames(String value) {
    List<String> names = new ArrayList<>();
    if (value != null) {
      for (String name : value.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }
}
