package dev.gantry.operator.api;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.operator.cluster.Applier;
import dev.gantry.operator.cluster.CurrentObjects;
import dev.gantry.operator.model.GatewayDeployment;
import dev.gantry.operator.model.GatewayExposure;
import dev.gantry.operator.model.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * Step 5: the gateway's objects, computed by the model classes, applied in an order where each
 * object finds what it needs (environment before the pods that mount it; Deployment before the
 * Service and HPA that point at it). Also step 6: is what runs ready.
 */
final class GatewayRollout {
  /** How many of the wanted pods run the current template and are ready. */
  record Readiness(boolean ready, int readyReplicas, String message) {}

  private final Applier applier;

  GatewayRollout(KubernetesClient client) {
    this.applier = new Applier(client);
  }

  /**
   * Every current object is read from the reconciler's informers ({@link ApiEventSources}), so an
   * API whose objects are in place costs the API server nothing here.
   *
   * @param api the API with the operator's defaults filled in
   */
  void apply(Api api, GatewayDeployment.Inputs inputs, Context<Api> context) {
    applier.apply(GatewayDeployment.environment(inputs), CurrentObjects.informer(ApiEventSources.configMaps(context)));
    applier.apply(GatewayDeployment.deployment(inputs), CurrentObjects.informer(ApiEventSources.deployments(context)));
    applier.apply(GatewayExposure.service(api), CurrentObjects.informer(ApiEventSources.services(context)));
    applyOrRemove(GatewayExposure.autoscaler(api), ApiEventSources.autoscalers(context), api);
    applyOrRemove(GatewayExposure.ingress(api), ApiEventSources.ingresses(context), api);
    applyOrRemove(GatewayExposure.disruptionBudget(api), ApiEventSources.disruptionBudgets(context), api);
  }

  /**
   * An HPA, Ingress or disruption budget the API asks for is applied; one it no longer asks for,
   * and that the informer holds, goes.
   */
  private <T extends HasMetadata> void applyOrRemove(Optional<T> desired, InformerEventSource<T, Api> informer,
                                                     Api api) {
    CurrentObjects<T> current = CurrentObjects.informer(informer);
    if (desired.isPresent()) {
      applier.apply(desired.get(), current);
      return;
    }
    String name = Names.gateway(api.getMetadata().getName());
    String namespace = api.getMetadata().getNamespace();
    current.get(namespace, name).ifPresent(old -> applier.deleteIfPresent(old.getClass(), namespace, name));
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
