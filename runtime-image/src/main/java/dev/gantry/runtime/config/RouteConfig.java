package dev.gantry.runtime.config;

import java.util.List;

/**
 * One route of the bundle: method and full path template, upstream names, rate limit name (or
 * null) and security alternatives (any one admits; all schemes of one must pass; empty = public).
 * {@code basePath} is the prefix the gateway removes before appending the rest to an upstream URL;
 * {@code cors} is null when the route allows no cross-origin access. {@code maxBodyBytes} is the
 * route's own body limit, or the gateway's when the route sets none.
 */
public record RouteConfig(String method, String path, String operationId, List<String> upstreams, String rateLimit,
                          List<List<SchemeRef>> security, String basePath, CorsConfig cors, long maxBodyBytes) {

  /** A scheme name (a key of {@link GatewayConfig#security()}) and the scopes it demands. */
  public record SchemeRef(String scheme, List<String> scopes) {}

  public boolean isPublic() {
    return security.isEmpty() || security.stream().anyMatch(List::isEmpty);
  }

  /** Label for metrics and logs: the operationId, else "METHOD path". */
  public String label() {
    return operationId != null ? operationId : method + " " + path;
  }
}
