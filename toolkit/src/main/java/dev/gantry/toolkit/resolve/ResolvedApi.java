package dev.gantry.toolkit.resolve;

import dev.gantry.crds.v1alpha1.EndpointSpec;
import dev.gantry.crds.v1alpha1.RateLimitSpec;
import dev.gantry.crds.v1alpha1.SecuritySpec;
import dev.gantry.toolkit.openapi.DefinitionFile;
import java.util.List;
import java.util.SortedMap;

/**
 * An API whose every reference was found and checked: the input of the bundle compiler. Maps are
 * sorted by name and operations by path and method, so the compiler sees one order only.
 */
public record ResolvedApi(
    ApiIdentity identity,
    List<DefinitionFile> definitions,
    List<ResolvedOperation> operations,
    SortedMap<String, EndpointSpec> endpoints,
    SortedMap<String, RateLimitSpec> rateLimits,
    SortedMap<String, SecuritySpec> securities,
    ApiLimits limits) {

  public ResolvedApi {
    definitions = List.copyOf(definitions);
    operations = operations.stream().sorted(ResolvedOperation.ORDER).toList();
  }
}
