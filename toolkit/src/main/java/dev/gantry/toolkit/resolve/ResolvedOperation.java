package dev.gantry.toolkit.resolve;

import java.util.Comparator;
import java.util.List;

/**
 * One route of the gateway after resolution: method and full path (base path joined), where it
 * was declared, the Endpoints it proxies to, its RateLimit (or null) and its security.
 *
 * <p>{@code security} follows OpenAPI: any one of the listed alternatives admits a request, and
 * all schemes within one alternative must pass. An empty list means the operation is public; an
 * empty alternative means anonymous access is one of the choices. {@code cors} is null when the
 * operation declares no cross-origin access; {@code maxBodyBytes} is null when it sets no body limit
 * of its own (the API's applies, {@link ApiLimits#maxBodyBytes()}).
 */
public record ResolvedOperation(
    String method,
    String path,
    String basePath,
    String definition,
    String definitionPath,
    String operationId,
    List<String> endpoints,
    String rateLimit,
    List<List<SchemeRequirement>> security,
    CorsPolicy cors,
    Long maxBodyBytes) {

  public static final Comparator<ResolvedOperation> ORDER =
      Comparator.comparing(ResolvedOperation::path).thenComparing(ResolvedOperation::method);

  public ResolvedOperation {
    endpoints = List.copyOf(endpoints);
    security = security.stream().map(List::copyOf).toList();
  }

  public boolean isPublic() {
    return security.isEmpty() || security.stream().anyMatch(List::isEmpty);
  }

  /** Where the user declared it, e.g. {@code paths./pets/{id}.get}. */
  public String location() {
    return "paths." + definitionPath + "." + method.toLowerCase(java.util.Locale.ROOT);
  }
}
