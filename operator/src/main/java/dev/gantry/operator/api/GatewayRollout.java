package dev.gantry.operator.api;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.operator.cluster.Applier;
import dev.gantry.operator.model.GatewayDeployment;
import dev.gantry.operator.model.GatewayExposure;
import dev.gantry.operator.model.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Step 5: the gateway's objects, computed by the model classes, applied in an order where each
 * object finds what it needs (environment before the pods that mount it; Deployment before the
 * Service and HPA that point at it). Also step 6: is what runs ready.
 */
final class GatewayRollout {
  /** How many of the wanted pods run the current template and are ready. */
  record Readiness(boolean ready, int readyReplicas, String message) {}

  private final KubernetesClient client;
  private final Applier applier;

  GatewayRollout(KubernetesClient client) {
    this.client = client;
    this.applier = new Applier(client);
  }

  /** @param api the API with the operator's defaults filled in */
  void apply(Api api, GatewayDeployment.Inputs inputs) {
    applier.apply(GatewayDeployment.environment(inputs));
    applier.apply(GatewayDeployment.deployment(inputs));
    applier.apply(GatewayExposure.service(api));
    applyOrRemove(GatewayExposure.autoscaler(api), HorizontalPodAutoscaler.class, api);
    applyOrRemove(GatewayExposure.ingress(api), Ingress.class, api);
  }

  private void applyOrRemove(Optional<? extends HasMetadata> desired, Class<? extends HasMetadata> kind, Api api) {
    if (desired.isPresent()) {
      applier.apply(desired.get());
      return;
    }
    // Only a removed exposure or autoscaling gets here; read first so the usual case writes nothing.
    String name = Names.gateway(api.getMetadata().getName());
    String namespace = api.getMetadata().getNamespace();
    if (client.resources(kind).inNamespace(namespace).withName(name).get() != null) {
      applier.deleteIfPresent(kind, namespace, name);
    }
  }

  static Readiness readiness(Optional<Deployment> deployment) {
    if (deployment.isEmpty()) {
      return new Readiness(false, 0, "the gateway Deployment is not there yet");
    }
    Deployment d = deployment.get();
    int wanted = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas()
        : d.getStatus() != null && d.getStatus().getReplicas() != null ? d.getStatus().getReplicas() : 1;
    var status = d.getStatus();
    int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
    int updated = status == null || status.getUpdatedReplicas() == null ? ready : status.getUpdatedReplicas();
    boolean current = status == null || status.getObservedGeneration() == null || d.getMetadata().getGeneration() == null
        || status.getObservedGeneration() >= d.getMetadata().getGeneration();
    boolean isReady = current && ready >= Math.max(wanted, 1) && updated >= wanted;
    return new Readiness(isReady, ready, ready + "/" + wanted + " gateway pods ready"
        + (isReady ? "" : current ? "" : " (rollout in progress)"));
  }
}
