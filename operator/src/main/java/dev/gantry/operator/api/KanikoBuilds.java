package dev.gantry.operator.api;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.operator.model.BuildJob;
import dev.gantry.toolkit.image.context.BuildContext;
import dev.gantry.operator.model.KanikoSettings;
import dev.gantry.operator.model.Names;
import dev.gantry.operator.settings.OperatorSettings;
import dev.gantry.operator.settings.SettingsParser;
import dev.gantry.toolkit.image.ImageName;
import dev.gantry.toolkit.image.ImageNameException;
import dev.gantry.toolkit.image.Registry;
import dev.gantry.toolkit.image.RegistryAccessException;
import dev.gantry.toolkit.image.SkipRule;
import dev.gantry.toolkit.resolve.ResolvedApi;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Optional;

/**
 * The Kaniko builder: a Job in the API's namespace, named from the bundle digest, so the Job of a
 * build already started (by this operator or one before a restart) is found and followed rather
 * than started again. The registry is asked first with the same skip rule as Jib, so an image
 * that exists is never rebuilt and a tag holding other content is never overwritten.
 */
final class KanikoBuilds {
  private final KubernetesClient client;
  private final RegistryClients registries;
  private final BuildContextSource contexts;
  private final BuildMetrics metrics;

  KanikoBuilds(KubernetesClient client, RegistryClients registries, BuildContextSource contexts, BuildMetrics metrics) {
    this.client = client;
    this.registries = registries;
    this.contexts = contexts;
    this.metrics = metrics;
  }

  /** @param existing the build's Job from the informer cache, if there is one */
  ImageOutcome image(Api api, ResolvedApi resolved, String bundleDigest, OperatorSettings settings,
                     Optional<Job> existing) throws IOException {
    Optional<KanikoSettings> kaniko = settings.kaniko();
    if (kaniko.isEmpty()) {
      return new ImageOutcome.Failed(ImageOutcome.Reasons.INVALID_SETTINGS, "Kaniko builds need the settings key "
          + SettingsParser.TOOLKIT_IMAGE + " (the image that runs stage 1 of the Dockerfile)", false);
    }
    ImageName image;
    Registry.Lookup lookup;
    try {
      image = ImageName.of(settings.registry(), api.getMetadata().getName(), api.getSpec().getVersion());
      lookup = registries.registry(settings).lookup(image.reference());
    } catch (ImageNameException e) {
      return new ImageOutcome.Failed("InvalidImageName", e.getMessage(), false);
    } catch (RegistryAccessException e) {
      return new ImageOutcome.Failed(ImageOutcome.Reasons.REGISTRY_ERROR, e.getMessage(), true);
    }
    SkipRule.Decision decision = SkipRule.decide(image, lookup, bundleDigest,
        Boolean.TRUE.equals(api.getSpec().getOverride()));
    switch (decision.action()) {
      case SKIP:
        metrics.record("kaniko", "skipped", Duration.ZERO);
        return new ImageOutcome.Ready(image.withDigest(((Registry.Present) lookup).manifestDigest()),
            ImageOutcome.Reasons.SKIPPED, decision.message());
      case REFUSE:
        metrics.record("kaniko", "refused", Duration.ZERO);
        return new ImageOutcome.Failed(ImageOutcome.Reasons.REFUSED, decision.message(), false);
      default:
        break;
    }
    String jobName = Names.buildJob(api.getMetadata().getName(), bundleDigest);
    if (existing.isEmpty()) {
      return start(api, resolved, bundleDigest, image, kaniko.get(), jobName);
    }
    Job job = existing.get();
    if (KanikoJobs.succeeded(job)) {
      return KanikoJobs.pushedDigest(client, job)
          .map(digest -> {
            metrics.record("kaniko", "built", KanikoJobs.runTime(job));
            return (ImageOutcome) new ImageOutcome.Ready(image.withDigest(digest), ImageOutcome.Reasons.BUILT,
                "Kaniko Job " + jobName + " built and pushed " + image.withDigest(digest));
          })
          .orElseGet(() -> new ImageOutcome.Failed(ImageOutcome.Reasons.BUILD_FAILED, "Kaniko Job " + jobName
              + " succeeded but its pod reported no image digest and " + image + " is not in the registry", true));
    }
    if (KanikoJobs.failed(job)) {
      metrics.record("kaniko", "failed", KanikoJobs.runTime(job));
      return new ImageOutcome.Failed(ImageOutcome.Reasons.BUILD_FAILED,
          "Kaniko Job " + jobName + " failed: " + KanikoJobs.failure(client, job), false);
    }
    metrics.record("kaniko", "building", Duration.ZERO);
    return new ImageOutcome.Pending("Kaniko Job " + jobName + " is building " + image);
  }

  private ImageOutcome start(Api api, ResolvedApi resolved, String bundleDigest, ImageName image,
                             KanikoSettings kaniko, String jobName) throws IOException {
    Optional<BuildContext> context = contexts.context(resolved, bundleDigest);
    if (context.isEmpty()) {
      return new ImageOutcome.Failed(ImageOutcome.Reasons.KANIKO_UNAVAILABLE, "no Kaniko build context could be "
          + "made for this API; use builder jib or a prebuilt image", false);
    }
    if (context.get().configMapProblem().isPresent()) {
      return new ImageOutcome.Failed(ImageOutcome.Reasons.KANIKO_UNAVAILABLE, context.get().configMapProblem().get(),
          false);
    }
    BuildJob.Request request = new BuildJob.Request(api, bundleDigest, image.toString(), context.get());
    createUnlessPresent(BuildJob.context(request));
    createUnlessPresent(BuildJob.job(request, kaniko));
    metrics.record("kaniko", "started", Duration.ZERO);
    return new ImageOutcome.Pending("Kaniko Job " + jobName + " started: building " + image);
  }

  /** Both objects are named from the digest: one that already exists is this very build, adopted as is. */
  private void createUnlessPresent(io.fabric8.kubernetes.api.model.HasMetadata desired) {
    try {
      client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }
}
