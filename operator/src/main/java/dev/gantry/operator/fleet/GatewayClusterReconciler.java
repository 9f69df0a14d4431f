package dev.gantry.operator.fleet;

import dev.gantry.crds.v1alpha1.FleetPhase;
import dev.gantry.crds.v1alpha1.FleetSource;
import dev.gantry.crds.v1alpha1.GatewayCluster;
import dev.gantry.crds.v1alpha1.GatewayClusterStatus;
import dev.gantry.crds.v1alpha1.ManagementContext;
import dev.gantry.operator.cluster.Applier;
import dev.gantry.operator.cluster.EventRecorder;
import dev.gantry.operator.model.FleetAccess;
import dev.gantry.operator.model.FleetDeployment;
import dev.gantry.operator.model.Names;
import dev.gantry.operator.settings.SettingsParser;
import dev.gantry.operator.settings.SettingsSource;
import dev.gantry.operator.status.Conditions;
import dev.gantry.operator.status.StatusChanges;
import dev.gantry.toolkit.fleet.RepositoryException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GatewayCluster, top to bottom: settings → (source repository) its ManagementContext, in the
 * fleet's namespace and Ready → (source kubernetes) ServiceAccount, Roles and RoleBindings →
 * Deployment, Service, HPA → status from the Deployment and (source repository) the gateways
 * registered in the central repository. When the
 * context is missing or not ready nothing is deployed and the conditions name it; what already
 * runs is left alone. A finalizer lets a deleted fleet take its RBAC in other namespaces along.
 */
public final class GatewayClusterReconciler implements Reconciler<GatewayCluster>, Cleaner<GatewayCluster> {
  public static final String CONTEXT_REQUIRED = "ContextRequired";
  public static final String CONTEXT_NOT_FOUND = "ContextNotFound";
  public static final String CONTEXT_NOT_READY = "ContextNotReady";
  public static final String CONTEXT_IN_OTHER_NAMESPACE = "ContextInOtherNamespace";
  static final String DEPLOYMENTS = "fleet-deployments";
  static final String CONTEXTS = "fleet-contexts";
  static final Duration REGISTRATIONS_RECHECK = Duration.ofSeconds(15);
  static final Duration SECRETS_RECHECK = Duration.ofSeconds(10);
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  private static final Logger LOG = LoggerFactory.getLogger(GatewayClusterReconciler.class);

  private final KubernetesClient client;
  private final Applier applier;
  private final Conditions conditions;
  private final EventRecorder events;
  private final SettingsSource settings;
  private final FleetRegistrations registrations;

  public GatewayClusterReconciler(KubernetesClient client, Clock clock, SettingsSource settings) {
    this.client = client;
    this.applier = new Applier(client);
    this.conditions = new Conditions(clock);
    this.events = new EventRecorder(client, clock);
    this.settings = settings;
    this.registrations = new FleetRegistrations(clock);
  }

  @Override
  public List<EventSource<?, GatewayCluster>> prepareEventSources(EventSourceContext<GatewayCluster> context) {
    var fleets = context.getPrimaryCache();
    return List.of(settings.eventSource(context, GatewayCluster.class),
        new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, GatewayCluster.class)
            .withName(DEPLOYMENTS).withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(GatewayCluster.class))
            .build(), context),
        new InformerEventSource<>(InformerEventSourceConfiguration.from(ManagementContext.class, GatewayCluster.class)
            .withName(CONTEXTS).withSecondaryToPrimaryMapper(mc -> fleets
                .list(f -> ContextReferences.refersTo(ContextReferences.of(f), mc))
                .map(ResourceID::fromResource).collect(Collectors.toSet())).build(), context));
  }

  @Override
  public UpdateControl<GatewayCluster> reconcile(GatewayCluster fleet, Context<GatewayCluster> context) {
    if (fleet.getStatus() == null) {
      fleet.setStatus(new GatewayClusterStatus());
    }
    String before = Serialization.asJson(fleet.getStatus());
    StatusChanges changes = new StatusChanges(conditions, fleet.getStatus(), fleet.getMetadata().getGeneration());
    Optional<Duration> again = steps(fleet, context, changes);
    events.record(fleet, changes);
    UpdateControl<GatewayCluster> control = before.equals(Serialization.asJson(fleet.getStatus()))
        ? UpdateControl.noUpdate() : UpdateControl.patchStatus(fleet);
    again.ifPresent(control::rescheduleAfter);
    return control;
  }

  private Optional<Duration> steps(GatewayCluster fleet, Context<GatewayCluster> context, StatusChanges changes) {
    SettingsParser.Result parsed = settings.get(context);
    if (parsed.settings().isEmpty()) {
      changes.setFalse(Conditions.ACCEPTED, "InvalidSettings", parsed.message(settings.location()));
      fleet.getStatus().setPhase(FleetPhase.FAILED);
      return Optional.empty(); // the settings' event source wakes every fleet when they are fixed
    }
    Optional<ManagementContext> resolved = Optional.empty();
    if (FleetDeployment.source(fleet) == FleetSource.REPOSITORY) {
      Optional<String> problem = contextProblem(fleet, context, changes);
      if (problem.isPresent()) {
        fleet.getStatus().setPhase(FleetPhase.FAILED);
        return Optional.empty();
      }
      resolved = ContextReferences.of(fleet).flatMap(id -> contexts(context).get(id));
    } else {
      changes.setTrue(Conditions.ACCEPTED, "Accepted", "loads bundle ConfigMaps of local APIs in "
          + String.join(", ", FleetDeployment.namespaces(fleet)));
    }

    List<String> missing = FleetDeployment.secrets(fleet).stream().filter(secret -> client.secrets()
        .inNamespace(fleet.getMetadata().getNamespace()).withName(secret).get() == null).toList();
    if (!missing.isEmpty()) {
      // A pod with a missing Secret volume never starts; say so instead, and look again (Secrets wake no fleet).
      changes.setFalse(Conditions.RESOLVED_REFS, SECRET_NOT_FOUND, "spec.secrets: Secret " + String.join(", ", missing)
          + " not found in namespace " + fleet.getMetadata().getNamespace() + "; nothing is deployed until it is");
      fleet.getStatus().setPhase(FleetPhase.FAILED);
      return Optional.of(SECRETS_RECHECK);
    }
    if (resolved.isEmpty()) {
      changes.setTrue(Conditions.RESOLVED_REFS, "Resolved", FleetDeployment.secrets(fleet).isEmpty()
          ? "nothing to resolve" : "every Secret of spec.secrets found");
    }

    FleetDeployment.Inputs inputs = new FleetDeployment.Inputs(fleet, parsed.settings().get().clusterName(), resolved);
    access(fleet); // before the Deployment: its pods run as the account
    Deployment desired = FleetDeployment.deployment(inputs);
    applier.apply(desired);
    applier.apply(FleetDeployment.service(fleet));
    String name = Names.fleet(fleet.getMetadata().getName());
    applyOrDelete(FleetDeployment.autoscaler(fleet), HorizontalPodAutoscaler.class, fleet, name);
    applyOrDelete(FleetDeployment.disruptionBudget(fleet), PodDisruptionBudget.class, fleet, name);
    changes.setTrue(Conditions.DEPLOYED, "Deployed", "Deployment " + name + " runs " + fleet.getSpec().getRuntimeImage());
    fleet.getStatus().setEndpoints(FleetDeployment.endpoints(fleet));

    Optional<Deployment> running = source(context, Deployment.class, DEPLOYMENTS)
        .get(new ResourceID(name, fleet.getMetadata().getNamespace()));
    status(fleet, desired, running, changes);
    if (resolved.isPresent()) {
      registrations(fleet, resolved.get(), parsed.settings().get().clusterName());
      return Optional.of(REGISTRATIONS_RECHECK); // heartbeats are not Kubernetes events
    }
    return Optional.empty();
  }

  /** Source repository: which of the fleet's gateways in this cluster registered and beat lately. */
  private void registrations(GatewayCluster fleet, ManagementContext mc, String clusterName) {
    Optional<FleetPublisher.Repository> repository = ManagementContextReconciler.repository(mc, Optional.ofNullable(
        client.secrets().inNamespace(mc.getMetadata().getNamespace()).withName(mc.getSpec().getSecretRef().getName())
            .get()));
    if (repository.isEmpty()) {
      return; // the context is Ready, so its Secret just changed; the context's status will say so
    }
    try {
      fleet.getStatus().setInstances(registrations.live(repository.get(), fleet.getMetadata().getName(), clusterName));
    } catch (RepositoryException e) {
      // Keep the last known list: the gateways keep serving while the repository is away.
      LOG.warn("GatewayCluster {}/{}: cannot read registrations: {}", fleet.getMetadata().getNamespace(),
          fleet.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * Source kubernetes: the fleet's ServiceAccount, and a Role and RoleBinding in each namespace it
   * watches; Roles and RoleBindings of namespaces it no longer watches (or of a fleet that moved
   * to source repository) go, so a fleet can read only what its spec says.
   */
  private void access(GatewayCluster fleet) {
    String namespace = fleet.getMetadata().getNamespace();
    String account = Names.fleetServiceAccount(fleet.getMetadata().getName());
    if (FleetAccess.needed(fleet)) {
      List<String> watched = FleetDeployment.namespaces(fleet);
      applier.apply(FleetAccess.serviceAccount(fleet));
      for (String ns : watched) {
        applier.apply(FleetAccess.role(fleet, ns));
        applier.apply(FleetAccess.roleBinding(fleet, ns));
      }
      removeAccessOutside(fleet, watched);
    } else if (client.serviceAccounts().inNamespace(namespace).withName(account).get() != null) {
      // Moved to source repository: its account and Roles go. Only then: a repository fleet is looked at
      // every few seconds, and a cluster-wide list each time would be work for nothing.
      applier.deleteIfPresent(ServiceAccount.class, namespace, account);
      removeAccessOutside(fleet, List.of());
    }
  }

  /** The fleet's Roles and RoleBindings in namespaces other than {@code keep}, found by their label. */
  private void removeAccessOutside(GatewayCluster fleet, List<String> keep) {
    for (Class<? extends HasMetadata> kind : List.of(RoleBinding.class, Role.class)) {
      client.resources(kind).inAnyNamespace().withLabel(FleetAccess.LABEL_FLEET, FleetAccess.fleetLabel(fleet)).list()
          .getItems().stream().filter(r -> !keep.contains(r.getMetadata().getNamespace()))
          .forEach(r -> applier.deleteIfPresent(kind, r.getMetadata().getNamespace(), r.getMetadata().getName()));
    }
  }

  /**
   * A deleted fleet's Roles and RoleBindings in other namespaces, which owner references cannot
   * reach (everything in its own namespace goes by them).
   */
  @Override
  public DeleteControl cleanup(GatewayCluster fleet, Context<GatewayCluster> context) {
    removeAccessOutside(fleet, List.of());
    return DeleteControl.defaultDelete();
  }

  /** Source repository: the context must be named, exist, live in the fleet's namespace and be Ready. */
  private Optional<String> contextProblem(GatewayCluster fleet, Context<GatewayCluster> context, StatusChanges changes) {
    Optional<ResourceID> ref = ContextReferences.of(fleet);
    if (ref.isEmpty()) {
      String message = "source repository needs contextRef: name the ManagementContext that holds the central repository";
      changes.setFalse(Conditions.ACCEPTED, CONTEXT_REQUIRED, message);
      return Optional.of(message);
    }
    changes.setTrue(Conditions.ACCEPTED, "Accepted", "loads APIs from the central repository of ManagementContext "
        + ContextReferences.display(ref.get()));
    Optional<ManagementContext> mc = contexts(context).get(ref.get());
    String reason = null;
    String message = null;
    if (mc.isEmpty()) {
      reason = CONTEXT_NOT_FOUND;
      message = "spec.contextRef: ManagementContext " + ContextReferences.display(ref.get()) + " not found";
    } else if (!mc.get().getMetadata().getNamespace().equals(fleet.getMetadata().getNamespace())) {
      reason = CONTEXT_IN_OTHER_NAMESPACE;
      message = "spec.contextRef: ManagementContext " + ContextReferences.display(ref.get()) + " is in another "
          + "namespace; the fleet's pods read its Secret, so use a ManagementContext in " + fleet.getMetadata().getNamespace();
    } else if (mc.get().getStatus() == null || !Conditions.isTrue(mc.get().getStatus(), Conditions.READY)) {
      reason = CONTEXT_NOT_READY;
      message = "spec.contextRef: ManagementContext " + ContextReferences.display(ref.get()) + " is not Ready"
          + (mc.get().getStatus() == null ? "" : Conditions.find(mc.get().getStatus(), Conditions.READY)
              .map(c -> " (" + c.getReason() + ": " + c.getMessage() + ")").orElse(""));
    }
    if (reason == null) {
      changes.setTrue(Conditions.RESOLVED_REFS, "Resolved", "ManagementContext " + ContextReferences.display(ref.get())
          + " is Ready");
      return Optional.empty();
    }
    changes.setFalse(Conditions.RESOLVED_REFS, reason, message + "; nothing is deployed until it is");
    return Optional.of(message);
  }

  private static void status(GatewayCluster fleet, Deployment desired, Optional<Deployment> running,
                             StatusChanges changes) {
    var observed = running.map(Deployment::getStatus);
    int wanted = desired.getSpec().getReplicas() != null ? desired.getSpec().getReplicas()
        : observed.map(s -> s.getReplicas()).orElse(0);
    int ready = observed.map(s -> s.getReadyReplicas()).orElse(0) == null ? 0
        : observed.map(s -> s.getReadyReplicas()).orElse(0);
    GatewayClusterStatus status = fleet.getStatus();
    status.setReplicas(wanted);
    status.setReadyReplicas(ready);
    status.setReady(ready + "/" + wanted);
    FleetPhase phase = ready >= wanted ? (wanted == 0 && running.isEmpty() ? FleetPhase.PENDING : FleetPhase.RUNNING)
        : ready == 0 ? FleetPhase.PENDING : FleetPhase.DEGRADED;
    status.setPhase(phase);
    boolean isReady = phase == FleetPhase.RUNNING;
    changes.set(Conditions.READY, isReady ? Conditions.TRUE : Conditions.FALSE,
        isReady ? "Ready" : phase == FleetPhase.DEGRADED ? "Degraded" : "PodsNotReady",
        ready + "/" + wanted + " fleet gateway pods ready");
  }

  private static InformerEventSource<ManagementContext, GatewayCluster> contexts(Context<GatewayCluster> context) {
    return source(context, ManagementContext.class, CONTEXTS);
  }

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata> InformerEventSource<R, GatewayCluster> source(
      Context<GatewayCluster> context, Class<R> kind, String name) {
    return (InformerEventSource<R, GatewayCluster>) context.eventSourceRetriever().getEventSourceFor(kind, name);
  }

  /** Applies what the fleet asks for; deletes the one it no longer asks for, if it is there. */
  private <T extends HasMetadata> void applyOrDelete(Optional<T> desired, Class<T> kind, GatewayCluster fleet,
                                                     String name) {
    String namespace = fleet.getMetadata().getNamespace();
    if (desired.isPresent()) {
      applier.apply(desired.get());
    } else if (client.resources(kind).inNamespace(namespace).withName(name).get() != null) {
      applier.deleteIfPresent(kind, namespace, name);
    }
  }
}
