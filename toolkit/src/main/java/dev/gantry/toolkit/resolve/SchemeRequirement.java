package dev.gantry.toolkit.resolve;

import java.util.List;

/** One named Security scheme of a security requirement, with the scopes it demands (JWT/OAuth2 only). */
public record SchemeRequirement(String scheme, List<String> scopes) {
  public SchemeRequirement {
    scopes = List.copyOf(scopes);
  }
}
