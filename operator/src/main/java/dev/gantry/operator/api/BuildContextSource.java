package dev.gantry.operator.api;

import dev.gantry.toolkit.image.context.BuildContext;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.io.IOException;
import java.util.Optional;

/**
 * Where a Kaniko build's context (Dockerfile, definitions, secret-free resources, build args)
 * comes from: {@link #fromResolvedApi()} in the operator; tests may hand in their own, or
 * {@link #unavailable()} to see how a missing context is reported.
 */
@FunctionalInterface
public interface BuildContextSource {
  /** The context, or empty when none can be made. */
  Optional<BuildContext> context(ResolvedApi api, String bundleDigest) throws IOException;

  /** The toolkit's context of the resolved API: stage 1 recompiles it and checks the digest. */
  static BuildContextSource fromResolvedApi() {
    return (api, digest) -> Optional.of(BuildContext.fromResolved(api, digest));
  }

  static BuildContextSource unavailable() {
    return (api, digest) -> Optional.empty();
  }
}
