package dev.gantry.runtime.security;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who a request was authenticated as: a name safe to log and forward (never a credential), the
 * scopes the credential grants (empty for schemes without scopes), the scheme that admitted it,
 * and, for tokens, their scalar claims (so a RateLimit can count per claim, e.g. per tenant).
 */
public record Principal(String name, Set<String> scopes, String scheme, Map<String, String> claims) {

  public Principal {
    scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    claims = claims == null ? Map.of() : Map.copyOf(claims);
  }

  public Principal(String name, Set<String> scopes, String scheme) {
    this(name, scopes, scheme, Map.of());
  }

  /** True if every required scope is granted; null or empty requires nothing. */
  public boolean hasScopes(Collection<String> required) {
    return required == null || scopes.containsAll(required);
  }

  /** Top-level claims whose values are strings, numbers or booleans, as strings. */
  public static Map<String, String> scalarClaims(Map<String, ?> claims) {
    Map<String, String> out = new TreeMap<>();
    claims.forEach((name, value) -> {
      if (value instanceof String || value instanceof Number || value instanceof Boolean) {
        out.put(name, String.valueOf(value));
      }
    });
    return out;
  }
}
