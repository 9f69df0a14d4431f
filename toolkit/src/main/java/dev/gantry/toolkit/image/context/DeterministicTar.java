package dev.gantry.toolkit.image.context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tar.gz whose bytes depend only on its entries: names sorted, every folder listed before its
 * files, owner 0:0 without names, fixed modes and times. Java's gzip header carries no file name
 * and a zero timestamp, so the same entries give the same bytes on any machine and any day.
 */
final class DeterministicTar {
  /** 2026-01-01T00:00:00Z, the time of every entry (the project's reproducible-build timestamp). */
  static final long ENTRY_TIME_MILLIS = 1_767_225_600_000L;

  private DeterministicTar() {}

  /** {@code files}: path (with '/', no leading '/') → content. Folders are derived from the paths. */
  static byte[] write(SortedMap<String, byte[]> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String name : entryNames(files)) {
        byte[] content = files.get(name);
        tar.putArchiveEntry(content == null ? entry(name, 0, 040755) : entry(name, content.length, 0100644));
        if (content != null) {
          tar.write(content);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("writing a tar.gz in memory", e);
    }
    return bytes.toByteArray();
  }

  /** Archive order: every folder (ending in '/'), sorted, then every file, sorted. */
  static List<String> entryNames(SortedMap<String, byte[]> files) {
    TreeSet<String> folders = new TreeSet<>();
    for (String path : files.keySet()) {
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        folders.add(path.substring(0, slash + 1));
      }
    }
    List<String> names = new ArrayList<>(folders);
    names.addAll(files.keySet());
    return names;
  }

  private static TarArchiveEntry entry(String name, long size, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(size);
    entry.setMode(mode);
    entry.setModTime(ENTRY_TIME_MILLIS);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    return entry;
  }
}
