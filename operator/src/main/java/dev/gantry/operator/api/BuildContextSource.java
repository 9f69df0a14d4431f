package dev.gantry.operator.api;

import dev.gantry.toolkit.resolve.ResolvedApi;
import java.io.IOException;
import java.util.Optional;

/**
 * Where a Kaniko build's context tarball (Dockerfile, definitions, secret-free resources) comes
 * from. The toolkit's build-context writer is being written on another branch; until it is wired
 * here, {@link #unavailable()} makes Kaniko builds end in a clear condition instead of a Job that
 * cannot work.
 */
@FunctionalInterface
public interface BuildContextSource {
  /** The context as tar.gz bytes, or empty when this operator build cannot make one. */
  Optional<byte[]> context(ResolvedApi api, String bundleDigest) throws IOException;

  static BuildContextSource unavailable() {
    return (api, digest) -> Optional.empty();
  }
}
