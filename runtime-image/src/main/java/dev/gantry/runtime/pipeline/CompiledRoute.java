package dev.gantry.runtime.pipeline;

import dev.gantry.runtime.config.RouteConfig;
import dev.gantry.runtime.ratelimit.RateLimiter;
import dev.gantry.runtime.upstream.Proxy;
import java.util.Set;

/**
 * A route with everything its requests need, resolved once at load: the proxy, the limiter (or
 * null) and the query parameters that carry credentials (API keys), which never go upstream.
 */
record CompiledRoute(RouteConfig config, Proxy proxy, RateLimiter limiter, Set<String> credentialParameters) {

  /** The request URI as the upstream gets it: without credential query parameters. */
  String forwardedUri(String uri) {
    int query = uri.indexOf('?');
    if (credentialParameters.isEmpty() || query < 0) {
      return uri;
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : uri.substring(query + 1).split("&")) {
      int equals = pair.indexOf('=');
      String name = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals),
          java.nio.charset.StandardCharsets.UTF_8);
      if (!credentialParameters.contains(name) && !pair.isEmpty()) {
        kept.append(kept.length() == 0 ? "" : "&").append(pair);
      }
    }
    return uri.substring(0, query) + (kept.length() == 0 ? "" : "?" + kept);
  }
}
