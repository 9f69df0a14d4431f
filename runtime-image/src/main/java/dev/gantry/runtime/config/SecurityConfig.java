package dev.gantry.runtime.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One Security scheme as this gateway enforces it: the type from the bundle, the settings from
 * the environment, Secret references already turned into the paths of mounted files. Exactly the
 * block matching {@code type} is non-null.
 */
public record SecurityConfig(String name, Type type, Jwt jwt, OAuth2 oauth2, Basic basic, ApiKey apikey, Mtls mtls) {

  public enum Type { JWT, OAUTH2, BASIC, APIKEY, MTLS }

  /** {@code jwksUrl} or {@code certificateFile} (PEM certificate or public key), never both. */
  public record Jwt(String issuer, List<String> audiences, URI jwksUrl, Path certificateFile, Duration clockSkew,
                    String principalClaim) {}

  /** RFC 7662 introspection with client credentials; results cached for {@code cacheTtl}. */
  public record OAuth2(URI introspectionUrl, String clientId, Path clientSecretFile, Duration cacheTtl) {}

  /** An htpasswd file (bcrypt hashes), one {@code user:hash} per line. */
  public record Basic(Path credentialsFile, String realm) {}

  /** {@code in} is "header" or "query"; the keys file holds one key per line, optionally {@code consumer:key}. */
  public record ApiKey(String in, String name, Path keysFile) {}

  /** Client certificates must chain to the CA in {@code caFile}; {@code principalFrom} is cn (default) or dn. */
  public record Mtls(Path caFile, String principalFrom) {}
}
