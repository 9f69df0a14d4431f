package dev.gantry.operator.model;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.toolkit.image.ImageLayout;
import dev.gantry.toolkit.image.product.ProductImages;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The gateway of one API as desired objects: the environment ConfigMap (this cluster's endpoint
 * URLs and security settings) and a Deployment running the image pinned by digest, with the
 * referenced Secrets mounted as files. The image is the same in every cluster; only these
 * objects differ. Pure: tests call it without a cluster.
 */
public final class GatewayDeployment {
  public static final String ENVIRONMENT_KEY = "environment.yaml";
  public static final String ANNOTATION_ENVIRONMENT = "gantry.dev/environment-sha256";
  static final String CONTAINER = GatewayContainer.NAME;

  /**
   * @param api            the API (owner; replicas, env, resources, autoscaling)
   * @param image          the pushed image with digest ({@code registry/api:v1@sha256:…})
   * @param bundleDigest   the bundle digest the image carries
   * @param environment    environment.yaml from the toolkit's EnvironmentCompiler
   * @param secrets        names of the Secrets the API's Security resources reference
   * @param pullSecrets    image pull secrets of the registry, from the operator settings
   */
  public record Inputs(Api api, String image, String bundleDigest, byte[] environment,
                       SortedSet<String> secrets, List<String> pullSecrets) {}

  private GatewayDeployment() {}

  public static ConfigMap environment(Inputs inputs) {
    return new ConfigMapBuilder()
        .withMetadata(metadata(inputs.api(), Names.gatewayEnvironment(name(inputs))).build())
        .addToData(ENVIRONMENT_KEY, new String(inputs.environment(), StandardCharsets.UTF_8))
        .build();
  }

  /** One pod unless the spec says otherwise. */
  static final int DEFAULT_REPLICAS = 1;

  public static Deployment deployment(Inputs inputs) {
    Api api = inputs.api();
    ApiSpec spec = api.getSpec();
    Map<String, String> selector = GatewayLabels.selector(name(inputs));
    return new DeploymentBuilder()
        .withMetadata(metadata(api, Names.gateway(name(inputs)))
            .addToAnnotations(BuildJob.ANNOTATION_DIGEST, inputs.bundleDigest()).build())
        .withNewSpec()
          // Autoscaling owns the count when set; leaving replicas out keeps apply from fighting the HPA.
          .withReplicas(spec.getAutoscaling() != null ? null
              : spec.getReplicas() == null ? DEFAULT_REPLICAS : spec.getReplicas())
          .withNewSelector().withMatchLabels(selector).endSelector()
          .withNewStrategy().withType("RollingUpdate")
            .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1))
            .endRollingUpdate().endStrategy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(GatewayLabels.all(name(inputs), spec.getVersion()))
              // A changed environment (new endpoint URL, new secret key) must roll the pods.
              .addToAnnotations(ANNOTATION_ENVIRONMENT, sha256(inputs.environment()))
              .addToAnnotations("prometheus.io/scrape", "true")
              .addToAnnotations("prometheus.io/port", String.valueOf(ImageLayout.MANAGEMENT_PORT))
              .addToAnnotations("prometheus.io/path", "/metrics")
            .endMetadata()
            .withNewSpec()
              .withContainers(container(inputs))
              .withVolumes(volumes(inputs))
              .withImagePullSecrets(inputs.pullSecrets().stream().map(LocalObjectReference::new).toList())
              .withAutomountServiceAccountToken(false)
              .withTerminationGracePeriodSeconds(40L)
              .withNewSecurityContext().withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
              .endSecurityContext()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(Inputs inputs) {
    ApiSpec spec = inputs.api().getSpec();
    List<String> flags = GatewayContainer.connectionFlags(spec.getMaxConnections(), spec.getMaxConnectionsPerClient());
    return GatewayContainer.of(inputs.image())
        // Args replace the image's CMD: its own arguments (every per-API image has the runtime's) and the flags.
        .withArgs(flags.isEmpty() ? null : concat(ProductImages.RUNTIME_ARGS, flags))
        .withEnv(spec.getEnv())
        .withResources(GatewayContainer.resources(spec.getResources()))
        .withVolumeMounts(volumeMounts(inputs))
        .build();
  }

  private static List<String> concat(List<String> first, List<String> then) {
    List<String> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  private static List<Volume> volumes(Inputs inputs) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("environment")
        .withNewConfigMap().withName(Names.gatewayEnvironment(name(inputs))).endConfigMap().build());
    // The root file system is read-only; the JVM and Vert.x still want a writable temp folder.
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(
        new io.fabric8.kubernetes.api.model.Quantity("64Mi")).endEmptyDir().build());
    for (String secret : inputs.secrets()) {
      volumes.add(new VolumeBuilder().withName(secretVolume(secret))
          .withNewSecret().withSecretName(secret).endSecret().build());
    }
    return volumes;
  }

  private static List<VolumeMount> volumeMounts(Inputs inputs) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("environment").withMountPath(ImageLayout.ENVIRONMENT_FILE)
        .withSubPath(ENVIRONMENT_KEY).withReadOnly(true).build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    for (String secret : inputs.secrets()) {
      mounts.add(new VolumeMountBuilder().withName(secretVolume(secret))
          .withMountPath(ImageLayout.SECRETS_DIR + "/" + secret).withReadOnly(true).build());
    }
    return mounts;
  }

  /** Volume names are DNS labels of at most 63 characters; Secret names may be longer subdomains. */
  static String secretVolume(String secret) {
    String name = "secret-" + secret.replace('.', '-');
    return name.length() <= Names.MAX_NAME ? name : "secret-" + sha256(secret.getBytes(StandardCharsets.UTF_8))
        .substring(0, 20);
  }

  static ObjectMetaBuilder metadata(Api api, String name) {
    ObjectMeta owner = api.getMetadata();
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(owner.getNamespace())
        .withLabels(GatewayLabels.all(owner.getName(), api.getSpec().getVersion()))
        .withOwnerReferences(BuildJob.owner(api));
  }

  private static String name(Inputs inputs) {
    return inputs.api().getMetadata().getName();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
