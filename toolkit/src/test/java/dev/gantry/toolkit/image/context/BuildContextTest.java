package dev.gantry.toolkit.image.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.image.ImageLayout;
import dev.gantry.toolkit.resolve.Fixtures;
import dev.gantry.toolkit.resolve.LocalInputs;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The build context is a pure function of its inputs, holds the one Dockerfile, and no Secret value. */
class BuildContextTest {
  static final Path DEFINITION = Fixtures.SAMPLES.resolve("petstore.yaml");

  @TempDir
  Path temp;

  static BuildContext sample() throws IOException {
    return BuildContext.fromFiles(List.of(DEFINITION), List.of(Fixtures.SAMPLE_RESOURCES), "petstore", "v1",
        "sha256:0123");
  }

  @Test
  void sameInputsGiveTheSameBytes() throws IOException {
    byte[] first = sample().tarGz();
    byte[] second = sample().tarGz();
    assertThat(second).isEqualTo(first);
    // The gzip header carries no time and no name: bytes 4-7 (MTIME) are zero.
    assertThat(first[0] & 0xff).isEqualTo(0x1f);
    assertThat(new byte[] {first[4], first[5], first[6], first[7]}).containsOnly(0);
  }

  @Test
  void entriesAreSortedWithFixedOwnerModeAndTime() throws IOException {
    BuildContext context = sample();
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar = tar(context.tarGz())) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
        assertThat(e.getLongUserId()).as(e.getName()).isZero();
        assertThat(e.getLongGroupId()).as(e.getName()).isZero();
        assertThat(e.getModTime().getTime()).as(e.getName()).isEqualTo(DeterministicTar.ENTRY_TIME_MILLIS);
        assertThat(e.getMode() & 07777).as(e.getName()).isEqualTo(e.isDirectory() ? 0755 : 0644);
      }
    }
    assertThat(names).isEqualTo(context.entries());
    assertThat(names).containsExactly("definitions/", "resources/", "Dockerfile", "definitions/petstore.yaml",
        "resources/.keep", "resources/01-api.yaml", "resources/02-endpoints.yaml", "resources/03-ratelimits.yaml",
        "resources/05-security.yaml");
  }

  @Test
  void holdsTheOneDockerfileAndTheDefinitionUnchanged() throws IOException {
    Map<String, byte[]> files = files(sample().tarGz());
    assertThat(files.get("Dockerfile")).isEqualTo(Files.readAllBytes(Path.of("../dockerfiles/Dockerfile")));
    assertThat(files.get("definitions/petstore.yaml")).isEqualTo(Files.readAllBytes(DEFINITION));
  }

  @Test
  void noSecretValueOrSecretDocumentGoesIntoTheContext() throws IOException {
    BuildContext context = sample();
    String all = new String(gunzip(context.tarGz()), StandardCharsets.UTF_8);
    List<String> values = secretValues();
    assertThat(values).hasSizeGreaterThanOrEqualTo(5);
    for (String value : values) {
      assertThat(all).doesNotContain(value, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
    // Comments go too: the sample's comment names a password.
    assertThat(all).doesNotContain("changeme").doesNotContain("kind: Secret");
    assertThat(context.secretsRemoved()).isEqualTo(5);
  }

  @Test
  void secretItemsOfAListAreRemovedAndTheRestKept() {
    String list = """
        apiVersion: v1
        kind: List
        items:
        - {apiVersion: v1, kind: Secret, metadata: {name: s}, data: {k: c2VjcmV0LXZhbHVl}}
        - {apiVersion: gantry.dev/v1alpha1, kind: RateLimit, metadata: {name: r}, spec: {requests: 1, per: 1s}}
        ---
        apiVersion: v1
        kind: SecretList
        items: [{metadata: {name: t}, data: {k: b3RoZXI=}}]
        """;
    SecretFreeResources.Result result = SecretFreeResources.rewrite("list.yaml", list.getBytes(StandardCharsets.UTF_8));
    String yaml = new String(result.yaml(), StandardCharsets.UTF_8);
    assertThat(result.secretsRemoved()).isEqualTo(2);
    assertThat(yaml).contains("kind: RateLimit").doesNotContain("c2VjcmV0LXZhbHVl", "b3RoZXI=", "Secret");
  }

  @Test
  void theContextCompilesToTheSameDigestAsTheOriginalFiles() throws IOException {
    BuildContext context = sample();
    context.extractTo(temp);
    String original = digest(LocalInputs.resolve(List.of(DEFINITION), List.of(Fixtures.SAMPLE_RESOURCES), "petstore", "v1")
        .api().orElseThrow());
    String fromContext = digest(LocalInputs.resolve(List.of(temp.resolve("definitions/petstore.yaml")),
        List.of(temp.resolve("resources")), "petstore", "v1").api().orElseThrow());
    assertThat(fromContext).isEqualTo(original);
  }

  @Test
  void buildArgsAndLabelsMatchTheImageContract() throws IOException {
    BuildContext context = sample();
    assertThat(context.buildArgs()).containsExactly(Map.entry("API", "petstore"), Map.entry("VERSION", "v1"),
        Map.entry("DEFINITIONS", "petstore.yaml"), Map.entry("BUNDLE_DIGEST", "sha256:0123"));
    assertThat(context.labels()).containsOnly(Map.entry(ImageLayout.LABEL_BUNDLE_DIGEST, "sha256:0123"),
        Map.entry(ImageLayout.LABEL_API, "petstore"), Map.entry(ImageLayout.LABEL_VERSION, "v1"));
    String dockerfile = new String(BuildContext.dockerfile(), StandardCharsets.UTF_8);
    context.buildArgs().keySet().forEach(arg -> assertThat(dockerfile).contains("ARG " + arg));
    assertThat(dockerfile).contains(ImageLayout.BUNDLE_DIR, ImageLayout.LABEL_BUNDLE_DIGEST, ImageLayout.LABEL_API,
        ImageLayout.LABEL_VERSION);
  }

  @Test
  void aContextTooLargeForAConfigMapIsReportedWithItsSize() {
    assertThat(sampleOrFail().configMapProblem()).isEmpty();
    byte[] noise = new byte[1200 * 1024];
    new Random(7).nextBytes(noise);
    String big = "openapi: 3.0.3\ninfo: {title: big, version: '1'}\nx-noise: " + Base64.getEncoder().encodeToString(noise);
    BuildContext context = BuildContext.create(List.of(new BuildContext.Source("big.yaml",
        big.getBytes(StandardCharsets.UTF_8))), List.of(), "big", "1", "sha256:1");
    assertThat(context.configMapProblem()).get().asString()
        .contains("build context of big 1", "more than a ConfigMap holds", "1,048,576");
  }

  @Test
  void unsafeOrDuplicateDefinitionNamesAndUnreadableResourcesAreRefusedNamingTheFile() {
    byte[] any = "openapi: 3.0.3".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> BuildContext.create(List.of(new BuildContext.Source("my api.yaml", any)), List.of(),
        "a", "1", "d")).hasMessageStartingWith("my api.yaml: a definition file name may hold only");
    assertThatThrownBy(() -> BuildContext.create(List.of(new BuildContext.Source("x/a.yaml", any),
        new BuildContext.Source("y/a.yaml", any)), List.of(), "a", "1", "d")).hasMessage("y/a.yaml: two definitions named a.yaml");
    assertThatThrownBy(() -> BuildContext.create(List.of(new BuildContext.Source("a.yaml", any)),
        List.of(new BuildContext.Source("res/bad.yaml", "a: [".getBytes(StandardCharsets.UTF_8))), "a", "1", "d"))
        .hasMessageStartingWith("res/bad.yaml: not readable as YAML, so it cannot be checked for Secrets");
  }

  private static BuildContext sampleOrFail() {
    try {
      return sample();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String digest(ResolvedApi api) {
    return new BundleCompiler().compile(api).digest();
  }

  private static List<String> secretValues() {
    List<String> values = new ArrayList<>();
    String text = Fixtures.read(Fixtures.SAMPLE_RESOURCES.resolve("secrets.yaml"));
    for (Object document : new Yaml().loadAll(text)) {
      ((Map<?, ?>) ((Map<?, ?>) document).get("stringData")).values().forEach(v ->
          String.valueOf(v).lines().filter(l -> !l.isBlank()).forEach(values::add));
    }
    return values;
  }

  private static TarArchiveInputStream tar(byte[] tarGz) throws IOException {
    return new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)));
  }

  private static byte[] gunzip(byte[] tarGz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(tarGz))) {
      return in.readAllBytes();
    }
  }

  private static Map<String, byte[]> files(byte[] tarGz) throws IOException {
    Map<String, byte[]> files = new java.util.TreeMap<>();
    try (TarArchiveInputStream tar = tar(tarGz)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (!e.isDirectory()) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          tar.transferTo(out);
          files.put(e.getName(), out.toByteArray());
        }
      }
    }
    return files;
  }
}
