package dev.gantry.runtime.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The digest of a bundle folder, by the bundle format's rule (sha256 over every file in path
 * order, each as {@code path NUL size NUL bytes}); a test holds it equal to the compiler's.
 */
public final class BundleDigest {
  private BundleDigest() {}

  public static String of(Path bundleDir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(bundleDir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    List<String> paths = files.stream()
        .map(f -> bundleDir.relativize(f).toString().replace('\\', '/')).sorted().toList();
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String path : paths) {
        byte[] bytes = Files.readAllBytes(bundleDir.resolve(path));
        sha.update(path.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(bytes);
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
