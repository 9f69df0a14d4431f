package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.toolkit.image.testing.LocalRegistry;
import dev.gantry.toolkit.image.testing.TestImages;
import dev.gantry.toolkit.resolve.Fixtures;
import dev.gantry.toolkit.resolve.LocalInputs;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline against a real registry: build, skip, refuse, override, registry down. */
class ImagePipelineIT {
  private static LocalRegistry registry;
  private static String runtime;

  @TempDir
  Path temp;

  private final List<String> progress = new ArrayList<>();

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = LocalRegistry.start();
    runtime = TestImages.pushRuntimeStandIn(registry, "gantry/runtime", "0.1.0");
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  static ResolvedApi petstore(Path resources, String version) {
    var resolution = LocalInputs.resolve(List.of(Fixtures.SAMPLES.resolve("petstore.yaml")), List.of(resources),
        "petstore", version);
    assertThat(resolution.problems()).noneMatch(p -> p.isError());
    return resolution.api().orElseThrow();
  }

  static ImagePipeline pipeline(RegistryAccess access) {
    return new ImagePipeline(new JibRegistry(access), new JibImageBuilder(access, null));
  }

  private ImagePipeline.Result run(ResolvedApi api, boolean override) throws Exception {
    return pipeline(RegistryAccess.of(true, null, Map.of())).run(api,
        new ImagePipeline.Request(ImageName.Target.parse(registry.host() + "/apis"), runtime, override), progress::add);
  }

  /** A copy of the sample resources with the "standard" quota changed: same API, other bundle. */
  private Path changedResources() throws IOException {
    Path copy = Files.createDirectories(temp.resolve("resources"));
    try (var files = Files.list(Fixtures.SAMPLE_RESOURCES)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    Path limits = copy.resolve("ratelimits.yaml");
    String text = Files.readString(limits);
    assertThat(text).contains("requests: 100");
    Files.writeString(limits, text.replaceFirst("requests: 100", "requests: 250"));
    return copy;
  }

  @Test
  void aLookupOfAJibBuiltImageIsOneManifestRequestAndAnImageWithoutMirroredLabelsReadsItsConfig() throws Exception {
    ImagePipeline.Result built = run(petstore(Fixtures.SAMPLE_RESOURCES, "mirrored"), false);
    String digest = built.manifestDigest().orElseThrow();
    Map<String, String> labels = Map.of(ImageLayout.LABEL_BUNDLE_DIGEST, built.bundleDigest(),
        ImageLayout.LABEL_API, "petstore", ImageLayout.LABEL_VERSION, "mirrored");
    var pushed = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(registry.manifest("apis/petstore", digest).orElseThrow());
    assertThat(pushed.path("config").path("annotations").path(ImageLayout.LABEL_BUNDLE_DIGEST).asText())
        .isEqualTo(built.bundleDigest());

    int before = registry.requests().size();
    Registry.Lookup lookup = new JibRegistry(RegistryAccess.of(true, null, Map.of())).lookup(built.image().reference());
    assertThat(lookup).isEqualTo(new Registry.Present(digest, labels));
    assertThat(registry.requests().subList(before, registry.requests().size()))
        .singleElement().asString().startsWith("GET ").contains("/manifests/mirrored");

    // The same image as a Dockerfile or an older Gantry would have pushed it: the labels come from the config.
    ((com.fasterxml.jackson.databind.node.ObjectNode) pushed.get("config")).remove("annotations");
    registry.putManifest("apis/petstore", "plain", pushed.path("mediaType").asText(),
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(pushed));
    before = registry.requests().size();
    Registry.Lookup plain = new JibRegistry(RegistryAccess.of(true, null, Map.of()))
        .lookup(ImageName.of(ImageName.Target.parse(registry.host() + "/apis"), "petstore", "plain").reference());
    assertThat(((Registry.Present) plain).labels()).isEqualTo(labels);
    assertThat(registry.requests().subList(before, registry.requests().size()))
        .anyMatch(r -> r.startsWith("GET ") && r.contains("/blobs/sha256:"));
  }

  @Test
  void buildsThenSkipsWithoutUploadingThenRefusesChangedContentThenOverrides() throws Exception {
    ResolvedApi api = petstore(Fixtures.SAMPLE_RESOURCES, "v1");

    ImagePipeline.Result built = run(api, false);

    assertThat(built.outcome()).isEqualTo(ImagePipeline.Outcome.BUILT);
    assertThat(built.image().toString()).isEqualTo(registry.host() + "/apis/petstore:v1");
    String digest = built.manifestDigest().orElseThrow();
    assertThat(registry.manifestDigest("apis/petstore", "v1")).contains(digest);
    assertThat(built.pinned()).contains(registry.host() + "/apis/petstore@" + digest);
    Registry.Lookup lookup = new JibRegistry(RegistryAccess.of(true, null, Map.of()))
        .lookup(built.image().reference());
    assertThat(lookup).isEqualTo(new Registry.Present(digest, Map.of(
        ImageLayout.LABEL_BUNDLE_DIGEST, built.bundleDigest(),
        ImageLayout.LABEL_API, "petstore",
        ImageLayout.LABEL_VERSION, "v1")));
    assertThat(progress).anyMatch(line -> line.contains("does not exist yet"));

    // Same bundle again: skipped, and not one blob upload or manifest push.
    int uploads = registry.blobUploads();
    int manifests = registry.manifestPuts();
    ImagePipeline.Result again = run(api, false);
    assertThat(again.outcome()).isEqualTo(ImagePipeline.Outcome.SKIPPED);
    assertThat(again.manifestDigest()).contains(digest);
    assertThat(registry.blobUploads()).isEqualTo(uploads);
    assertThat(registry.manifestPuts()).isEqualTo(manifests);

    // Changed quota, same version: refused, the tag keeps its image.
    ResolvedApi changed = petstore(changedResources(), "v1");
    ImagePipeline.Result refused = run(changed, false);
    assertThat(refused.outcome()).isEqualTo(ImagePipeline.Outcome.REFUSED);
    assertThat(refused.message()).isEqualTo(registry.host() + "/apis/petstore:v1 already holds different content (bundle "
        + built.bundleDigest() + ", new " + refused.bundleDigest() + "): bump the version or set override");
    assertThat(registry.manifestDigest("apis/petstore", "v1")).contains(digest);
    assertThat(registry.manifestPuts()).isEqualTo(manifests);

    // With override: rebuilt, the tag moves to the new image.
    ImagePipeline.Result overridden = run(changed, true);
    assertThat(overridden.outcome()).isEqualTo(ImagePipeline.Outcome.BUILT);
    assertThat(overridden.manifestDigest()).isPresent().get().isNotEqualTo(digest);
    assertThat(registry.manifestDigest("apis/petstore", "v1")).isEqualTo(overridden.manifestDigest());
  }

  @Test
  void registryDownIsAnErrorNamingTheRegistryAndNothingIsBuilt() throws Exception {
    try (LocalRegistry down = LocalRegistry.start()) {
      down.stop();
      List<String> built = new ArrayList<>();
      ImageBuilder recording = (request, progress) -> {
        built.add(request.target().toString());
        throw new AssertionError("must not build");
      };
      ImagePipeline pipeline = new ImagePipeline(new JibRegistry(RegistryAccess.of(true, null, Map.of())), recording);

      assertThatThrownBy(() -> pipeline.run(petstore(Fixtures.SAMPLE_RESOURCES, "v1"),
          new ImagePipeline.Request(ImageName.Target.parse(down.host()), runtime, false), progress::add))
          .isInstanceOf(RegistryAccessException.class)
          .hasMessageStartingWith("cannot look up " + down.host() + "/petstore:v1 in registry " + down.host() + ": ")
          .hasMessageContaining("Connection refused");
      assertThat(built).isEmpty();
    }
  }
}
