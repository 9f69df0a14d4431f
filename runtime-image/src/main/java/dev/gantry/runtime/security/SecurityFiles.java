package dev.gantry.runtime.security;

import dev.gantry.runtime.config.SecurityConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the mounted secret files of a scheme at start. Every problem becomes a
 * {@link SecurityConfigException} naming the scheme and the file, never the file's content.
 */
final class SecurityFiles {

  /** One meaningful line of a list file, with its 1-based number for error messages. */
  record Line(int number, String text) {}

  /** One PEM block: its label (e.g. CERTIFICATE, PUBLIC KEY) and DER bytes. */
  record PemBlock(String type, byte[] der) {}

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private SecurityFiles() {}

  static String read(SecurityConfig scheme, Path file) {
    if (file == null) {
      throw SecurityConfigException.of(scheme, "no file configured");
    }
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw SecurityConfigException.of(scheme, file, "not found", null);
    } catch (IOException | RuntimeException e) {
      throw SecurityConfigException.of(scheme, file, "cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    if (content.isBlank()) {
      throw SecurityConfigException.of(scheme, file, "is empty", null);
    }
    return content;
  }

  /** Non-blank lines that are not {@code #} comments, stripped; at least one. */
  static List<Line> lines(SecurityConfig scheme, Path file) {
    List<Line> lines = new ArrayList<>();
    String[] raw = read(scheme, file).split("\r?\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String text = raw[i].strip();
      if (!text.isEmpty() && !text.startsWith("#")) {
        lines.add(new Line(i + 1, text));
      }
    }
    if (lines.isEmpty()) {
      throw SecurityConfigException.of(scheme, file, "has no entries (only blank lines or comments)", null);
    }
    return lines;
  }

  static List<PemBlock> pem(SecurityConfig scheme, Path file) {
    List<PemBlock> blocks = new ArrayList<>();
    Matcher matcher = PEM.matcher(read(scheme, file));
    while (matcher.find()) {
      try {
        blocks.add(new PemBlock(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
      } catch (IllegalArgumentException e) {
        throw SecurityConfigException.of(scheme, file, "PEM block " + matcher.group(1) + " is not valid base64", e);
      }
    }
    if (blocks.isEmpty()) {
      throw SecurityConfigException.of(scheme, file, "contains no PEM block", null);
    }
    return blocks;
  }

  static X509Certificate certificate(SecurityConfig scheme, Path file, byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw SecurityConfigException.of(scheme, file, "unparseable certificate", e);
    }
  }

  /** All CERTIFICATE blocks of a PEM bundle; at least one. */
  static List<X509Certificate> certificates(SecurityConfig scheme, Path file) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (PemBlock block : pem(scheme, file)) {
      if (block.type().equals("CERTIFICATE")) {
        certificates.add(certificate(scheme, file, block.der()));
      }
    }
    if (certificates.isEmpty()) {
      throw SecurityConfigException.of(scheme, file, "contains no PEM CERTIFICATE", null);
    }
    return certificates;
  }
}
