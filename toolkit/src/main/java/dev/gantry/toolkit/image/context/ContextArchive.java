package dev.gantry.toolkit.image.context;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Unpacks a context tar.gz into a folder, for builders that take a folder (buildah, Kaniko's dir://). */
final class ContextArchive {
  private ContextArchive() {}

  static void extract(byte[] tarGz, Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    Files.createDirectories(root);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path target = root.resolve(entry.getName()).normalize();
        // Contexts are ours, but a tar must never write outside its folder.
        if (!target.startsWith(root)) {
          throw new IOException(entry.getName() + ": entry outside the context folder");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.write(target, tar.readAllBytes());
        }
      }
    }
  }
}
