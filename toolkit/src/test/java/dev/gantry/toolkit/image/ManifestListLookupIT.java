package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.toolkit.image.testing.LocalRegistry;
import dev.gantry.toolkit.image.testing.TestImages;
import dev.gantry.toolkit.resolve.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tag holding an OCI index: the lookup reads the linux/amd64 image's labels, or says why it cannot. */
class ManifestListLookupIT {
  private static String index(String digest, int size, String architecture) {
    return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\"" + digest
        + "\",\"size\":" + size + ",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}}]}";
  }

  @Test
  void indexWithAnAmd64EntryIsReadThroughItAndOneWithoutIsAClearError() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      String runtime = TestImages.pushRuntimeStandIn(registry, "gantry/runtime", "0.1.0");
      RegistryAccess access = RegistryAccess.of(true, null, Map.of());
      ImagePipeline.Result built = ImagePipelineIT.pipeline(access).run(
          ImagePipelineIT.petstore(Fixtures.SAMPLE_RESOURCES, "v1"),
          new ImagePipeline.Request(ImageName.Target.parse(registry.host()), runtime, false), line -> { });
      String digest = built.manifestDigest().orElseThrow();
      int size = registry.manifest("petstore", digest).orElseThrow().length;
      String indexType = "application/vnd.oci.image.index.v1+json";
      registry.putManifest("petstore", "multi", indexType, index(digest, size, "amd64").getBytes(StandardCharsets.UTF_8));
      registry.putManifest("petstore", "arm-only", indexType, index(digest, size, "arm64").getBytes(StandardCharsets.UTF_8));
      JibRegistry lookup = new JibRegistry(access);

      Registry.Lookup multi = lookup.lookup(ImageName.of(registry.host(), "petstore", "multi").reference());
      assertThat(multi).isEqualTo(new Registry.Present(digest, Map.of(ImageLayout.LABEL_BUNDLE_DIGEST, built.bundleDigest(),
          ImageLayout.LABEL_API, "petstore", ImageLayout.LABEL_VERSION, "v1")));

      assertThatThrownBy(() -> lookup.lookup(ImageName.of(registry.host(), "petstore", "arm-only").reference()))
          .isInstanceOf(RegistryAccessException.class)
          .hasMessageContaining(registry.host() + "/petstore:arm-only is a manifest list without a linux/amd64 image");
    }
  }
}
