package dev.gantry.operator.api;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.operator.settings.OperatorSettings;
import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.image.ImageName;
import dev.gantry.toolkit.image.ImageNameException;
import dev.gantry.toolkit.image.ImagePipeline;
import dev.gantry.toolkit.image.RegistryAccessException;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jib builder, in-process: the toolkit's {@link ImagePipeline} (lookup, skip rule, build, push).
 *
 * <p>It runs on the JOSDK worker thread that reconciles the API, and blocks it for the build.
 * Decided so because: the framework already never reconciles one API twice at once, so a build
 * cannot race itself; a build is seconds (the bundle layer only; base layers are cached) and the
 * worker pool is sized for it ({@code --reconcile-threads}); and the status stays a plain function
 * of one reconcile. Off-thread builds would need our own queue, de-duplication and a way to wake
 * the reconcile when done, which is what Kaniko Jobs give us on the cluster side.
 *
 * <p>An image built or found (skipped) for a bundle digest is remembered for {@link #REMEMBER}: the
 * reconciles that follow a deploy (the Deployment's own events, status updates) then ask the
 * registry nothing and report the same outcome. That matters beyond the saved request: the framework
 * does not cache our status patch, so the next reconcile may read the API from before it; were it
 * to look up again, it would find the image it just pushed and turn "Built" into "AlreadyBuilt".
 * The key holds the API, the image reference and the bundle digest, so another API (the same one
 * promoted to another namespace reports "AlreadyBuilt", not our "Built"), a new bundle, version or
 * registry always looks again; after the period, so does everything else (a tag deleted meanwhile is rebuilt).
 */
final class JibBuilds {
  private static final Logger LOG = LoggerFactory.getLogger(JibBuilds.class);

  static final Duration REMEMBER = Duration.ofMinutes(1);

  private final RegistryClients registries;
  private final BuildMetrics metrics;
  private final java.util.Map<String, Remembered> known = new java.util.concurrent.ConcurrentHashMap<>();

  private record Remembered(ImageOutcome.Ready outcome, long until) {}

  JibBuilds(RegistryClients registries, BuildMetrics metrics) {
    this.registries = registries;
    this.metrics = metrics;
  }

  ImageOutcome image(Api api, ResolvedApi resolved, Bundle bundle, OperatorSettings settings) {
    String bundleDigest = bundle.digest();
    String key;
    try {
      key = api.getMetadata().getNamespace() + "/" + api.getMetadata().getName() + " "
          + ImageName.of(settings.registry(), resolved.identity().name(), resolved.identity().version())
          + " " + bundleDigest;
    } catch (ImageNameException e) {
      return new ImageOutcome.Failed("InvalidImageName", e.getMessage(), false);
    }
    long now = System.nanoTime();
    Remembered remembered = known.get(key);
    if (remembered != null && now - remembered.until() < 0) {
      metrics.record("jib", "skipped", Duration.ofNanos(System.nanoTime() - now)); // still a skip, just a known one
      return remembered.outcome();
    }
    known.values().removeIf(r -> now - r.until() >= 0);
    ImageOutcome outcome = lookUpOrBuild(api, resolved, bundle, settings);
    if (outcome instanceof ImageOutcome.Ready ready) {
      known.put(key, new Remembered(ready, now + REMEMBER.toNanos()));
    }
    return outcome;
  }

  private ImageOutcome lookUpOrBuild(Api api, ResolvedApi resolved, Bundle bundle, OperatorSettings settings) {
    boolean override = Boolean.TRUE.equals(api.getSpec().getOverride());
    long start = System.nanoTime();
    String outcome = "error";
    try {
      ImagePipeline.Result result = registries.pipeline(settings).run(resolved, bundle,
          new ImagePipeline.Request(settings.registry(), settings.runtimeImage(), override),
          line -> LOG.debug("{}/{}: {}", api.getMetadata().getNamespace(), api.getMetadata().getName(), line));
      outcome = result.outcome().name().toLowerCase(Locale.ROOT);
      return switch (result.outcome()) {
        case BUILT -> new ImageOutcome.Ready(result.pinned().orElseThrow(), ImageOutcome.Reasons.BUILT, result.message());
        case SKIPPED -> new ImageOutcome.Ready(result.pinned().orElseThrow(), ImageOutcome.Reasons.SKIPPED,
            result.message());
        case REFUSED -> new ImageOutcome.Failed(ImageOutcome.Reasons.REFUSED, result.message(), false);
      };
    } catch (RegistryAccessException e) {
      // Never "absent": an unanswered lookup must not become a build that overwrites a tag.
      return new ImageOutcome.Failed(ImageOutcome.Reasons.REGISTRY_ERROR, e.getMessage(), true);
    } catch (ImageNameException e) {
      return new ImageOutcome.Failed("InvalidImageName", e.getMessage(), false);
    } catch (IOException e) {
      return new ImageOutcome.Failed(ImageOutcome.Reasons.BUILD_FAILED, "Jib build failed: " + e.getMessage(), true);
    } finally {
      metrics.record("jib", outcome, Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
