package dev.gantry.runtime.security;

import java.util.Collection;
import java.util.Set;

/**
 * Who a request was authenticated as: a name safe to log and forward (never a credential), the
 * scopes the credential grants (empty for schemes without scopes) and the scheme that admitted it.
 */
public record Principal(String name, Set<String> scopes, String scheme) {

  public Principal {
    scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
  }

  /** True if every required scope is granted; null or empty requires nothing. */
  public boolean hasScopes(Collection<String> required) {
    return required == null || scopes.containsAll(required);
  }
}
