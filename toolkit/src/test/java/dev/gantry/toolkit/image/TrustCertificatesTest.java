package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process-wide trust Jib's client uses gains the given CA and keeps the JDK's. */
class TrustCertificatesTest {
  @TempDir
  Path temp;

  private final SSLContext before = defaultContext();

  private static SSLContext defaultContext() {
    try {
      return SSLContext.getDefault();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void restore() {
    SSLContext.setDefault(before);
  }

  @Test
  void aPrivateCaBecomesTrustedBesideTheJdkCas() throws Exception {
    Path keystore = temp.resolve("ca.p12");
    Path pem = temp.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Gantry Test CA", "-validity", "2",
        "-keystore", keystore.toString(), "-storepass", "changeit", "-ext", "bc:c");
    run(keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-file", pem.toString());
    X509Certificate ca;
    try (InputStream in = Files.newInputStream(pem)) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    int jdkCount = trustManager(null).getAcceptedIssuers().length;

    RegistryAccess.trustCertificates(pem);

    assertThat(SSLContext.getDefault()).isNotSameAs(before);
    X509TrustManager trust = RegistryAccess.lastTrustManager();
    assertThat(trust.getAcceptedIssuers()).contains(ca).hasSize(jdkCount + 1);
    trust.checkServerTrusted(new X509Certificate[] {ca}, "EC");
  }

  @Test
  void aFileWithoutCertificatesIsRefused() throws Exception {
    Path empty = Files.writeString(temp.resolve("empty.pem"), "");
    assertThatThrownBy(() -> RegistryAccess.trustCertificates(empty)).hasMessageContaining("holds no PEM certificate");
  }

  private static X509TrustManager trustManager(KeyStore store) throws Exception {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
  }
}
