package dev.gantry.toolkit.resolve;

import dev.gantry.crds.v1alpha1.EndpointSpec;
import dev.gantry.crds.v1alpha1.RateLimitSpec;
import dev.gantry.crds.v1alpha1.SecuritySpec;
import dev.gantry.toolkit.openapi.LoadedDefinition;
import dev.gantry.toolkit.problem.Problem;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Looks up the resources a definition names. A missing name is reported at the place that names
 * it (and says so when a resource of another kind has that name); a found resource is checked
 * once, and remembered as used so that only used resources reach the bundle.
 */
final class References {
  private final ResourceSet resources;
  private final ResourceValidator validator;
  private final List<Problem> out;
  private final SortedMap<String, EndpointSpec> endpoints = new TreeMap<>();
  private final SortedMap<String, RateLimitSpec> rateLimits = new TreeMap<>();
  private final SortedMap<String, SecuritySpec> securities = new TreeMap<>();
  private final java.util.Set<String> invalid = new java.util.HashSet<>();

  References(ResourceSet resources, List<Problem> out) {
    this.resources = resources;
    this.validator = new ResourceValidator(resources);
    this.out = out;
  }

  EndpointSpec endpoint(LoadedDefinition definition, String name, List<String> at) {
    return find(definition, name, at, ResourceSet.Kind.Endpoint, resources.endpoint(name), endpoints,
        located -> validator.endpoint(name, located, located.resource().getSpec()),
        located -> located.resource().getSpec());
  }

  RateLimitSpec rateLimit(LoadedDefinition definition, String name, List<String> at) {
    return find(definition, name, at, ResourceSet.Kind.RateLimit, resources.rateLimit(name), rateLimits,
        located -> validator.rateLimit(name, located, located.resource().getSpec()),
        located -> located.resource().getSpec());
  }

  SecuritySpec security(LoadedDefinition definition, String name, List<String> at) {
    return find(definition, name, at, ResourceSet.Kind.Security, resources.security(name), securities,
        located -> validator.security(name, located, located.resource().getSpec()),
        located -> located.resource().getSpec());
  }

  boolean hasEndpoint(String name) {
    return resources.endpoint(name).isPresent();
  }

  /**
   * An Endpoint made from URLs written in a definition (WSO2's inline endpoints). An Endpoint
   * resource of the same name wins, so a cluster can still replace the URLs; returns false when
   * the Endpoint cannot be used (reported).
   */
  boolean syntheticEndpoint(LoadedDefinition definition, String name, EndpointSpec spec, List<String> at) {
    String where = String.join(".", at);
    if (resources.endpoint(name).isPresent()) {
      EndpointSpec real = endpoint(definition, name, at);
      if (real != null && !spec.getUrls().equals(real.getUrls())) {
        out.add(Problem.warning(definition.file().name(), definition.lineOf(at), where, "Endpoint \"" + name
            + "\" (from " + resources.endpoint(name).get().source() + ") is used instead of these URLs"));
      }
      return real != null;
    }
    EndpointSpec earlier = endpoints.get(name);
    if (earlier != null) {
      if (!earlier.getUrls().equals(spec.getUrls())) {
        out.add(Problem.error(definition.file().name(), definition.lineOf(at), where, "these URLs would become "
            + "Endpoint \"" + name + "\", which other URLs of the definition already are; use an "
            + Extensions.WSO2_ENDPOINTS + " entry with its own name"));
        return false;
      }
      return true;
    }
    dev.gantry.crds.v1alpha1.Endpoint endpoint = new dev.gantry.crds.v1alpha1.Endpoint();
    endpoint.setSpec(spec);
    List<Problem> problems = validator.endpoint(name, new Located<>(endpoint, definition.file().name()), spec);
    if (!problems.isEmpty()) {
      // Located at the definition: the user wrote these URLs there, not in a resource.
      problems.forEach(p -> out.add(Problem.error(definition.file().name(), definition.lineOf(at), where,
          "inline endpoint (as " + p.path() + "): " + p.message())));
      return false;
    }
    endpoints.put(name, spec);
    return true;
  }

  SortedMap<String, EndpointSpec> usedEndpoints() {
    return endpoints;
  }

  SortedMap<String, RateLimitSpec> usedRateLimits() {
    return rateLimits;
  }

  SortedMap<String, SecuritySpec> usedSecurities() {
    return securities;
  }

  private <R, S> S find(LoadedDefinition definition, String name, List<String> at, ResourceSet.Kind kind,
                        Optional<Located<R>> found, SortedMap<String, S> used,
                        java.util.function.Function<Located<R>, List<Problem>> check,
                        java.util.function.Function<Located<R>, S> spec) {
    String key = kind + "/" + name;
    if (found.isEmpty()) {
      out.add(Problem.error(definition.file().name(), definition.lineOf(at), String.join(".", at),
          kind + " \"" + name + "\" not found" + otherKinds(name, kind)));
      return null;
    }
    if (used.containsKey(name)) {
      return used.get(name);
    }
    if (invalid.contains(key)) {
      return null;
    }
    List<Problem> problems = check.apply(found.get());
    if (!problems.isEmpty()) {
      invalid.add(key);
      out.addAll(problems);
      return null;
    }
    S value = spec.apply(found.get());
    used.put(name, value);
    return value;
  }

  private String otherKinds(String name, ResourceSet.Kind wanted) {
    List<ResourceSet.Kind> others = resources.kindsNamed(name).stream().filter(k -> k != wanted).toList();
    if (others.isEmpty()) {
      return "";
    }
    return " (there is " + others.stream().map(References::withArticle).collect(Collectors.joining(" and "))
        + " of that name: wrong kind)";
  }

  private static String withArticle(ResourceSet.Kind kind) {
    return ("AEIOU".indexOf(kind.name().charAt(0)) >= 0 ? "an " : "a ") + kind.name();
  }
}
