package dev.gantry.runtime.security;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** The principal name taken from a client certificate: subject CN or DN, or a subjectAltName. */
final class CertificateNames {

  /** subjectAltName type numbers of RFC 5280 §4.2.1.6. */
  private static final Map<String, Integer> SAN_TYPES = Map.of("san-email", 1, "san-dns", 2, "san-uri", 6);
  static final List<String> SUPPORTED = List.of("cn", "dn", "san-dns", "san-email", "san-uri");

  private CertificateNames() {}

  static String of(X509Certificate certificate, String from) {
    return switch (from) {
      case "dn" -> certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
      case "cn" -> commonName(certificate);
      default -> subjectAltName(certificate, SAN_TYPES.get(from), from);
    };
  }

  private static String commonName(X509Certificate certificate) {
    try {
      List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns();
      // LdapName lists the most specific RDN last.
      for (int i = rdns.size() - 1; i >= 0; i--) {
        if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
          return rdns.get(i).getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      // fall through: treated like a subject without CN
    }
    throw AuthenticationFailure.invalid("client certificate subject has no CN");
  }

  private static String subjectAltName(X509Certificate certificate, int type, String from) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (name.get(0) instanceof Integer t && t == type && name.get(1) instanceof String value) {
            return value;
          }
        }
      }
    } catch (CertificateParsingException e) {
      // fall through
    }
    throw AuthenticationFailure.invalid("client certificate has no " + from);
  }
}
