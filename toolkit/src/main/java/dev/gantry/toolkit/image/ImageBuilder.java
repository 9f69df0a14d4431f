package dev.gantry.toolkit.image;

import dev.gantry.toolkit.bundle.Bundle;
import java.util.function.Consumer;

/** Turns a bundle into a pushed per-API image (Jib in-process here; a Dockerfile/Kaniko path elsewhere). */
public interface ImageBuilder {
  /**
   * @param target where to push
   * @param baseImage the runtime image to build on (a registry reference; Jib also takes {@code tar://PATH})
   * @param bundle the bundle to put at {@link ImageLayout#BUNDLE_DIR}
   * @param api API name, for the label
   * @param version API version, for the label
   */
  record Request(ImageName target, String baseImage, Bundle bundle, String api, String version) {}

  /** @param manifestDigest the pushed manifest's digest, {@code sha256:…} */
  record Result(ImageName image, String manifestDigest) {
    /** {@code registry/repository@sha256:…}, what a Deployment pins. */
    public String pinned() {
      return image.withDigest(manifestDigest);
    }
  }

  /**
   * Builds and pushes.
   *
   * @param progress receives human-readable progress lines
   * @throws RegistryAccessException when a registry (base or target) cannot be read or written
   * @throws java.io.IOException for local I/O failures
   */
  Result build(Request request, Consumer<String> progress) throws RegistryAccessException, java.io.IOException;
}
