package dev.gantry.toolkit.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a build's output folder: {@code bundle/} (the bundle's files), {@code bundle.sha256}
 * (its digest) and {@code environment.yaml}. All is written to a temporary sibling first and
 * moved into place, so a failure never leaves half a bundle; a folder holding anything other than
 * an earlier build's output is refused rather than overwritten.
 */
public final class BundleWriter {
  public static final String BUNDLE_DIR = "bundle";
  public static final String DIGEST_FILE = "bundle.sha256";
  public static final String ENVIRONMENT_FILE = "environment.yaml";
  private static final Set<String> OUTPUT = Set.of(BUNDLE_DIR, DIGEST_FILE, ENVIRONMENT_FILE);

  /** Thrown when the output folder holds files that are not an earlier build's output. */
  public static final class NotOurFolderException extends IOException {
    public NotOurFolderException(Path dir, String found) {
      super(dir + " already holds " + found + ", which is not Gantry build output: choose an empty or new folder");
    }
  }

  public void write(Bundle bundle, byte[] environment, Path out) throws IOException {
    Path target = out.toAbsolutePath().normalize();
    checkReplaceable(target);
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    try {
      for (var file : bundle.files().entrySet()) {
        Path path = staging.resolve(BUNDLE_DIR).resolve(file.getKey()).normalize();
        if (!path.startsWith(staging.resolve(BUNDLE_DIR))) {
          throw new IOException("bundle path escapes the bundle folder: " + file.getKey());
        }
        Files.createDirectories(path.getParent());
        Files.write(path, file.getValue());
      }
      Files.writeString(staging.resolve(DIGEST_FILE), bundle.digest() + "\n", StandardCharsets.UTF_8);
      Files.write(staging.resolve(ENVIRONMENT_FILE), environment);
      if (Files.exists(target)) {
        deleteTree(target);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (Files.exists(staging)) {
        deleteTree(staging);
      }
    }
  }

  private static void checkReplaceable(Path target) throws IOException {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new NotOurFolderException(target, "a file of that name");
    }
    try (Stream<Path> entries = Files.list(target)) {
      var foreign = entries.map(p -> p.getFileName().toString()).filter(n -> !OUTPUT.contains(n)).sorted().findFirst();
      if (foreign.isPresent()) {
        throw new NotOurFolderException(target, "\"" + foreign.get() + "\"");
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
