package dev.gantry.toolkit.image;

import com.google.cloud.tools.jib.api.ImageReference;
import java.util.Map;

/** What Gantry needs to know of a registry before building: is this tag there, and with which labels. */
public interface Registry {
  /**
   * Looks up a tagged image.
   *
   * @return {@link Absent} only when the registry answered that the tag does not exist
   * @throws RegistryAccessException for every other failure (unreachable, refused credentials,
   *     server error, unreadable answer): never to be read as "absent"
   */
  Lookup lookup(ImageReference reference) throws RegistryAccessException;

  /** The answer of a successful lookup. */
  sealed interface Lookup permits Absent, Present {}

  /** The registry says the tag does not exist. */
  record Absent() implements Lookup {}

  /**
   * The tag exists.
   *
   * @param manifestDigest digest of the image manifest ({@code sha256:…}); for a manifest list or
   *     OCI index, of the linux/amd64 image's manifest
   * @param labels the image configuration's labels (empty when it has none); for an image whose
   *     manifest mirrors the Gantry labels ({@link ManifestLabels}: Gantry's Jib builds), only those,
   *     read from the manifest without fetching the configuration
   */
  record Present(String manifestDigest, Map<String, String> labels) implements Lookup {
    public Present {
      labels = Map.copyOf(labels);
    }
  }
}
