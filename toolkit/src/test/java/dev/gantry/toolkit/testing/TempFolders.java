package dev.gantry.toolkit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing the temp folders test fixtures make (a registry's storage, a database, an image push's cache). */
public final class TempFolders {
  private TempFolders() {}

  /** Deletes {@code dir} and everything in it, as far as it can: what is left is the OS's to clean up. */
  public static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder: nothing depends on it being gone
    }
  }
}
