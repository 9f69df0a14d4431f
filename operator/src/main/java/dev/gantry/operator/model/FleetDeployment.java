package dev.gantry.operator.model;

import dev.gantry.crds.v1alpha1.ContextSecretRef;
import dev.gantry.crds.v1alpha1.FleetEndpoint;
import dev.gantry.crds.v1alpha1.FleetSource;
import dev.gantry.crds.v1alpha1.GatewayCluster;
import dev.gantry.crds.v1alpha1.GatewayClusterSpec;
import dev.gantry.crds.v1alpha1.ManagementContext;
import dev.gantry.toolkit.image.ImageLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A GatewayCluster as desired objects: a Deployment of the shared runtime in fleet mode, its
 * Service and, with autoscaling, an HPA. The container's arguments are the contract with the
 * runtime's fleet mode (see operator/README.md). Pure: tests call it without a cluster.
 */
public final class FleetDeployment {
  public static final String APP = "gantry-fleet";
  public static final String CONTAINER = GatewayContainer.NAME;
  public static final String COMMAND = ImageLayout.APP_DIR + "/run";
  public static final String CACHE_DIR = "/var/cache/gantry";
  /** A fleet is shared by many APIs: two pods unless the spec says otherwise. */
  static final int DEFAULT_REPLICAS = 2;
  public static final String TLS_DIR = "/etc/gantry/tls";
  public static final String ENV_REPOSITORY_USER = "GANTRY_REPOSITORY_USER";
  public static final String ENV_REPOSITORY_PASSWORD = "GANTRY_REPOSITORY_PASSWORD";
  /** Labels the operator adds to a fleet's own: APIs' {@code spec.gateways} selectors may match them. */
  public static final String LABEL_ZONE = "zone";
  public static final String LABEL_FLEET = "fleet";

  /**
   * @param fleet       the GatewayCluster (owner of every object)
   * @param clusterName this cluster's name from the operator settings
   * @param context     the resolved ManagementContext; present exactly when source is repository,
   *                    and then in the fleet's namespace (its Secret is referenced from the pods)
   */
  public record Inputs(GatewayCluster fleet, String clusterName, Optional<ManagementContext> context) {}

  private FleetDeployment() {}

  public static FleetSource source(GatewayCluster fleet) {
    return fleet.getSpec().getSource() == null ? FleetSource.KUBERNETES : fleet.getSpec().getSource();
  }

  /** The fleet's labels as the runtime matches selectors against: the spec's, plus zone (when set) and fleet. */
  public static Map<String, String> fleetLabels(GatewayCluster fleet) {
    Map<String, String> labels = new TreeMap<>();
    if (fleet.getSpec().getLabels() != null) {
      labels.putAll(fleet.getSpec().getLabels());
    }
    if (fleet.getSpec().getZone() != null) {
      labels.put(LABEL_ZONE, fleet.getSpec().getZone());
    }
    labels.put(LABEL_FLEET, fleet.getMetadata().getName());
    return labels;
  }

  /** spec.secrets, sorted and without repeats (volume order must not roll the pods). */
  public static List<String> secrets(GatewayCluster fleet) {
    return fleet.getSpec().getSecrets() == null ? List.of()
        : new java.util.TreeSet<>(fleet.getSpec().getSecrets()).stream().toList();
  }

  /** Namespaces whose bundle ConfigMaps a kubernetes-source fleet loads; none listed means its own. */
  public static List<String> namespaces(GatewayCluster fleet) {
    List<String> listed = fleet.getSpec().getNamespaces();
    return listed == null || listed.isEmpty() ? List.of(fleet.getMetadata().getNamespace()) : List.copyOf(listed);
  }

  /** The runtime's command line after {@link #COMMAND}. */
  public static List<String> args(Inputs inputs) {
    GatewayCluster fleet = inputs.fleet();
    GatewayClusterSpec spec = fleet.getSpec();
    List<String> args = new ArrayList<>();
    args.add("fleet");
    args.add("--fleet=" + fleet.getMetadata().getName());
    args.add("--cluster=" + inputs.clusterName());
    if (spec.getZone() != null) {
      args.add("--zone=" + spec.getZone());
    }
    fleetLabels(fleet).forEach((k, v) -> args.add("--label=" + k + "=" + v));
    args.add("--cache-dir=" + CACHE_DIR);
    args.add("--secrets-dir=" + ImageLayout.SECRETS_DIR);
    args.add("--drain-delay=" + ImageLayout.DRAIN_DELAY_SECONDS);
    if (source(fleet) == FleetSource.REPOSITORY) {
      ManagementContext context = requireContext(inputs);
      args.add("--source=repository");
      args.add("--repository-url=" + context.getSpec().getJdbcUrl());
      args.add("--environment=" + context.getSpec().getEnvironment());
    } else {
      args.add("--source=kubernetes");
      args.add("--namespaces=" + String.join(",", namespaces(fleet)));
    }
    if (spec.getTlsSecret() != null) {
      args.add("--tls-cert=" + TLS_DIR + "/tls.crt");
      args.add("--tls-key=" + TLS_DIR + "/tls.key");
    }
    args.addAll(GatewayContainer.connectionFlags(spec.getMaxConnections(), spec.getMaxConnectionsPerClient()));
    return args;
  }

  public static Deployment deployment(Inputs inputs) {
    GatewayCluster fleet = inputs.fleet();
    GatewayClusterSpec spec = fleet.getSpec();
    return new DeploymentBuilder()
        .withMetadata(metadata(fleet).build())
        .withNewSpec()
          // Autoscaling owns the count when set; leaving replicas out keeps apply from fighting the HPA.
          .withReplicas(spec.getAutoscaling() != null ? null : spec.getReplicas() == null ? DEFAULT_REPLICAS
              : spec.getReplicas())
          .withNewSelector().withMatchLabels(selector(fleet)).endSelector()
          .withNewStrategy().withType("RollingUpdate")
            .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1))
            .endRollingUpdate().endStrategy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(labels(fleet))
              .addToAnnotations("prometheus.io/scrape", "true")
              .addToAnnotations("prometheus.io/port", String.valueOf(ImageLayout.MANAGEMENT_PORT))
              .addToAnnotations("prometheus.io/path", "/metrics")
            .endMetadata()
            .withNewSpec()
              .withContainers(container(inputs))
              .withVolumes(volumes(fleet))
              // The kubernetes source watches ConfigMaps with the pod's service account token;
              // FleetAccess grants that account exactly this, in the watched namespaces.
              .withServiceAccountName(FleetAccess.needed(fleet)
                  ? Names.fleetServiceAccount(fleet.getMetadata().getName()) : null)
              .withAutomountServiceAccountToken(source(fleet) == FleetSource.KUBERNETES)
              .withTerminationGracePeriodSeconds(40L)
              .withNewSecurityContext().withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
              .endSecurityContext()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  public static Service service(GatewayCluster fleet) {
    return new ServiceBuilder()
        .withMetadata(metadata(fleet).build())
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(selector(fleet))
          .addNewPort().withName("http").withPort(ImageLayout.TRAFFIC_PORT).withTargetPort(new IntOrString("http"))
            .withProtocol("TCP").endPort()
          .addNewPort().withName("management").withPort(ImageLayout.MANAGEMENT_PORT)
            .withTargetPort(new IntOrString("management")).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  /** A CPU-based HPA only when autoscaling is set. */
  public static Optional<HorizontalPodAutoscaler> autoscaler(GatewayCluster fleet) {
    return GatewayExposure.autoscaler(metadata(fleet).build(), Names.fleet(fleet.getMetadata().getName()),
        fleet.getSpec().getAutoscaling());
  }

  /** At most one of the fleet's pods evicted at a time, when it runs more than one (see {@link GatewayExposure}). */
  public static Optional<PodDisruptionBudget> disruptionBudget(GatewayCluster fleet) {
    return GatewayExposure.disruptionBudget(metadata(fleet).build(), selector(fleet), fleet.getSpec().getReplicas(),
        DEFAULT_REPLICAS, fleet.getSpec().getAutoscaling());
  }

  /** Where the fleet answers: its Service's traffic port, https when the gateways serve TLS. */
  public static List<FleetEndpoint> endpoints(GatewayCluster fleet) {
    boolean tls = fleet.getSpec().getTlsSecret() != null;
    return List.of(new FleetEndpoint(tls ? "https" : "http", (tls ? "https://" : "http://")
        + Names.fleet(fleet.getMetadata().getName()) + "." + fleet.getMetadata().getNamespace() + ".svc:"
        + ImageLayout.TRAFFIC_PORT));
  }

  public static Map<String, String> selector(GatewayCluster fleet) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(GatewayLabels.NAME, APP);
    labels.put(GatewayLabels.INSTANCE, Names.labelValue(fleet.getMetadata().getName()));
    return labels;
  }

  static Map<String, String> labels(GatewayCluster fleet) {
    Map<String, String> labels = selector(fleet);
    labels.put(GatewayLabels.COMPONENT, "gateway");
    labels.put(GatewayLabels.MANAGED_BY, "gantry-operator");
    return labels;
  }

  private static Container container(Inputs inputs) {
    GatewayCluster fleet = inputs.fleet();
    return GatewayContainer.of(fleet.getSpec().getRuntimeImage())
        .withCommand(COMMAND)
        .withArgs(args(inputs))
        .withEnv(env(inputs))
        .withResources(GatewayContainer.resources(fleet.getSpec().getResources()))
        .withVolumeMounts(volumeMounts(fleet))
        .build();
  }

  /** Repository credentials come from the context's Secret at run time; they are never in args or the spec. */
  private static List<EnvVar> env(Inputs inputs) {
    if (source(inputs.fleet()) != FleetSource.REPOSITORY) {
      return List.of();
    }
    ContextSecretRef secret = requireContext(inputs).getSpec().getSecretRef();
    return List.of(secretEnv(ENV_REPOSITORY_USER, secret.getName(), secret.usernameKeyOrDefault()),
        secretEnv(ENV_REPOSITORY_PASSWORD, secret.getName(), secret.passwordKeyOrDefault()));
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
        .build();
  }

  private static ManagementContext requireContext(Inputs inputs) {
    ManagementContext context = inputs.context().orElseThrow(() -> new IllegalArgumentException(
        "GatewayCluster " + inputs.fleet().getMetadata().getName() + " has source repository but no resolved context"));
    if (!context.getMetadata().getNamespace().equals(inputs.fleet().getMetadata().getNamespace())) {
      throw new IllegalArgumentException("the ManagementContext must be in the fleet's namespace: its Secret is "
          + "referenced from the fleet's pods");
    }
    return context;
  }

  private static List<Volume> volumes(GatewayCluster fleet) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("cache").withNewEmptyDir().endEmptyDir().build());
    // The root file system is read-only; the JVM and Vert.x still want a writable temp folder.
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi"))
        .endEmptyDir().build());
    if (fleet.getSpec().getTlsSecret() != null) {
      volumes.add(new VolumeBuilder().withName("tls")
          .withNewSecret().withSecretName(fleet.getSpec().getTlsSecret()).endSecret().build());
    }
    for (String secret : secrets(fleet)) {
      volumes.add(new VolumeBuilder().withName(GatewayDeployment.secretVolume(secret))
          .withNewSecret().withSecretName(secret).endSecret().build());
    }
    return volumes;
  }

  private static List<VolumeMount> volumeMounts(GatewayCluster fleet) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("cache").withMountPath(CACHE_DIR).build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    if (fleet.getSpec().getTlsSecret() != null) {
      mounts.add(new VolumeMountBuilder().withName("tls").withMountPath(TLS_DIR).withReadOnly(true).build());
    }
    // Where the served APIs' security reads them, as in a per-API gateway (the bundle names the Secret).
    for (String secret : secrets(fleet)) {
      mounts.add(new VolumeMountBuilder().withName(GatewayDeployment.secretVolume(secret))
          .withMountPath(ImageLayout.SECRETS_DIR + "/" + secret).withReadOnly(true).build());
    }
    return mounts;
  }

  static ObjectMetaBuilder metadata(GatewayCluster fleet) {
    return new ObjectMetaBuilder()
        .withName(Names.fleet(fleet.getMetadata().getName()))
        .withNamespace(fleet.getMetadata().getNamespace())
        .withLabels(labels(fleet))
        .withOwnerReferences(owner(fleet));
  }

  static OwnerReference owner(GatewayCluster fleet) {
    return new OwnerReferenceBuilder()
        .withApiVersion(fleet.getApiVersion()).withKind(fleet.getKind())
        .withName(fleet.getMetadata().getName()).withUid(fleet.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true)
        .build();
  }
}
