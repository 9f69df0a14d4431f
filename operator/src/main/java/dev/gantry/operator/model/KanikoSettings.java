package dev.gantry.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Objects;
import java.util.Optional;

/**
 * How the operator runs Kaniko builds. Kaniko was archived upstream in 2025 and is kept alive by
 * forks, so the executor image is a setting, never a constant in code.
 *
 * @param executorImage  the Kaniko executor (or a fork) to run
 * @param toolkitImage   stage 1 of the Dockerfile: the image that runs {@code gantry build}
 * @param runtimeImage   stage 2: the gateway runtime the bundle is copied onto
 * @param insecureRegistry the registry speaks plain HTTP (Kaniko's --insecure and --insecure-pull)
 * @param pushSecret     a kubernetes.io/dockerconfigjson Secret with push credentials, if any
 * @param serviceAccount service account of the build pod (cloud registries often use workload identity)
 * @param resources      requests and limits of the build container
 * @param deadlineSeconds a build running longer than this is failed by Kubernetes
 * @param keepFinishedSeconds how long a finished Job stays for its logs to be read
 */
public record KanikoSettings(
    String executorImage,
    String toolkitImage,
    String runtimeImage,
    boolean insecureRegistry,
    Optional<String> pushSecret,
    Optional<String> serviceAccount,
    ResourceRequirements resources,
    long deadlineSeconds,
    int keepFinishedSeconds) {

  public static final String DEFAULT_EXECUTOR = "gcr.io/kaniko-project/executor:v1.23.2";

  public KanikoSettings {
    Objects.requireNonNull(executorImage, "executorImage");
    Objects.requireNonNull(toolkitImage, "toolkitImage");
    Objects.requireNonNull(runtimeImage, "runtimeImage");
    Objects.requireNonNull(pushSecret, "pushSecret");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    Objects.requireNonNull(resources, "resources");
  }

  /** Defaults for everything but the images: Kaniko unpacks a JRE image, so it needs real memory. */
  public static KanikoSettings defaults(String toolkitImage, String runtimeImage) {
    ResourceRequirements resources = new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("500m"))
        .addToRequests("memory", new Quantity("512Mi"))
        .addToLimits("memory", new Quantity("2Gi"))
        .build();
    return new KanikoSettings(DEFAULT_EXECUTOR, toolkitImage, runtimeImage, false, Optional.empty(),
        Optional.empty(), resources, 900, 3600);
  }

  public KanikoSettings withInsecureRegistry(boolean insecure) {
    return new KanikoSettings(executorImage, toolkitImage, runtimeImage, insecure, pushSecret, serviceAccount,
        resources, deadlineSeconds, keepFinishedSeconds);
  }

  public KanikoSettings withPushSecret(String secret) {
    return new KanikoSettings(executorImage, toolkitImage, runtimeImage, insecureRegistry, Optional.of(secret),
        serviceAccount, resources, deadlineSeconds, keepFinishedSeconds);
  }
}
