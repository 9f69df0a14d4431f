package dev.gantry.runtime.security;

import dev.gantry.runtime.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the authenticator for each configured scheme; any problem stops the gateway from starting. */
public final class Authenticators {

  private Authenticators() {}

  /** @throws SecurityConfigException naming the scheme (and file) when the scheme cannot be enforced */
  public static Authenticator create(SecurityConfig config, Vertx vertx) {
    if (config.type() == null) {
      throw SecurityConfigException.of(config, "type is missing");
    }
    return switch (config.type()) {
      case JWT -> new JwtAuthenticator(config, vertx);
      case OAUTH2 -> new OAuth2IntrospectionAuthenticator(config, vertx);
      case BASIC -> new BasicAuthenticator(config, vertx);
      case APIKEY -> new ApiKeyAuthenticator(config);
      case MTLS -> new MtlsAuthenticator(config);
    };
  }

  /** One authenticator per scheme name; if one fails, those already built are closed. */
  public static Map<String, Authenticator> createAll(Map<String, SecurityConfig> schemes, Vertx vertx) {
    Map<String, Authenticator> created = new LinkedHashMap<>();
    try {
      schemes.forEach((name, config) -> created.put(name, create(config, vertx)));
      return created;
    } catch (RuntimeException e) {
      closeAll(created.values());
      throw e;
    }
  }

  public static Future<Void> closeAll(Collection<Authenticator> authenticators) {
    return Future.join(authenticators.stream().map(Authenticator::close).toList()).mapEmpty();
  }
}
