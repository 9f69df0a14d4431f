package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestLabelsTest {
  static final Map<String, String> LABELS = Map.of(ImageLayout.LABEL_BUNDLE_DIGEST, "sha256:" + "c".repeat(64),
      ImageLayout.LABEL_API, "petstore", ImageLayout.LABEL_VERSION, "v1");

  static OciManifestTemplate manifest() throws Exception {
    OciManifestTemplate manifest = new OciManifestTemplate();
    manifest.setContainerConfiguration(1234, DescriptorDigest.fromHash("a".repeat(64)));
    manifest.addLayer(5678, DescriptorDigest.fromHash("b".repeat(64)));
    return manifest;
  }

  @Test
  void theLabelsGoOnTheConfigDescriptorAndAreReadBack() throws Exception {
    OciManifestTemplate annotated = ManifestLabels.annotated(manifest(), LABELS);

    String json = JsonTemplateMapper.toUtf8String(annotated);
    assertThat(json).contains("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\"")
        .contains("\"annotations\":{\"dev.gantry.api\":\"petstore\",\"dev.gantry.bundle-digest\":\"sha256:");
    assertThat(annotated.getLayers()).singleElement().satisfies(l -> assertThat(l.getSize()).isEqualTo(5678));
    assertThat(ManifestLabels.of(annotated)).contains(LABELS);
  }

  @Test
  void theSameLabelsInAnyOrderGiveTheSameBytes() throws Exception {
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put(ImageLayout.LABEL_VERSION, "v1");
    reversed.put(ImageLayout.LABEL_API, "petstore");
    reversed.put(ImageLayout.LABEL_BUNDLE_DIGEST, LABELS.get(ImageLayout.LABEL_BUNDLE_DIGEST));

    assertThat(JsonTemplateMapper.toUtf8String(ManifestLabels.annotated(manifest(), reversed)))
        .isEqualTo(JsonTemplateMapper.toUtf8String(ManifestLabels.annotated(manifest(), LABELS)));
  }

  @Test
  void aManifestWithoutTheBundleDigestHasNoMirroredLabels() throws Exception {
    assertThat(ManifestLabels.of(manifest())).isEmpty();
    V22ManifestTemplate docker = new V22ManifestTemplate();
    docker.setContainerConfiguration(1, DescriptorDigest.fromHash("a".repeat(64)));
    assertThat(ManifestLabels.of(docker)).isEmpty();
    assertThat(ManifestLabels.of(ManifestLabels.annotated(manifest(), Map.of("maintainer", "someone")))).isEmpty();
  }
}
