package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.toolkit.image.testing.LocalRegistry;
import dev.gantry.toolkit.image.testing.TestImages;
import dev.gantry.toolkit.resolve.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** What a pushed image holds: reproducible, the bundle where the runtime looks, and no secret. */
class ImageContentIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ImagePipeline.Result buildInFreshRegistry(LocalRegistry registry) throws Exception {
    String runtime = TestImages.pushRuntimeStandIn(registry, "gantry/runtime", "0.1.0");
    return ImagePipelineIT.pipeline(RegistryAccess.of(true, null, Map.of())).run(
        ImagePipelineIT.petstore(Fixtures.SAMPLE_RESOURCES, "v1"),
        new ImagePipeline.Request(ImageName.Target.parse(registry.host()), runtime, false), line -> { });
  }

  @Test
  void twoCleanBuildsInTwoRegistriesGiveTheSameManifestDigest() throws Exception {
    try (LocalRegistry first = LocalRegistry.start(); LocalRegistry second = LocalRegistry.start()) {
      ImagePipeline.Result a = buildInFreshRegistry(first);
      ImagePipeline.Result b = buildInFreshRegistry(second);

      assertThat(a.outcome()).isEqualTo(ImagePipeline.Outcome.BUILT);
      assertThat(b.outcome()).isEqualTo(ImagePipeline.Outcome.BUILT);
      assertThat(b.manifestDigest()).isEqualTo(a.manifestDigest());
    }
  }

  @Test
  void bundleSitsAtTheBundleDirWithFixedModesLabelsAndInheritedEntrypointAndNoSecretAnywhere() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      ImagePipeline.Result result = buildInFreshRegistry(registry);
      JsonNode manifest = JSON.readTree(registry.manifest("petstore", result.manifestDigest().orElseThrow()).orElseThrow());
      JsonNode config = JSON.readTree(registry.blob("petstore", manifest.path("config").path("digest").asText()));

      assertThat(config.path("config").path("Entrypoint").get(0).asText()).isEqualTo(TestImages.ENTRYPOINT);
      assertThat(config.path("config").path("Labels").path(ImageLayout.LABEL_BUNDLE_DIGEST).asText())
          .isEqualTo(result.bundleDigest());
      assertThat(config.path("created").asText()).startsWith("1970-01-01T00:00:00");

      Map<String, Entry> entries = new LinkedHashMap<>();
      StringBuilder everything = new StringBuilder();
      for (JsonNode layer : manifest.path("layers")) {
        for (Entry entry : untar(registry.blob("petstore", layer.path("digest").asText()))) {
          entries.put(entry.path(), entry);
          everything.append(entry.path()).append('\n').append(new String(entry.content(), StandardCharsets.UTF_8));
        }
      }
      assertThat(entries).containsKeys("gantry/bundle/bundle.yaml", "gantry/bundle/routes.yaml",
          "gantry/bundle/policies.yaml", "gantry/bundle/gateway.yaml", "gantry/bundle/openapi/petstore.yaml");
      assertThat(entries.keySet()).noneMatch(p -> p.contains("environment.yaml") || p.contains("secret"));
      entries.values().stream().filter(e -> e.path().startsWith("gantry/bundle/") && e.type() == '0')
          .forEach(e -> assertThat(e.mode() & 07777).as(e.path()).isEqualTo(0644));
      entries.values().stream().filter(e -> e.path().startsWith("gantry/bundle")).forEach(e ->
          assertThat(e.mtime()).as(e.path()).isEqualTo(1L));

      List<String> secrets = secretValues();
      assertThat(secrets).hasSizeGreaterThanOrEqualTo(6);
      // Sanity: the search below reads file contents, not just names.
      assertThat(everything.toString()).contains("/pets").contains("x-gantry-ratelimit");
      for (String secret : secrets) {
        assertThat(everything.toString()).as("secret value %s in a pushed layer", secret).doesNotContain(secret);
      }
    }
  }

  /** Every value under stringData in the sample Secrets (block scalars split into lines). */
  private static List<String> secretValues() throws IOException {
    String text = Files.readString(Fixtures.SAMPLE_RESOURCES.resolve("secrets.yaml"));
    List<String> values = new ArrayList<>();
    Matcher sample = Pattern.compile("SAMPLE[-A-Za-z0-9]*").matcher(text);
    while (sample.find()) {
      values.add(sample.group());
    }
    values.add("changeme");
    return values;
  }

  record Entry(String path, char type, int mode, long mtime, byte[] content) {}

  /** A gzipped POSIX/GNU tar read by hand: the JDK has no tar reader, and the format is simple. */
  static List<Entry> untar(byte[] gzipped) throws IOException {
    byte[] tar;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      tar = in.readAllBytes();
    }
    List<Entry> entries = new ArrayList<>();
    int offset = 0;
    String longName = null;
    while (offset + 512 <= tar.length && tar[offset] != 0) {
      String name = field(tar, offset, 100);
      String prefix = field(tar, offset + 345, 155);
      int mode = (int) octal(tar, offset + 100, 8);
      long size = octal(tar, offset + 124, 12);
      long mtime = octal(tar, offset + 136, 12);
      char type = (char) tar[offset + 156];
      byte[] content = java.util.Arrays.copyOfRange(tar, offset + 512, offset + 512 + (int) size);
      if (type == 'L') {
        longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
      } else {
        String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
        entries.add(new Entry(path.startsWith("/") ? path.substring(1) : path, type, mode, mtime, content));
        longName = null;
      }
      offset += 512 + (int) ((size + 511) / 512 * 512);
    }
    return entries;
  }

  private static String field(byte[] tar, int offset, int length) {
    int end = offset;
    while (end < offset + length && tar[end] != 0) {
      end++;
    }
    return new String(tar, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] tar, int offset, int length) {
    String text = field(tar, offset, length).trim();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
