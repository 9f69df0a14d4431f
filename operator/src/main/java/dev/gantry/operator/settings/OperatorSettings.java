package dev.gantry.operator.settings;

import dev.gantry.crds.v1alpha1.Builder;
import dev.gantry.crds.v1alpha1.ExposureType;
import dev.gantry.operator.model.KanikoSettings;
import dev.gantry.toolkit.image.ImageName;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's settings, parsed and checked from the settings ConfigMap by {@link SettingsParser}.
 * Every field is documented (with its key) in operator/README.md.
 *
 * @param registry          where per-API images are pushed ({@code registry})
 * @param insecureRegistry  plain HTTP or unverified TLS ({@code insecureRegistry})
 * @param pushSecret        dockerconfigjson Secret Kaniko Jobs push with ({@code pushSecret})
 * @param pullSecret        image pull secret added to gateway pods ({@code pullSecret})
 * @param defaultBuilder    builder of APIs that name none ({@code defaultBuilder})
 * @param kanikoExecutorImage Kaniko executor or fork ({@code kanikoExecutorImage})
 * @param toolkitImage      stage 1 of Kaniko builds; required only when Kaniko is used ({@code toolkitImage})
 * @param runtimeImage      the gateway runtime base image ({@code runtimeImage})
 * @param exposure          Service type of APIs that set no exposure ({@code exposure})
 * @param hpa               defaults for an API's autoscaling fields it leaves out
 * @param clusterName       this cluster's name, passed to fleet gateways ({@code clusterName}, default "default")
 */
public record OperatorSettings(
    ImageName.Target registry,
    boolean insecureRegistry,
    Optional<String> pushSecret,
    Optional<String> pullSecret,
    Builder defaultBuilder,
    String kanikoExecutorImage,
    Optional<String> toolkitImage,
    String runtimeImage,
    ExposureType exposure,
    HpaDefaults hpa,
    String clusterName) {

  /** Autoscaling bounds used when an API's {@code autoscaling} leaves them out. */
  public record HpaDefaults(int minReplicas, int maxReplicas, int targetCpuPercent) {}

  public OperatorSettings {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(runtimeImage, "runtimeImage");
    Objects.requireNonNull(clusterName, "clusterName");
  }

  /** Kaniko's settings, or empty when no toolkit image is configured (Kaniko builds then cannot run). */
  public Optional<KanikoSettings> kaniko() {
    return toolkitImage.map(toolkit -> {
      KanikoSettings defaults = KanikoSettings.defaults(toolkit, runtimeImage).withInsecureRegistry(insecureRegistry);
      KanikoSettings withExecutor = new KanikoSettings(kanikoExecutorImage, defaults.toolkitImage(),
          defaults.runtimeImage(), defaults.insecureRegistry(), defaults.pushSecret(), defaults.serviceAccount(),
          defaults.resources(), defaults.deadlineSeconds(), defaults.keepFinishedSeconds());
      return pushSecret.map(withExecutor::withPushSecret).orElse(withExecutor);
    });
  }
}
