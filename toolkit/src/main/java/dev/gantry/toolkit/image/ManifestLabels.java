package dev.gantry.toolkit.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Gantry labels, mirrored as annotations on the config descriptor of an image's OCI manifest,
 * so that a lookup reads the bundle digest from the manifest answer alone instead of fetching the
 * config blob too: one registry round trip per new API instead of two.
 *
 * <p>Why the config descriptor and not the manifest's own {@code annotations}: the lookup reads
 * manifests through Jib, whose manifest classes keep a descriptor's annotations but drop the
 * manifest's; and a descriptor's annotations describe what it points to, which is what these do
 * (they say what the config's labels say). The labels stay in the config: they are the contract
 * ({@link SkipRule}), and images built another way (a Dockerfile, Kaniko, an older Gantry) carry
 * only them; their lookups fetch the config as before. Pure.
 */
final class ManifestLabels {
  static final List<String> MIRRORED = List.of(ImageLayout.LABEL_BUNDLE_DIGEST, ImageLayout.LABEL_API,
      ImageLayout.LABEL_VERSION);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestLabels() {}

  /** The manifest with {@code labels} (sorted, so the same labels give the same bytes) on its config descriptor. */
  static OciManifestTemplate annotated(OciManifestTemplate manifest, Map<String, String> labels) throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(JsonTemplateMapper.toUtf8String(manifest));
    ObjectNode annotations = ((ObjectNode) json.get("config")).putObject("annotations");
    new TreeMap<>(labels).forEach(annotations::put);
    return JsonTemplateMapper.readJson(JSON.writeValueAsString(json), OciManifestTemplate.class);
  }

  /** The mirrored labels, when the manifest carries the bundle digest; empty for any other image. */
  static Optional<Map<String, String>> of(BuildableManifestTemplate manifest) {
    Map<String, String> annotations = manifest.getContainerConfiguration() == null ? null
        : manifest.getContainerConfiguration().getAnnotations();
    if (annotations == null || annotations.get(ImageLayout.LABEL_BUNDLE_DIGEST) == null) {
      return Optional.empty();
    }
    Map<String, String> labels = new TreeMap<>();
    MIRRORED.stream().filter(k -> annotations.get(k) != null).forEach(k -> labels.put(k, annotations.get(k)));
    return Optional.of(Map.copyOf(labels));
  }
}
