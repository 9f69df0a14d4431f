package dev.gantry.toolkit.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.toolkit.resolve.ApiResolver;
import dev.gantry.toolkit.resolve.Fixtures;
import dev.gantry.toolkit.resolve.LocalInputs;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Same inputs, same bytes: the order and spelling of the inputs must not move the digest. */
class BundleDeterminismTest {
  @TempDir
  Path temp;

  private static ResolvedApi resolve(Path definition, Path resources) {
    ApiResolver.Resolution resolution = LocalInputs.resolve(List.of(definition), List.of(resources), null, null);
    return resolution.api().orElseThrow(() -> new AssertionError(resolution.problems()));
  }

  private static Bundle bundle(Path definition, Path resources) {
    return new BundleCompiler().compile(resolve(definition, resources));
  }

  private static Path sampleDefinition() {
    return Fixtures.SAMPLES.resolve("petstore.yaml");
  }

  @Test
  void twoBuildsGiveTheSameBytes() {
    Bundle first = bundle(sampleDefinition(), Fixtures.SAMPLE_RESOURCES);
    Bundle second = bundle(sampleDefinition(), Fixtures.SAMPLE_RESOURCES);

    assertThat(second.digest()).isEqualTo(first.digest()).matches("sha256:[0-9a-f]{64}");
    assertThat(second.files().keySet()).containsExactlyElementsOf(first.files().keySet());
    first.files().forEach((path, bytes) -> assertThat(second.files().get(path)).as(path).isEqualTo(bytes));
  }

  @Test
  void documentOrderKeyOrderFileOrderAndLineEndingsDoNotChangeTheDigest() throws IOException {
    String expected = bundle(sampleDefinition(), Fixtures.SAMPLE_RESOURCES).digest();

    List<Map<String, Object>> documents = sampleDocuments();
    Collections.reverse(documents);
    Path reordered = Files.createDirectories(temp.resolve("reordered"));
    // One document per file, named so that files sort in the reverse of the sample's order, keys reversed.
    for (int i = 0; i < documents.size(); i++) {
      String yaml = dump(reverseKeys(documents.get(i))).replace("\n", "\r\n");
      Files.writeString(reordered.resolve(String.format("%02d-doc.yaml", documents.size() - i)), yaml);
    }
    Path crlfDefinition = temp.resolve("petstore.yaml");
    Files.writeString(crlfDefinition, "\uFEFF" + Fixtures.read(sampleDefinition()).replace("\n", "\r\n"));

    assertThat(bundle(crlfDefinition, reordered).digest()).isEqualTo(expected);
  }

  @Test
  void aChangedQuotaChangesTheDigestAChangedBackendUrlDoesNot() throws IOException {
    Bundle original = bundle(sampleDefinition(), Fixtures.SAMPLE_RESOURCES);
    byte[] originalEnvironment = new EnvironmentCompiler().compile(resolve(sampleDefinition(), Fixtures.SAMPLE_RESOURCES));

    Path quota = copySamples("quota");
    replaceIn(quota.resolve("ratelimits.yaml"), "requests: 100", "requests: 101");
    assertThat(bundle(sampleDefinition(), quota).digest()).isNotEqualTo(original.digest());

    Path promoted = copySamples("promoted");
    replaceIn(promoted.resolve("endpoints.yaml"), "http://petstore.default.svc:8080", "http://petstore.prod.svc:8080");
    ResolvedApi prod = resolve(sampleDefinition(), promoted);
    assertThat(new BundleCompiler().compile(prod).digest()).isEqualTo(original.digest());
    assertThat(new String(new EnvironmentCompiler().compile(prod)))
        .contains("http://petstore.prod.svc:8080")
        .isNotEqualTo(new String(originalEnvironment));
  }

  @Test
  void theBundleHoldsRoutesPoliciesGatewayConfigAndTheOriginalDefinition() {
    Bundle bundle = bundle(sampleDefinition(), Fixtures.SAMPLE_RESOURCES);

    assertThat(bundle.files()).containsOnlyKeys("bundle.yaml", "gateway.yaml", "openapi/petstore.yaml",
        "policies.yaml", "routes.yaml");
    assertThat(bundle.text("openapi/petstore.yaml")).isEqualTo(Fixtures.read(sampleDefinition()));
    assertThat(bundle.text("policies.yaml")).contains("""
          writes:
            burst: 5
            per: 1m
            periodMillis: 60000
            requests: 10
            scope: consumer
        """);
    assertThat(bundle.text("routes.yaml")).contains("""
        - basePath: /store/v1
          definition: petstore.yaml
          definitionPath: /inventory
          maxBodyBytes: 1048576
          method: GET
          operationId: getInventory
          path: /store/v1/inventory
          public: false
          rateLimit: standard
          security:
          - - scheme: store-key
              scopes: []
          upstreams:
          - petstore-backend
        """);
    assertThat(bundle.text("gateway.yaml")).contains("maxHeaderBytes: 16384");
    assertThat(bundle.text("bundle.yaml")).startsWith("api: petstore\nfiles:\n- gateway.yaml\n");
    // Where the backends are is per cluster: it is not in the bundle.
    assertThat(String.join("", bundle.files().keySet().stream().map(bundle::text).toList()))
        .doesNotContain("petstore.default.svc", "auth.example.com/oauth2/introspect", "&id", "\r");
  }

  private Path copySamples(String name) throws IOException {
    Path copy = Files.createDirectories(temp.resolve(name));
    try (Stream<Path> files = Files.list(Fixtures.SAMPLE_RESOURCES)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    return copy;
  }

  private static void replaceIn(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> sampleDocuments() throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(Fixtures.SAMPLE_RESOURCES)) {
      for (Path file : files.sorted().toList()) {
        for (Object document : new Yaml().loadAll(Files.readString(file))) {
          documents.add((Map<String, Object>) document);
        }
      }
    }
    return documents;
  }

  @SuppressWarnings("unchecked")
  private static Object reverseKeys(Object value) {
    if (value instanceof Map<?, ?> map) {
      List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
      Collections.reverse(entries);
      Map<Object, Object> out = new LinkedHashMap<>();
      entries.forEach(e -> out.put(e.getKey(), reverseKeys(e.getValue())));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(BundleDeterminismTest::reverseKeys).toList();
    }
    return value;
  }

  private static String dump(Object document) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
    return new Yaml(options).dump(document);
  }
}
