package dev.gantry.runtime.config;

import java.util.List;

/**
 * Cross-origin access of one route: exact origins or {@code *}; methods (empty = the routed ones);
 * request headers a preflight admits ({@code *} = any); response headers scripts may read;
 * whether credentials are allowed; preflight cache seconds (null = the browser's default).
 */
public record CorsConfig(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                         List<String> exposeHeaders, boolean allowCredentials, Integer maxAge) {

  public boolean anyOrigin() {
    return allowOrigins.contains("*");
  }

  /** Origins are compared as browsers serialize them, ignoring case of scheme and host. */
  public boolean allows(String origin) {
    return origin != null && (anyOrigin() && !"null".equals(origin)
        || allowOrigins.stream().anyMatch(o -> o.equalsIgnoreCase(origin)));
  }
}
