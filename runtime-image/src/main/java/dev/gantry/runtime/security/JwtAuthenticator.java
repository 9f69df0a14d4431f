package dev.gantry.runtime.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gantry.runtime.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bearer JWTs signed with an asymmetric key from a JWKS URL or a PEM file. Checks signature, iss,
 * aud (any configured value), exp (required) and nbf with clock skew. Verified tokens are cached
 * (salted digest, until exp, at most 5 min, 10k entries), so only a token's first use pays for
 * crypto; that first check runs on a worker thread because it may also fetch the JWKS.
 */
public final class JwtAuthenticator implements Authenticator {

  static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
  static final String DEFAULT_PRINCIPAL_CLAIM = "sub";
  private static final Duration CACHE_TTL = Duration.ofMinutes(5);
  private static final int CACHE_SIZE = 10_000;

  private final Vertx vertx;
  private final String scheme;
  private final String principalClaim;
  private final AsymmetricKeySelector keys;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final PrincipalCache verified = new PrincipalCache(CACHE_SIZE, CACHE_TTL);
  private final LongAdder verifications = new LongAdder();

  public JwtAuthenticator(SecurityConfig config, Vertx vertx) {
    SecurityConfig.Jwt jwt = config.jwt();
    if (jwt == null) {
      throw SecurityConfigException.of(config, "jwt settings are missing");
    }
    if (jwt.issuer() == null || jwt.issuer().isBlank()) {
      throw SecurityConfigException.of(config, "issuer is required");
    }
    if ((jwt.jwksUrl() == null) == (jwt.certificateFile() == null)) {
      throw SecurityConfigException.of(config, "set exactly one of jwksUrl or certificateFile");
    }
    this.vertx = vertx;
    this.scheme = config.name();
    this.principalClaim = jwt.principalClaim() == null || jwt.principalClaim().isBlank()
        ? DEFAULT_PRINCIPAL_CLAIM : jwt.principalClaim();
    this.keys = jwt.jwksUrl() != null
        ? AsymmetricKeySelector.fromJwksUrl(config, jwt.jwksUrl())
        : AsymmetricKeySelector.fromPemFile(config, jwt.certificateFile());

    Duration skew = jwt.clockSkew() == null ? DEFAULT_CLOCK_SKEW : jwt.clockSkew();
    Set<String> audiences = jwt.audiences() == null || jwt.audiences().isEmpty() ? null : Set.copyOf(jwt.audiences());
    var claims = new DefaultJWTClaimsVerifier<SecurityContext>(audiences,
        new JWTClaimsSet.Builder().issuer(jwt.issuer()).build(), Set.of("exp", principalClaim), null);
    claims.setMaxClockSkew((int) skew.toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
    processor.setJWSKeySelector(keys);
    processor.setJWSVerifierFactory(new AsymmetricVerifierFactory());
    // RFC 9068 access tokens say at+jwt; everything else says JWT or nothing.
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("jwt"),
        new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
  }

  @Override
  public Future<Principal> authenticate(HttpServerRequest request) {
    return HttpAuth.bearer(request, verified, token -> vertx.executeBlocking(() -> verify(token), false));
  }

  @Override
  public String challenge() {
    return "Bearer realm=" + HttpAuth.quote("gantry");
  }

  @Override
  public Future<Void> close() {
    verified.clear();
    return vertx.executeBlocking(() -> {
      keys.close();
      return null;
    }, false);
  }

  /* test */ long verifications() {
    return verifications.sum();
  }

  /** Blocking: signature check and, on a cache miss for the kid, a JWKS fetch. */
  private Principal verify(String token) {
    verifications.increment();
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw AuthenticationFailure.invalid("malformed JWT");
    } catch (RateLimitReachedException e) {
      throw AuthenticationFailure.invalid("no key for the token's kid (JWKS refresh rate-limited)");
    } catch (KeySourceException e) {
      throw AuthenticationFailure.unavailable("JWKS unavailable: " + e.getMessage(), e);
    } catch (BadJOSEException | JOSEException e) {
      throw AuthenticationFailure.invalid(e.getMessage());
    }
    Principal principal = new Principal(principalName(claims), scopes(claims), scheme,
        Principal.scalarClaims(claims.getClaims()));
    verified.put(token, principal, claims.getExpirationTime().toInstant());
    return principal;
  }

  private String principalName(JWTClaimsSet claims) {
    Object value = claims.getClaim(principalClaim);
    if (value instanceof String s && !s.isBlank()) {
      return s;
    } else if (value instanceof Number n) {
      return n.toString();
    }
    throw AuthenticationFailure.invalid("claim " + principalClaim + " is not a non-empty string");
  }

  /** {@code scope} (space-separated, RFC 8693) and {@code scp} (string or array, Azure AD/Okta). */
  static Set<String> scopes(JWTClaimsSet claims) {
    Set<String> scopes = new HashSet<>();
    for (String name : List.of("scope", "scp")) {
      Object value = claims.getClaim(name);
      if (value instanceof String s) {
        addSpaceSeparated(scopes, s);
      } else if (value instanceof List<?> list) {
        list.stream().filter(String.class::isInstance).forEach(item -> addSpaceSeparated(scopes, (String) item));
      }
    }
    return scopes;
  }

  static void addSpaceSeparated(Set<String> into, String value) {
    for (String scope : value.trim().split("\\s+")) {
      if (!scope.isEmpty()) {
        into.add(scope);
      }
    }
  }
}
