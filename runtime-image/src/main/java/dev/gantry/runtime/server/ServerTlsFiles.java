package dev.gantry.runtime.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.X509KeyManager;

/**
 * The TLS server's certificate chain, key and client CAs, read once (so what is checked is what is
 * served) and checked before any connection gets them: Vert.x takes a certificate with another
 * pair's key, after which every handshake fails.
 */
record ServerTlsFiles(Path certFile, Path keyFile, Buffer cert, Buffer key, List<Buffer> clientCas) {

  static ServerTlsFiles read(Path certFile, Path keyFile, List<Path> clientCaFiles) {
    return new ServerTlsFiles(certFile, keyFile, content(certFile), content(keyFile),
        clientCaFiles.stream().map(ServerTlsFiles::content).toList());
  }

  /**
   * {@code base} (the server's protocols, ALPN, client auth) with these files; throws
   * IllegalArgumentException, naming the files, when they cannot be used together.
   */
  ServerSSLOptions sslOptions(ServerSSLOptions base, Vertx vertx) {
    PemKeyCertOptions keyCert = new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
    requireMatchingPair(keyCert, vertx);
    ServerSSLOptions options = base.copy().setKeyCertOptions(keyCert);
    if (!clientCas.isEmpty()) {
      PemTrustOptions trust = new PemTrustOptions();
      clientCas.forEach(trust::addCertValue);
      options.setTrustOptions(trust);
    }
    return options;
  }

  private void requireMatchingPair(PemKeyCertOptions keyCert, Vertx vertx) {
    try {
      // Through the key manager the server itself would use, so every key format Vert.x reads is covered.
      X509KeyManager keys = (X509KeyManager) keyCert.getKeyManagerFactory(vertx).getKeyManagers()[0];
      int pairs = 0;
      for (String alias : Collections.list(keyCert.loadKeyStore(vertx).aliases())) {
        PrivateKey key = keys.getPrivateKey(alias);
        X509Certificate[] chain = keys.getCertificateChain(alias);
        if (key == null || chain == null || chain.length == 0) {
          continue;
        }
        pairs++;
        if (!signsFor(key, chain[0].getPublicKey())) {
          throw new IllegalArgumentException("the certificate in " + certFile + " is not the one of the key in " + keyFile);
        }
      }
      if (pairs == 0) {
        throw new IllegalArgumentException("no certificate and key pair in " + certFile + " and " + keyFile);
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot use " + certFile + " with " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** Whether a signature made with {@code key} verifies under {@code certified}: the two are one pair. */
  private static boolean signsFor(PrivateKey key, PublicKey certified) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448 sign as themselves
    };
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(challenge);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(certified);
    } catch (java.security.InvalidKeyException otherType) { // an RSA certificate for an EC key, say
      return false;
    }
    verifier.update(challenge);
    return verifier.verify(signature);
  }

  private static Buffer content(Path file) {
    try {
      return Buffer.buffer(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
