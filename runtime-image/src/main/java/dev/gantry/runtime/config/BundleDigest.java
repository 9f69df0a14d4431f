package dev.gantry.runtime.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
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
    SortedMap<String, byte[]> contents = new TreeMap<>();
    for (Path file : files) {
      contents.put(bundleDir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
    }
    return of(contents);
  }

  /** The same rule over files in memory (path → bytes), so a source can check a bundle before writing it. */
  public static String of(SortedMap<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        byte[] bytes = file.getValue();
        sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
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
