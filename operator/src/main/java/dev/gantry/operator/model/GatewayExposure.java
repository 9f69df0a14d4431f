package dev.gantry.operator.model;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Autoscaling;
import dev.gantry.crds.v1alpha1.Exposure;
import dev.gantry.crds.v1alpha1.ExposureType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * How a gateway is reached and scaled: its Service, an optional Ingress, an optional
 * HorizontalPodAutoscaler and, when it can run several pods, a PodDisruptionBudget, from the API's
 * {@code exposure}, {@code replicas} and {@code autoscaling}. Pure.
 */
public final class GatewayExposure {
  /** Used when autoscaling leaves a bound out. */
  static final int DEFAULT_MIN = 1;
  static final int DEFAULT_MAX = 5;
  static final int DEFAULT_CPU_PERCENT = 75;

  private GatewayExposure() {}

  public static Service service(Api api) {
    Exposure exposure = api.getSpec().getExposure();
    ExposureType type = exposure == null || exposure.getType() == null ? ExposureType.CLUSTER_IP : exposure.getType();
    String serviceType = switch (type) {
      case NODE_PORT -> "NodePort";
      case LOAD_BALANCER -> "LoadBalancer";
      case CLUSTER_IP, INGRESS -> "ClusterIP";
    };
    var meta = GatewayDeployment.metadata(api, Names.gateway(api.getMetadata().getName()));
    if (exposure != null && exposure.getAnnotations() != null && type != ExposureType.INGRESS) {
      meta.addToAnnotations(exposure.getAnnotations());
    }
    return new ServiceBuilder()
        .withMetadata(meta.build())
        .withNewSpec()
          .withType(serviceType)
          .withSelector(GatewayLabels.selector(api.getMetadata().getName()))
          .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).withProtocol("TCP")
            .endPort()
        .endSpec()
        .build();
  }

  /** An Ingress only when exposure type is Ingress (the CRD requires a host then). */
  public static Optional<Ingress> ingress(Api api) {
    Exposure exposure = api.getSpec().getExposure();
    if (exposure == null || exposure.getType() != ExposureType.INGRESS) {
      return Optional.empty();
    }
    String name = Names.gateway(api.getMetadata().getName());
    var meta = GatewayDeployment.metadata(api, name);
    if (exposure.getAnnotations() != null) {
      meta.addToAnnotations(exposure.getAnnotations());
    }
    var spec = new IngressBuilder().withMetadata(meta.build()).withNewSpec()
        .withIngressClassName(exposure.getIngressClassName())
        .addNewRule().withHost(exposure.getHost())
          .withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
            .withNewBackend().withNewService().withName(name).withNewPort().withName("http").endPort()
            .endService().endBackend()
          .endPath().endHttp()
        .endRule();
    if (exposure.getTlsSecretName() != null) {
      spec.addNewTl().withHosts(exposure.getHost()).withSecretName(exposure.getTlsSecretName()).endTl();
    }
    return Optional.of(spec.endSpec().build());
  }

  /**
   * When the gateway can run more than one pod (replicas, or autoscaling's maximum): a budget that
   * lets a node drain or a cluster upgrade evict one of its pods at a time, never all of them at
   * once. None for a single pod, where any budget either protects nothing or blocks node drains.
   */
  public static Optional<PodDisruptionBudget> disruptionBudget(Api api) {
    return disruptionBudget(GatewayDeployment.metadata(api, Names.gateway(api.getMetadata().getName())).build(),
        GatewayLabels.selector(api.getMetadata().getName()), api.getSpec().getReplicas(),
        GatewayDeployment.DEFAULT_REPLICAS, api.getSpec().getAutoscaling());
  }

  /**
   * At most one of the pods {@code selector} matches may be evicted at a time (policy/v1), when
   * {@code replicas} (else {@code defaultReplicas}), or autoscaling's maximum when it is set, is two or more.
   */
  static Optional<PodDisruptionBudget> disruptionBudget(ObjectMeta metadata, Map<String, String> selector,
                                                        Integer replicas, int defaultReplicas, Autoscaling autoscaling) {
    int most = autoscaling != null ? maxReplicas(autoscaling) : replicas == null ? defaultReplicas : replicas;
    if (most < 2) {
      return Optional.empty();
    }
    return Optional.of(new PodDisruptionBudgetBuilder()
        .withMetadata(metadata)
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(selector).endSelector()
        .endSpec()
        .build());
  }

  static int maxReplicas(Autoscaling autoscaling) {
    int min = autoscaling.getMinReplicas() == null ? DEFAULT_MIN : autoscaling.getMinReplicas();
    return autoscaling.getMaxReplicas() == null ? Math.max(min, DEFAULT_MAX) : autoscaling.getMaxReplicas();
  }

  /** A CPU-based HPA when autoscaling is set; the Deployment then leaves replicas to it. */
  public static Optional<HorizontalPodAutoscaler> autoscaler(Api api) {
    String name = Names.gateway(api.getMetadata().getName());
    return autoscaler(GatewayDeployment.metadata(api, name).build(), name, api.getSpec().getAutoscaling());
  }

  /** The HPA of Deployment {@code name} for {@code autoscaling} (a per-API gateway's or a fleet's), if set. */
  static Optional<HorizontalPodAutoscaler> autoscaler(ObjectMeta metadata, String name, Autoscaling autoscaling) {
    if (autoscaling == null) {
      return Optional.empty();
    }
    int min = autoscaling.getMinReplicas() == null ? DEFAULT_MIN : autoscaling.getMinReplicas();
    int max = maxReplicas(autoscaling);
    int cpu = autoscaling.getTargetCPUUtilizationPercentage() == null
        ? DEFAULT_CPU_PERCENT : autoscaling.getTargetCPUUtilizationPercentage();
    return Optional.of(new HorizontalPodAutoscalerBuilder()
        .withMetadata(metadata)
        .withNewSpec()
          .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(name).endScaleTargetRef()
          .withMinReplicas(min)
          .withMaxReplicas(max)
          .addNewMetric().withType("Resource")
            .withNewResource().withName("cpu")
              .withNewTarget().withType("Utilization").withAverageUtilization(cpu).endTarget()
            .endResource()
          .endMetric()
        .endSpec()
        .build());
  }

  /** The in-cluster URL the API's status reports (the Ingress host when there is one). */
  public static String url(Api api) {
    Exposure exposure = api.getSpec().getExposure();
    if (exposure != null && exposure.getType() == ExposureType.INGRESS) {
      return (exposure.getTlsSecretName() != null ? "https://" : "http://") + exposure.getHost();
    }
    return "http://" + Names.gateway(api.getMetadata().getName()) + "." + api.getMetadata().getNamespace()
        + ".svc";
  }
}
