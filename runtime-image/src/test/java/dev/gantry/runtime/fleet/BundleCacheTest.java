package dev.gantry.runtime.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache keeps names with '/' as one folder and never lets an uncommitted release replace a cached one. */
class BundleCacheTest {
  @TempDir
  Path dir;

  static FleetRepository.Release release(String name, long revision, String routes) {
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put("routes.yaml", routes.getBytes(StandardCharsets.UTF_8));
    files.put("openapi/a.yaml", "a".getBytes(StandardCharsets.UTF_8));
    return new FleetRepository.Release(new FleetRepository.Wanted(name, revision, "sha256:" + revision), files,
        "upstreams: {}\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aNamespacedNameIsOneFolderAndComesBackAsItWas() throws Exception {
    BundleCache cache = new BundleCache(dir);
    cache.store(release("shop/orders", 1, "v1"));
    cache.store(release("plain", 1, "v1"));
    assertThat(cache.entries()).extracting(BundleCache.Entry::name).containsExactlyInAnyOrder("shop/orders", "plain");
    assertThat(Files.readString(cache.entries().stream().filter(e -> e.name().equals("shop/orders")).findFirst()
        .orElseThrow().bundleDir().resolve("openapi/a.yaml"))).isEqualTo("a");
    cache.remove("shop/orders");
    assertThat(cache.entries()).extracting(BundleCache.Entry::name).containsExactly("plain");
  }

  @Test
  void aStagedReleaseReplacesTheCachedOneOnlyWhenCommitted() throws Exception {
    BundleCache cache = new BundleCache(dir);
    cache.store(release("shop/orders", 1, "good"));
    try (BundleCache.Staged staged = cache.stage(release("shop/orders", 2, "bad"))) {
      assertThat(Files.readString(staged.entry().bundleDir().resolve("routes.yaml"))).isEqualTo("bad");
      assertThat(cache.entries()).singleElement().satisfies(e -> assertThat(e.revision()).isEqualTo(1));
    } // not committed: as if it failed to load
    assertThat(cache.entries()).singleElement().satisfies(e -> {
      assertThat(e.revision()).isEqualTo(1);
      assertThat(Files.readString(e.bundleDir().resolve("routes.yaml"))).isEqualTo("good");
    });
    try (var children = Files.list(dir)) {
      assertThat(children).as("no staging folder left behind").hasSize(1);
    }
    try (BundleCache.Staged staged = cache.stage(release("shop/orders", 3, "next"))) {
      staged.commit();
    }
    assertThat(cache.entries()).singleElement().satisfies(e -> assertThat(e.revision()).isEqualTo(3));
  }
}
