package dev.gantry.toolkit.resolve;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The resources an API may reference, by name. Of a Secret only its name and key names are kept:
 * no value is held here, so none can leak into a bundle.
 */
public final class ResourceSet {
  private final Map<String, Located<Endpoint>> endpoints = new TreeMap<>();
  private final Map<String, Located<RateLimit>> rateLimits = new TreeMap<>();
  private final Map<String, Located<Security>> securities = new TreeMap<>();
  private final Map<String, Located<Api>> apis = new TreeMap<>();
  private final Map<String, Located<Set<String>>> secretKeys = new TreeMap<>();
  private boolean secretsKnown;

  /** Kinds of the resources a reference can name, as users write them. */
  public enum Kind {
    Endpoint, RateLimit, Security, API, Secret
  }

  public Optional<Located<Endpoint>> endpoint(String name) {
    return Optional.ofNullable(endpoints.get(name));
  }

  public Optional<Located<RateLimit>> rateLimit(String name) {
    return Optional.ofNullable(rateLimits.get(name));
  }

  public Optional<Located<Security>> security(String name) {
    return Optional.ofNullable(securities.get(name));
  }

  public List<Located<Api>> apis() {
    return List.copyOf(apis.values());
  }

  /** Key names of a Secret, or empty when no Secret of that name is known. */
  public Optional<Located<Set<String>>> secret(String name) {
    return Optional.ofNullable(secretKeys.get(name));
  }

  /** Key names of every known Secret, by name. */
  public Map<String, Set<String>> secretKeyNames() {
    Map<String, Set<String>> out = new TreeMap<>();
    secretKeys.forEach((name, keys) -> out.put(name, keys.resource()));
    return out;
  }

  /**
   * True when Secrets were supplied (a cluster, or Secret documents among the files): only then
   * is a reference to a missing Secret an error rather than something checked at deploy time.
   */
  public boolean secretsKnown() {
    return secretsKnown;
  }

  /** Which kinds hold a resource called {@code name}, to say "wrong kind" instead of "missing". */
  public List<Kind> kindsNamed(String name) {
    List<Kind> kinds = new ArrayList<>();
    if (endpoints.containsKey(name)) {
      kinds.add(Kind.Endpoint);
    }
    if (rateLimits.containsKey(name)) {
      kinds.add(Kind.RateLimit);
    }
    if (securities.containsKey(name)) {
      kinds.add(Kind.Security);
    }
    if (apis.containsKey(name)) {
      kinds.add(Kind.API);
    }
    if (secretKeys.containsKey(name)) {
      kinds.add(Kind.Secret);
    }
    return kinds;
  }

  /** Adds a resource; returns the earlier one of the same kind and name if there was one. */
  public Optional<String> add(Object resource, String name, String source) {
    Located<?> previous;
    if (resource instanceof Endpoint e) {
      previous = endpoints.putIfAbsent(name, new Located<>(e, source));
    } else if (resource instanceof RateLimit r) {
      previous = rateLimits.putIfAbsent(name, new Located<>(r, source));
    } else if (resource instanceof Security s) {
      previous = securities.putIfAbsent(name, new Located<>(s, source));
    } else if (resource instanceof Api a) {
      previous = apis.putIfAbsent(name, new Located<>(a, source));
    } else {
      throw new IllegalArgumentException("not a Gantry resource: " + resource);
    }
    return Optional.ofNullable(previous).map(Located::source);
  }

  /** Records that a Secret exists with these keys. */
  public Optional<String> addSecret(String name, Set<String> keys, String source) {
    secretsKnown = true;
    Located<Set<String>> previous =
        secretKeys.putIfAbsent(name, new Located<>(Set.copyOf(new TreeSet<>(keys)), source));
    return Optional.ofNullable(previous).map(Located::source);
  }

  /** Says Secrets are known even if there are none (for example, read from a cluster). */
  public void markSecretsKnown() {
    secretsKnown = true;
  }
}
