package dev.gantry.toolkit.image;

import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Step 5 of the flow for one resolved API: compile the bundle, name the image, ask the registry,
 * apply the {@link SkipRule}, and build only when it says so. A registry that cannot be asked
 * stops the pipeline before any build ({@link RegistryAccessException}): an unanswered lookup is
 * never a licence to overwrite a tag.
 */
public final class ImagePipeline {
  public enum Outcome {
    /** Built and pushed (new tag, or an override). */
    BUILT,
    /** The tag already held this exact bundle. */
    SKIPPED,
    /** The tag holds other content; nothing was pushed. */
    REFUSED
  }

  /**
   * @param manifestDigest the image now behind the tag (built or already present); for REFUSED, the
   *     existing image the tag keeps
   */
  public record Result(Outcome outcome, ImageName image, String bundleDigest, Optional<String> manifestDigest,
                       String message) {
    /** {@code registry/repository@sha256:…}, when there is a digest. */
    public Optional<String> pinned() {
      return manifestDigest.map(image::withDigest);
    }
  }

  /** What to build: the registry to push to, the runtime base image and the override switch. */
  public record Request(ImageName.Target registry, String runtimeImage, boolean override) {}

  private final Registry registry;
  private final ImageBuilder builder;

  public ImagePipeline(Registry registry, ImageBuilder builder) {
    this.registry = registry;
    this.builder = builder;
  }

  /**
   * @throws ImageNameException when the API name or version cannot make an image name
   * @throws RegistryAccessException when the registry cannot be asked or refuses the push
   * @throws IOException on local I/O failures while building
   */
  public Result run(ResolvedApi api, Request request, Consumer<String> progress)
      throws RegistryAccessException, IOException {
    return run(api, new BundleCompiler().compile(api), request, progress);
  }

  /** As above, with the bundle the caller already compiled from {@code api} (the operator has it for its digest). */
  public Result run(ResolvedApi api, Bundle bundle, Request request, Consumer<String> progress)
      throws RegistryAccessException, IOException {
    String name = api.identity().name();
    String version = api.identity().version();
    ImageName image = ImageName.of(request.registry(), name, version);
    progress.accept("Looking up " + image + " (bundle " + bundle.digest() + ")");
    Registry.Lookup lookup = registry.lookup(image.reference());
    SkipRule.Decision decision = SkipRule.decide(image, lookup, bundle.digest(), request.override());
    Optional<String> existing = lookup instanceof Registry.Present present
        ? Optional.of(present.manifestDigest()) : Optional.empty();
    switch (decision.action()) {
      case SKIP:
        return new Result(Outcome.SKIPPED, image, bundle.digest(), existing, decision.message());
      case REFUSE:
        return new Result(Outcome.REFUSED, image, bundle.digest(), existing, decision.message());
      default:
        progress.accept(decision.message());
        ImageBuilder.Result built = builder.build(
            new ImageBuilder.Request(image, request.runtimeImage(), bundle, name, version), progress);
        return new Result(Outcome.BUILT, image, bundle.digest(), Optional.of(built.manifestDigest()),
            "built and pushed " + built.pinned());
    }
  }
}
