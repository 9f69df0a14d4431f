package dev.gantry.toolkit.resolve;

import java.util.List;

/**
 * Cross-origin resource sharing of one operation, as the gateway enforces it (Fetch standard):
 * which origins may call, which methods and request headers a preflight admits, which response
 * headers scripts may read, whether credentials are allowed and how long a preflight is cached.
 *
 * <p>{@code allowOrigins} holds exact origins ({@code https://app.example.com}) or {@code *};
 * {@code allowMethods} empty means every method the path routes; {@code allowHeaders} may hold
 * {@code *} (any requested header is admitted); {@code maxAge} is in seconds or null.
 */
public record CorsPolicy(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                         List<String> exposeHeaders, boolean allowCredentials, Integer maxAge) {
  public CorsPolicy {
    allowOrigins = List.copyOf(allowOrigins);
    allowMethods = List.copyOf(allowMethods);
    allowHeaders = List.copyOf(allowHeaders);
    exposeHeaders = List.copyOf(exposeHeaders);
  }
}
