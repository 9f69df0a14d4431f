package dev.gantry.runtime.security;

import dev.gantry.runtime.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Client certificates of the TLS connection, validated (PKIX, no revocation) against this scheme's
 * CA file. The TLS server must request certificates and trust the union of all schemes' CAs
 * ({@link #trustOptions}); checking again here is what keeps a certificate from CA "a" out of a
 * route that demands CA "b". Leaves with an extended key usage must allow clientAuth. Principal:
 * subject CN (default), full DN (RFC 2253), or the first SAN of type dns, email or uri.
 */
public final class MtlsAuthenticator implements Authenticator {

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";
  private static final Duration CACHE_TTL = Duration.ofMinutes(5);

  private final String scheme;
  private final String principalFrom;
  private final Set<TrustAnchor> anchors;
  private final Set<X509Certificate> caCertificates;
  private final PrincipalCache validated = new PrincipalCache(10_000, CACHE_TTL);

  public MtlsAuthenticator(SecurityConfig config) {
    SecurityConfig.Mtls mtls = config.mtls();
    if (mtls == null) {
      throw SecurityConfigException.of(config, "mtls settings are missing");
    }
    this.principalFrom = mtls.principalFrom() == null || mtls.principalFrom().isBlank() ? "cn" : mtls.principalFrom();
    if (!CertificateNames.SUPPORTED.contains(principalFrom)) {
      throw SecurityConfigException.of(config, "principalFrom must be one of " + CertificateNames.SUPPORTED
          + ", got " + principalFrom);
    }
    this.caCertificates = Set.copyOf(SecurityFiles.certificates(config, mtls.caFile()));
    this.anchors = caCertificates.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet());
    this.scheme = config.name();
  }

  /** The distinct CA files of all mTLS schemes, for the server's TLS trust. */
  public static List<Path> caFiles(Collection<SecurityConfig> schemes) {
    return schemes.stream()
        .filter(s -> s.type() == SecurityConfig.Type.MTLS && s.mtls() != null)
        .map(s -> s.mtls().caFile())
        .filter(Objects::nonNull)
        .distinct()
        .toList();
  }

  /** Trust options for {@code HttpServerOptions} (with {@code ClientAuth.REQUEST}); empty without mTLS. */
  public static Optional<PemTrustOptions> trustOptions(Collection<SecurityConfig> schemes) {
    List<Path> files = caFiles(schemes);
    if (files.isEmpty()) {
      return Optional.empty();
    }
    PemTrustOptions options = new PemTrustOptions();
    files.forEach(file -> options.addCertPath(file.toString()));
    return Optional.of(options);
  }

  @Override
  public Future<Principal> authenticate(HttpServerRequest request) {
    try {
      return Future.succeededFuture(principal(request));
    } catch (AuthenticationFailure failure) {
      return Future.failedFuture(failure);
    }
  }

  @Override
  public String challenge() {
    // No HTTP auth scheme exists for TLS client certificates; this one only informs.
    return "ClientCertificate realm=" + HttpAuth.quote("gantry");
  }

  private Principal principal(HttpServerRequest request) {
    if (!request.isSSL()) {
      throw AuthenticationFailure.missing("not a TLS connection");
    }
    List<Certificate> chain;
    try {
      chain = request.connection().peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      chain = null;
    }
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      throw AuthenticationFailure.missing("no client certificate");
    }
    String cacheKey = Base64.getEncoder().encodeToString(encoded(leaf));
    Principal cached = validated.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    validate(chain);
    Principal principal = new Principal(CertificateNames.of(leaf, principalFrom), Set.of(), scheme);
    validated.put(cacheKey, principal, leaf.getNotAfter().toInstant());
    return principal;
  }

  private void validate(List<Certificate> chain) {
    List<Certificate> path = new ArrayList<>(chain);
    // The anchor itself must not be part of the path; clients often send it anyway.
    while (path.size() > 1 && caCertificates.contains(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
      List<String> usages = ((X509Certificate) path.get(0)).getExtendedKeyUsage();
      if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) {
        throw AuthenticationFailure.invalid("client certificate is not for client authentication");
      }
    } catch (GeneralSecurityException | ClassCastException e) {
      throw AuthenticationFailure.invalid("client certificate not trusted by this scheme's CA");
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw AuthenticationFailure.invalid("client certificate cannot be encoded");
    }
  }
}
