package dev.gantry.runtime.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test CAs and certificates made with BouncyCastle (EC P-256, valid from an hour ago for a day). */
public final class Pki {

  public record Issued(X509Certificate certificate, KeyPair keys) {
    public String certificatePem() {
      return pem("CERTIFICATE", encoded(certificate));
    }

    public String privateKeyPem() {
      return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }
  }

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private Pki() {}

  public static Issued ca(String commonName) {
    KeyPair keys = ecKeys();
    return new Issued(build(new X500Principal("CN=" + commonName), keys.getPrivate(),
        new X500Principal("CN=" + commonName), keys, true, null), keys);
  }

  /** A client certificate (extended key usage clientAuth). */
  public static Issued client(Issued ca, String subjectDn) {
    KeyPair keys = ecKeys();
    return new Issued(build(ca.certificate().getSubjectX500Principal(), ca.keys().getPrivate(),
        new X500Principal(subjectDn), keys, false, KeyPurposeId.id_kp_clientAuth), keys);
  }

  /** A server certificate for localhost and 127.0.0.1. */
  public static Issued server(Issued ca) {
    KeyPair keys = ecKeys();
    return new Issued(build(ca.certificate().getSubjectX500Principal(), ca.keys().getPrivate(),
        new X500Principal("CN=localhost"), keys, false, KeyPurposeId.id_kp_serverAuth), keys);
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static X509Certificate build(X500Principal issuer, java.security.PrivateKey issuerKey, X500Principal subject,
                                       KeyPair keys, boolean ca, KeyPurposeId usage) {
    try {
      Instant now = Instant.now();
      var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
