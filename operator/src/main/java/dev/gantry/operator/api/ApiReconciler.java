package dev.gantry.operator.api;

import static dev.gantry.operator.status.Conditions.ACCEPTED;
import static dev.gantry.operator.status.Conditions.BUILT;
import static dev.gantry.operator.status.Conditions.DEPLOYED;
import static dev.gantry.operator.status.Conditions.READY;
import static dev.gantry.operator.status.Conditions.RESOLVED_REFS;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.crds.v1alpha1.ApiStatus;
import dev.gantry.crds.v1alpha1.Builder;
import dev.gantry.crds.v1alpha1.ManagementContext;
import dev.gantry.operator.cluster.EventRecorder;
import dev.gantry.operator.fleet.ContextReferences;
import dev.gantry.operator.model.ApiDefaults;
import dev.gantry.operator.model.GatewayDeployment;
import dev.gantry.operator.model.GatewayExposure;
import dev.gantry.operator.model.Names;
import dev.gantry.operator.model.SecretReferences;
import dev.gantry.operator.settings.OperatorSettings;
import dev.gantry.operator.settings.SettingsParser;
import dev.gantry.operator.settings.SettingsSource;
import dev.gantry.operator.status.Conditions;
import dev.gantry.operator.status.StatusChanges;
import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.bundle.EnvironmentCompiler;
import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.resolve.ApiIdentity;
import dev.gantry.toolkit.resolve.ApiResolver;
import dev.gantry.toolkit.resolve.ResolvedApi;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An API, top to bottom: settings → definitions → resolve → bundle → image → deploy → ready →
 * status. In fleet mode ({@code gateways} set, or {@code local: false}) the bundle is published
 * instead of image and deploy ({@link FleetRollout}). Each step either hands on or ends the reconcile with a condition saying why; a step that
 * ends early leaves everything already running untouched (bad input never breaks what runs).
 */
public final class ApiReconciler implements Reconciler<Api> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiReconciler.class);
  private final SettingsSource settings;
  private final Conditions conditions;
  private final EventRecorder events;
  private final JibBuilds jib;
  private final KanikoBuilds kaniko;
  private final GatewayRollout rollout;
  private final FleetRollout fleet;
  private final ReferenceIndex index = new ReferenceIndex();
  private final Backoff backoff = new Backoff();

  public ApiReconciler(ApiOperatorContext operator, SettingsSource settings) {
    this.settings = settings;
    this.conditions = new Conditions(operator.clock());
    this.events = new EventRecorder(operator.client(), operator.clock());
    this.jib = new JibBuilds(operator.registries(), operator.metrics());
    this.kaniko = new KanikoBuilds(operator.client(), operator.registries(), operator.contexts(), operator.metrics());
    this.rollout = new GatewayRollout(operator.client());
    this.fleet = new FleetRollout(operator.client(), operator.publisher());
  }

  @Override
  public List<io.javaoperatorsdk.operator.processing.event.source.EventSource<?, Api>> prepareEventSources(
      io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<Api> context) {
    return ApiEventSources.all(context, index, settings);
  }

  /**
   * Registered with every event delivered, deletions included ({@link GantryOperator}), so that only
   * APIs published outside the cluster carry a finalizer ({@link FleetRollout#FINALIZER}); what an
   * API owns in the cluster goes by owner references.
   */
  @Override
  public UpdateControl<Api> reconcile(Api api, Context<Api> context) throws Exception {
    if (context.isPrimaryResourceDeleted()) {
      return UpdateControl.noUpdate();
    }
    if (api.isMarkedForDeletion()) {
      boolean retry = fleet.unpublishCentral(api, clusterName(context), context);
      return retry ? UpdateControl.<Api>noUpdate().rescheduleAfter(backoff.next(ResourceID.fromResource(api)))
          : UpdateControl.noUpdate();
    }
    if (api.getStatus() == null) {
      api.setStatus(new ApiStatus());
    }
    String before = Serialization.asJson(api.getStatus());
    StatusChanges changes = new StatusChanges(conditions, api.getStatus(), api.getMetadata().getGeneration());
    Optional<Duration> again = steps(api, context, changes);
    events.record(api, changes);
    UpdateControl<Api> control = before.equals(Serialization.asJson(api.getStatus()))
        ? UpdateControl.noUpdate() : UpdateControl.patchStatus(api);
    again.ifPresent(control::rescheduleAfter);
    return control;
  }

  /** The flow. Returns when to look again, if a cause outside the watched resources may clear by itself. */
  private Optional<Duration> steps(Api api, Context<Api> context, StatusChanges changes) throws Exception {
    ResourceID id = ResourceID.fromResource(api);
    SettingsParser.Result parsed = settings.get(context);
    if (parsed.settings().isEmpty()) {
      String message = parsed.message(settings.location());
      LOG.error(message);
      changes.setFalse(ACCEPTED, ImageOutcome.Reasons.INVALID_SETTINGS, message);
      changes.setFalse(BUILT, ImageOutcome.Reasons.INVALID_SETTINGS, message);
      return Optional.empty(); // the settings' event source wakes every API when they are fixed
    }
    OperatorSettings operatorSettings = parsed.settings().get();
    FleetRollout.Mode mode = FleetRollout.mode(api);
    if (mode != FleetRollout.Mode.CENTRAL && fleet.unpublishCentral(api, operatorSettings.clusterName(), context)) {
      return Optional.of(backoff.next(id)); // made local again: it leaves the central repository first
    }
    if (mode == FleetRollout.Mode.CENTRAL && api.getSpec().getContextRef() == null) {
      // The CRD's CEL rule refuses this on a real API server; the operator says it too (older CRDs, test servers).
      changes.setFalse(ACCEPTED, FleetRollout.CONTEXT_REQUIRED, ApiSpec.LOCAL_NEEDS_CONTEXT_MESSAGE);
      return Optional.empty();
    }
    changes.setTrue(ACCEPTED, "Accepted", switch (mode) {
      case OWN_GATEWAY -> "the operator handles this API";
      case LOCAL_FLEET -> "the operator handles this API; fleet gateways serve it (spec.gateways)";
      case CENTRAL -> "the operator handles this API; it is published to the central repository (local: false)";
    });
    Optional<ManagementContext> managementContext = FleetRollout.context(api, context);
    if (mode == FleetRollout.Mode.CENTRAL && managementContext.isEmpty()) {
      changes.setFalse(RESOLVED_REFS, FleetRollout.CONTEXT_NOT_FOUND, "spec.contextRef: ManagementContext "
          + ContextReferences.display(ContextReferences.of(api).orElseThrow()) + " not found");
      return Optional.empty();
    }

    ApiInputs.Definitions definitions = ApiInputs.definitions(api, ApiEventSources.configMaps(context)::get);
    if (!definitions.missing().isEmpty()) {
      ApiEventSources.rememberFailure(index, api);
      changes.setFalse(RESOLVED_REFS, "DefinitionNotFound", "spec.definitions: ConfigMap "
          + String.join(", ", definitions.missing()) + " not found in namespace " + api.getMetadata().getNamespace());
      return Optional.empty();
    }

    ApiResolver.Resolution resolution = new ApiResolver().resolve(
        new ApiIdentity(api.getMetadata().getName(), api.getSpec().getVersion()), definitions.files(),
        ApiEventSources.namespaceResources(context, api.getMetadata().getNamespace()), "API/" + api.getMetadata().getName());
    if (resolution.api().isEmpty()) {
      ApiEventSources.rememberFailure(index, api);
      changes.setFalse(RESOLVED_REFS, "InvalidDefinition", problems(resolution.problems()));
      return Optional.empty();
    }
    ResolvedApi resolved = resolution.api().get();
    ApiEventSources.rememberSuccess(index, api, resolved);
    changes.setTrue(RESOLVED_REFS, "Resolved", resolved.operations().size() + " operations, every reference found"
        + (resolution.problems().isEmpty() ? "" : "; " + problems(resolution.problems())));

    Bundle bundle = new BundleCompiler().compile(resolved);
    String bundleDigest = bundle.digest();
    if (mode == FleetRollout.Mode.LOCAL_FLEET) {
      fleet.publishLocal(api, bundle, new EnvironmentCompiler().compile(resolved), context, changes);
      backoff.reset(id);
      return Optional.empty();
    }
    if (mode == FleetRollout.Mode.CENTRAL) {
      Optional<Boolean> retry = fleet.publishCentral(api, bundle, new EnvironmentCompiler().compile(resolved),
          managementContext.get(), operatorSettings.clusterName(), context, changes);
      if (retry.orElse(false)) {
        return Optional.of(backoff.next(id));
      }
      backoff.reset(id);
      return Optional.empty();
    }
    fleet.removeBundle(api, context);
    ImageOutcome image = image(api, resolved, bundle, operatorSettings, context);
    if (image instanceof ImageOutcome.Pending pending) {
      changes.set(BUILT, Conditions.UNKNOWN, ImageOutcome.Reasons.BUILDING, pending.message());
      return Optional.empty();
    }
    if (image instanceof ImageOutcome.Failed failed) {
      changes.setFalse(BUILT, failed.reason(), failed.message());
      return failed.retry() ? Optional.of(backoff.next(id)) : Optional.empty();
    }
    ImageOutcome.Ready built = (ImageOutcome.Ready) image;
    if (!alreadyReported(api, built, bundleDigest)) {
      changes.setTrue(BUILT, built.reason(), built.message());
    }

    Api withDefaults = ApiDefaults.apply(api, operatorSettings.exposure(), operatorSettings.hpa().minReplicas(),
        operatorSettings.hpa().maxReplicas(), operatorSettings.hpa().targetCpuPercent());
    rollout.apply(withDefaults, new GatewayDeployment.Inputs(withDefaults, built.image(), bundleDigest,
        new EnvironmentCompiler().compile(resolved), SecretReferences.of(resolved),
        operatorSettings.pullSecret().stream().toList()), context);
    api.getStatus().setImage(built.image());
    api.getStatus().setBundleDigest(bundleDigest);
    api.getStatus().setUrl(GatewayExposure.url(withDefaults));
    changes.setTrue(DEPLOYED, "Deployed", "Deployment " + Names.gateway(api.getMetadata().getName()) + " runs "
        + built.image());

    Optional<Deployment> deployment = ApiEventSources.deployments(context)
        .get(new ResourceID(Names.gateway(api.getMetadata().getName()), api.getMetadata().getNamespace()));
    GatewayRollout.Readiness readiness = GatewayRollout.readiness(deployment);
    api.getStatus().setReadyReplicas(readiness.readyReplicas());
    changes.set(READY, readiness.ready() ? Conditions.TRUE : Conditions.FALSE,
        readiness.ready() ? "Ready" : "PodsNotReady", readiness.message());
    backoff.reset(id);
    return Optional.empty();
  }

  /** This cluster's name for the repository's owner records; the default while the settings are broken. */
  private String clusterName(Context<Api> context) {
    return settings.get(context).settings().map(OperatorSettings::clusterName).orElse(SettingsParser.DEFAULT_CLUSTER_NAME);
  }

  private ImageOutcome image(Api api, ResolvedApi resolved, Bundle bundle, OperatorSettings settings,
                             Context<Api> context) throws Exception {
    String bundleDigest = bundle.digest();
    if (api.getSpec().getImage() != null && !api.getSpec().getImage().isBlank()) {
      return new ImageOutcome.Ready(api.getSpec().getImage(), ImageOutcome.Reasons.PREBUILT,
          "spec.image is set: deploying " + api.getSpec().getImage() + " as given");
    }
    Builder builder = api.getSpec().getBuilder() != null ? api.getSpec().getBuilder() : settings.defaultBuilder();
    if (builder == Builder.KANIKO) {
      Optional<Job> job = ApiEventSources.jobs(context).get(new ResourceID(
          Names.buildJob(api.getMetadata().getName(), bundleDigest), api.getMetadata().getNamespace()));
      return kaniko.image(api, resolved, bundleDigest, settings, job);
    }
    return jib.image(api, resolved, bundle, settings);
  }

  /**
   * A skip of the image this status already reports keeps the condition as it is (its "built and
   * pushed" message included): a reconcile that finds everything in place writes nothing.
   */
  private static boolean alreadyReported(Api api, ImageOutcome.Ready built, String bundleDigest) {
    return ImageOutcome.Reasons.SKIPPED.equals(built.reason()) && Conditions.isTrue(api.getStatus(), BUILT)
        && Conditions.find(api.getStatus(), BUILT).map(c -> java.util.Objects.equals(c.getObservedGeneration(),
            api.getMetadata().getGeneration())).orElse(false)
        && bundleDigest.equals(api.getStatus().getBundleDigest()) && built.image().equals(api.getStatus().getImage());
  }

  /** Every problem, one per line, as {@code gantry validate} prints them. */
  private static String problems(List<Problem> problems) {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
