package dev.gantry.runtime.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.gantry.runtime.config.SecurityConfig;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Picks verification keys for a JWS header from a JWKS URL or a PEM file. Only asymmetric
 * algorithms are ever answered with a key, so {@code none}, HS* (including "HMAC keyed with the
 * public key") and keys embedded in the token header ({@code jwk}, {@code jku}, {@code x5u}) are
 * never trusted.
 */
final class AsymmetricKeySelector implements JWSKeySelector<SecurityContext>, Closeable {

  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
      JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

  private static final int HTTP_TIMEOUT_MS = 2_000;
  private static final int JWKS_SIZE_LIMIT = 256 * 1024;
  private static final Duration OUTAGE_TOLERANCE = Duration.ofHours(1);

  private final JWKSource<SecurityContext> source;
  /** A PEM file has no key ids: its keys serve every kid. */
  private final boolean matchKeyId;

  private AsymmetricKeySelector(JWKSource<SecurityContext> source, boolean matchKeyId) {
    this.source = source;
    this.matchKeyId = matchKeyId;
  }

  /**
   * Keys from a JWKS URL, cached 5 min, refreshed on an unknown kid at most twice per 30 s, and
   * kept for an hour when the URL fails so an IdP outage does not take the gateway down with it.
   */
  static AsymmetricKeySelector fromJwksUrl(SecurityConfig scheme, URI jwksUrl) {
    try {
      var retriever = new DefaultResourceRetriever(HTTP_TIMEOUT_MS, HTTP_TIMEOUT_MS, JWKS_SIZE_LIMIT);
      JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(jwksUrl.toURL(), retriever)
          .retrying(true)
          .outageTolerant(OUTAGE_TOLERANCE.toMillis())
          .build();
      return new AsymmetricKeySelector(source, true);
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw SecurityConfigException.of(scheme, "jwksUrl " + jwksUrl + " is not a valid URL");
    }
  }

  /** Keys from PEM CERTIFICATE and PUBLIC KEY blocks (RSA, EC P-256/384/521, Ed25519). */
  static AsymmetricKeySelector fromPemFile(SecurityConfig scheme, Path file) {
    List<JWK> keys = new ArrayList<>();
    for (SecurityFiles.PemBlock block : SecurityFiles.pem(scheme, file)) {
      PublicKey key = switch (block.type()) {
        case "CERTIFICATE" -> SecurityFiles.certificate(scheme, file, block.der()).getPublicKey();
        case "PUBLIC KEY" -> publicKey(scheme, file, block.der());
        default -> null; // e.g. a private key next to the certificate: not needed, not an error
      };
      if (key != null) {
        keys.add(toJwk(scheme, file, key));
      }
    }
    if (keys.isEmpty()) {
      throw SecurityConfigException.of(scheme, file, "contains no PEM CERTIFICATE or PUBLIC KEY", null);
    }
    return new AsymmetricKeySelector(new ImmutableJWKSet<>(new JWKSet(keys)), false);
  }

  @Override
  public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
    JWSAlgorithm algorithm = header.getAlgorithm();
    if (!ALGORITHMS.contains(algorithm)) {
      return List.of(); // before touching the source: a bad alg must not trigger a JWKS refresh
    }
    JWKMatcher.Builder matcher = new JWKMatcher.Builder()
        .keyUses(KeyUse.SIGNATURE, null)
        .algorithms(algorithm, null);
    if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
      matcher.keyType(KeyType.RSA);
    } else if (JWSAlgorithm.Family.EC.contains(algorithm)) {
      matcher.keyType(KeyType.EC).curves(Curve.forJWSAlgorithm(algorithm));
    } else {
      matcher.keyType(KeyType.OKP).curves(Curve.Ed25519);
    }
    if (matchKeyId && header.getKeyID() != null) {
      matcher.keyID(header.getKeyID());
    }
    return source.get(new JWKSelector(matcher.build()), context).stream()
        .map(AsymmetricKeySelector::toJavaKey)
        .filter(Objects::nonNull)
        .toList();
  }

  @Override
  public void close() throws IOException {
    if (source instanceof Closeable closeable) {
      closeable.close();
    }
  }

  private static Key toJavaKey(JWK jwk) {
    try {
      if (jwk instanceof RSAKey rsa) {
        return rsa.toRSAPublicKey();
      } else if (jwk instanceof ECKey ec) {
        return ec.toECPublicKey();
      } else if (jwk instanceof OctetKeyPair okp) {
        return PublicKeys.ed25519(okp.getX().decode());
      }
    } catch (JOSEException | IllegalArgumentException e) {
      // A broken key in a JWKS must not break the others.
    }
    return null;
  }

  private static PublicKey publicKey(SecurityConfig scheme, Path file, byte[] der) {
    try {
      return PublicKeys.decode(der);
    } catch (IllegalArgumentException e) {
      throw SecurityConfigException.of(scheme, file, "unparseable PUBLIC KEY", e);
    }
  }

  private static JWK toJwk(SecurityConfig scheme, Path file, PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    } else if (key instanceof ECPublicKey ec && Curve.forECParameterSpec(ec.getParams()) != null) {
      return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
    } else if (key instanceof EdECPublicKey ed && ed.getParams().getName().equals("Ed25519")) {
      byte[] spki = ed.getEncoded();
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, 12, spki.length))).build();
    }
    throw SecurityConfigException.of(scheme, file,
        "unsupported key type " + key.getAlgorithm() + " (use RSA, EC P-256/384/521 or Ed25519)", null);
  }
}
