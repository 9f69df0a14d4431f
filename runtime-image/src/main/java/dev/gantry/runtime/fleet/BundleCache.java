package dev.gantry.runtime.fleet;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The fleet gateway's local copy of what it serves, one folder per API ({@code API/bundle/…},
 * {@code API/environment.yaml}, {@code API/release.properties}). It is what the gateway loads
 * bundles from, and what a gateway restarted while the repository is down serves from.
 * A folder is written beside and renamed into place, so a crash never leaves half a bundle.
 * Names may hold any character (a kubernetes source uses {@code namespace/name}).
 */
public final class BundleCache {
  private static final String RELEASE = "release.properties";
  private final Path dir;

  /** A cached API: its folder and the repository revision it holds. */
  public record Entry(String name, long revision, String bundleDigest, Path bundleDir, Path environmentFile) {}

  public BundleCache(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  Entry store(FleetRepository.Release release) throws IOException {
    try (Staged staged = stage(release)) {
      return staged.commit();
    }
  }

  /**
   * A release written beside the cache, not yet in it: a source loads it from {@link #entry()} and
   * commits only what loaded, so a bundle that cannot be served never replaces the cached one a
   * restart would serve. Closing without commit deletes it.
   */
  final class Staged implements AutoCloseable {
    private final String name;
    private final Path staging;
    private boolean committed;

    private Staged(String name, Path staging) {
      this.name = name;
      this.staging = staging;
    }

    /** The staged copy, at its staging path (valid until commit or close). */
    Entry entry() throws IOException {
      return BundleCache.entry(staging, name).orElseThrow();
    }

    /** Moves the staged copy into place, replacing the cached one. */
    Entry commit() throws IOException {
      Path target = dir.resolve(folder(name));
      Path old = dir.resolve("." + folder(name) + ".old");
      delete(old);
      if (Files.exists(target)) {
        Files.move(target, old);
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staging, target);
      }
      committed = true;
      delete(old);
      return BundleCache.entry(target, name).orElseThrow();
    }

    @Override
    public void close() throws IOException {
      if (!committed) {
        delete(staging);
      }
    }
  }

  Staged stage(FleetRepository.Release release) throws IOException {
    String name = release.api().name();
    Path staging = Files.createTempDirectory(dir, "." + folder(name) + "-");
    try {
      for (Map.Entry<String, byte[]> file : release.files().entrySet()) {
        Path target = staging.resolve("bundle").resolve(file.getKey()).normalize();
        if (!target.startsWith(staging.resolve("bundle"))) {
          throw new IOException("bundle of " + name + " has a file outside the bundle: " + file.getKey());
        }
        Files.createDirectories(target.getParent());
        Files.write(target, file.getValue());
      }
      Files.write(staging.resolve("environment.yaml"), release.environmentYaml());
      Properties properties = new Properties();
      properties.setProperty("revision", Long.toString(release.api().revision()));
      properties.setProperty("bundleDigest", release.api().bundleDigest());
      try (var out = Files.newOutputStream(staging.resolve(RELEASE))) {
        properties.store(out, null);
      }
    } catch (IOException | RuntimeException e) {
      delete(staging);
      throw e;
    }
    return new Staged(name, staging);
  }

  public void remove(String name) throws IOException {
    delete(dir.resolve(folder(name)));
  }

  /** Every complete cached API (staging folders and leftovers are ignored). */
  public List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.sorted().toList()) {
        if (!child.getFileName().toString().startsWith(".")) {
          entry(child, URLDecoder.decode(child.getFileName().toString(), StandardCharsets.UTF_8))
              .ifPresent(entries::add);
        }
      }
    }
    return entries;
  }

  /**
   * The folder of an API: its name URL-encoded, so a kubernetes source's {@code namespace/name} is
   * one folder; Kubernetes names ([a-z0-9.-]) encode to themselves, so older caches stay valid.
   */
  static String folder(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private static java.util.Optional<Entry> entry(Path folder, String name) throws IOException {
    Path release = folder.resolve(RELEASE);
    if (!Files.isRegularFile(release)) {
      return java.util.Optional.empty();
    }
    Properties properties = new Properties();
    try (var in = Files.newInputStream(release)) {
      properties.load(in);
    }
    return java.util.Optional.of(new Entry(name,
        Long.parseLong(properties.getProperty("revision")), properties.getProperty("bundleDigest"),
        folder.resolve("bundle"), folder.resolve("environment.yaml")));
  }

  private static void delete(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
