package dev.gantry.operator.endpoint;

import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.EndpointStatus;
import dev.gantry.operator.cluster.Applier;
import dev.gantry.operator.cluster.EventRecorder;
import dev.gantry.operator.model.BackendDeployment;
import dev.gantry.operator.status.Conditions;
import dev.gantry.operator.status.StatusChanges;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * An Endpoint that names an image gets a backend Deployment and Service named after it (the
 * gateway's upstream URL points there); an Endpoint with URLs has nothing to run and is ready.
 */
public final class EndpointReconciler implements Reconciler<Endpoint> {
  static final String DEPLOYMENTS = "backend-deployments";

  private final Applier applier;
  private final Conditions conditions;
  private final EventRecorder events;

  public EndpointReconciler(KubernetesClient client, Clock clock) {
    this.applier = new Applier(client);
    this.conditions = new Conditions(clock);
    this.events = new EventRecorder(client, clock);
  }

  @Override
  public List<EventSource<?, Endpoint>> prepareEventSources(EventSourceContext<Endpoint> context) {
    return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, Endpoint.class)
        .withName(DEPLOYMENTS).withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Endpoint.class)).build(),
        context));
  }

  @Override
  public UpdateControl<Endpoint> reconcile(Endpoint endpoint, Context<Endpoint> context) {
    if (endpoint.getStatus() == null) {
      endpoint.setStatus(new EndpointStatus());
    }
    String before = Serialization.asJson(endpoint.getStatus());
    StatusChanges changes = new StatusChanges(conditions, endpoint.getStatus(), endpoint.getMetadata().getGeneration());
    String name = endpoint.getMetadata().getName();
    String namespace = endpoint.getMetadata().getNamespace();
    if (endpoint.getSpec().getImage() == null) {
      removeBackend(endpoint, deployments(context).get(new ResourceID(name, namespace)));
      changes.setTrue(Conditions.READY, "External", "the backend is reached at its URLs; nothing to deploy");
    } else {
      applier.apply(BackendDeployment.deployment(endpoint));
      applier.apply(BackendDeployment.service(endpoint));
      changes.setTrue(Conditions.DEPLOYED, "Deployed", "Deployment and Service " + name + " run "
          + endpoint.getSpec().getImage());
      Optional<Deployment> deployment = deployments(context).get(new ResourceID(name, namespace));
      int wanted = endpoint.getSpec().getReplicas() == null ? 1 : endpoint.getSpec().getReplicas();
      int ready = deployment.map(Deployment::getStatus).map(s -> s.getReadyReplicas()).orElse(0);
      changes.set(Conditions.READY, ready >= Math.max(1, wanted) ? Conditions.TRUE : Conditions.FALSE,
          ready >= Math.max(1, wanted) ? "Ready" : "PodsNotReady", ready + "/" + wanted + " backend pods ready");
    }
    events.record(endpoint, changes);
    return before.equals(Serialization.asJson(endpoint.getStatus()))
        ? UpdateControl.noUpdate() : UpdateControl.patchStatus(endpoint);
  }

  /** An Endpoint switched from an image to URLs: the backend it owned is no longer wanted. */
  private void removeBackend(Endpoint endpoint, Optional<Deployment> cached) {
    String name = endpoint.getMetadata().getName();
    String namespace = endpoint.getMetadata().getNamespace();
    if (cached.isPresent() && cached.get().getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> o.getUid() != null && o.getUid().equals(endpoint.getMetadata().getUid()))) {
      applier.deleteIfPresent(Deployment.class, namespace, name);
      applier.deleteIfPresent(Service.class, namespace, name);
    }
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<Deployment, Endpoint> deployments(Context<Endpoint> context) {
    return (InformerEventSource<Deployment, Endpoint>) context.eventSourceRetriever()
        .getEventSourceFor(Deployment.class, DEPLOYMENTS);
  }
}
