package dev.gantry.toolkit.bundle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The compiled, secret-free artifact of one API version: relative file paths and their bytes.
 *
 * <p>The digest is sha256 over every file in path order, each as {@code path NUL size NUL bytes},
 * so that neither a renamed file nor bytes moved between files can keep the same digest.
 */
public final class Bundle {
  public static final String FORMAT = "gantry.dev/bundle/v1";
  public static final String MANIFEST = "bundle.yaml";
  public static final String GATEWAY = "gateway.yaml";
  public static final String ROUTES = "routes.yaml";
  public static final String POLICIES = "policies.yaml";
  public static final String DEFINITIONS_DIR = "openapi/";

  private final SortedMap<String, byte[]> files;
  private final String digest;

  public Bundle(SortedMap<String, byte[]> files) {
    this.files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    this.digest = digestOf(this.files);
  }

  public SortedMap<String, byte[]> files() {
    return files;
  }

  /** {@code sha256:<64 hex digits>}. */
  public String digest() {
    return digest;
  }

  public String text(String path) {
    byte[] bytes = files.get(path);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static String digestOf(SortedMap<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      files.forEach((path, bytes) -> {
        sha.update(path.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(bytes);
      });
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
