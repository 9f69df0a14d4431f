package dev.gantry.operator.api;

import static dev.gantry.operator.status.Conditions.BUILT;
import static dev.gantry.operator.status.Conditions.DEPLOYED;
import static dev.gantry.operator.status.Conditions.READY;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiState;
import dev.gantry.crds.v1alpha1.ManagementContext;
import dev.gantry.operator.cluster.Applier;
import dev.gantry.operator.cluster.CurrentObjects;
import dev.gantry.operator.fleet.ContextReferences;
import dev.gantry.operator.fleet.FleetPublisher;
import dev.gantry.operator.fleet.ManagementContextReconciler;
import dev.gantry.operator.model.BundleConfigMap;
import dev.gantry.operator.model.Names;
import dev.gantry.operator.status.Conditions;
import dev.gantry.operator.status.StatusChanges;
import dev.gantry.toolkit.bundle.Bundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fleet mode, which replaces image and deploy: a local API with {@code gateways} gets a bundle
 * ConfigMap that fleet gateways load; a {@code local: false} API goes to the central repository
 * through the {@link FleetPublisher}. Stopping keeps the definition and marks it STOPPED.
 */
final class FleetRollout {
  /** How an API is served. */
  enum Mode { OWN_GATEWAY, LOCAL_FLEET, CENTRAL }

  static final String COMPILED = "Compiled";
  static final String PUBLISHED = "Published";
  static final String STOPPED = "Stopped";
  static final String BUNDLE_NOT_PUBLISHABLE = "BundleNotPublishable";
  static final String CONTEXT_REQUIRED = "ContextRequired";
  static final String CONTEXT_NOT_FOUND = "ContextNotFound";
  static final String CONTEXT_NOT_READY = "ContextNotReady";
  /**
   * On APIs published to the central repository, which is outside the cluster: deleting such an API
   * (or making it local again) waits until it is removed there, so no fleet serves what is gone.
   */
  static final String FINALIZER = "gantry.dev/central-repository";
  private static final Logger LOG = LoggerFactory.getLogger(FleetRollout.class);

  private final Applier applier;
  private final FleetPublisher publisher;

  FleetRollout(KubernetesClient client, FleetPublisher publisher) {
    this.applier = new Applier(client);
    this.publisher = publisher;
  }

  static Mode mode(Api api) {
    if (!api.getSpec().localOrDefault()) {
      return Mode.CENTRAL;
    }
    return api.getSpec().getGateways() != null ? Mode.LOCAL_FLEET : Mode.OWN_GATEWAY;
  }

  /** The ManagementContext of a {@code local: false} API, from the cache. */
  static Optional<ManagementContext> context(Api api, Context<Api> context) {
    return ContextReferences.of(api).flatMap(id -> ApiEventSources.contexts(context).get(id));
  }

  /** Publishes a local fleet API's bundle as a ConfigMap; the API's own gateway, if it had one, goes. */
  void publishLocal(Api api, Bundle bundle, byte[] environment, Context<Api> context, StatusChanges changes) {
    var problems = BundleConfigMap.problems(bundle, environment);
    if (!problems.isEmpty()) {
      changes.setFalse(BUILT, BUNDLE_NOT_PUBLISHABLE, String.join("\n", problems));
      return;
    }
    removeOwnGateway(api, context);
    ConfigMap map = BundleConfigMap.configMap(new BundleConfigMap.Inputs(api, bundle, environment));
    applier.apply(map, CurrentObjects.informer(ApiEventSources.configMaps(context)));
    fleetStatus(api, bundle);
    String where = "ConfigMap " + map.getMetadata().getName();
    changes.setTrue(BUILT, COMPILED, "bundle " + bundle.digest() + " compiled into " + where
        + "; fleet gateways load it, no image is built");
    String selector = BundleConfigMap.gatewaysJson(api.getSpec().getGateways());
    published(api, changes, where + " is published to GatewayClusters matching " + selector,
        where + " keeps the definition with " + BundleConfigMap.ANNOTATION_STATE + "=STOPPED; fleet gateways "
            + "do not serve it");
  }

  /**
   * Publishes a {@code local: false} API to the central repository, on every pass: the publisher
   * sends a bundle only once per digest and changes nothing when nothing changed, and a repository
   * that lost the API (restored from an old backup, say) gets it back.
   */
  Optional<Boolean> publishCentral(Api api, Bundle bundle, byte[] environment, ManagementContext mc, String clusterName,
                                   Context<Api> context, StatusChanges changes) {
    removeOwnGateway(api, context);
    removeBundle(api, context);
    changes.setTrue(BUILT, COMPILED, "bundle " + bundle.digest() + " compiled; no image is built for the central "
        + "repository");
    String display = ContextReferences.display(ResourceID.fromResource(mc));
    if (mc.getStatus() == null || !Conditions.isTrue(mc.getStatus(), READY)) {
      changes.setFalse(DEPLOYED, CONTEXT_NOT_READY, "spec.contextRef: ManagementContext " + display + " is not Ready"
          + (mc.getStatus() == null ? "" : Conditions.find(mc.getStatus(), READY)
              .map(c -> " (" + c.getReason() + ": " + c.getMessage() + ")").orElse(""))
          + "; the fleets keep serving what was published before");
      return Optional.empty();
    }
    Optional<FleetPublisher.Repository> repository = ManagementContextReconciler.repository(mc,
        ApiEventSources.secrets(context).get(new ResourceID(mc.getSpec().getSecretRef().getName(),
            mc.getMetadata().getNamespace())));
    if (repository.isEmpty()) {
      changes.setFalse(DEPLOYED, CONTEXT_NOT_READY, "spec.contextRef: the Secret of ManagementContext " + display
          + " is missing or lacks a key");
      return Optional.empty();
    }
    PrimaryUpdateAndCacheUtils.addFinalizer(context.getClient(), api, FINALIZER); // before anything is published
    FleetPublisher.Outcome outcome = publisher.publish(repository.get(), new FleetPublisher.Publication(
        api.getMetadata().getName(), owner(clusterName, api), api.getSpec().getVersion(), bundle, environment,
        api.getSpec().getGateways(), api.getSpec().stateOrDefault()));
    if (outcome instanceof FleetPublisher.Outcome.Failed failed) {
      changes.setFalse(DEPLOYED, failed.reason(), failed.message());
      return Optional.of(failed.retry());
    }
    fleetStatus(api, bundle);
    String message = ((FleetPublisher.Outcome.Published) outcome).message();
    published(api, changes, "published to environment " + mc.getSpec().getEnvironment() + " of " + display + ": "
        + message, "stopped in environment " + mc.getSpec().getEnvironment() + " of " + display + "; the definition "
        + "stays: " + message);
    return Optional.empty();
  }

  /**
   * An API that held {@link #FINALIZER} and is deleted, or no longer {@code local: false}: remove it
   * from the central repository, then let it go. The repository being down keeps the finalizer and
   * retries (returns true); a context or Secret that is gone cannot be asked, so the API goes and
   * the log says what stays behind.
   */
  boolean unpublishCentral(Api api, String clusterName, Context<Api> context) {
    if (!api.hasFinalizer(FINALIZER)) {
      return false;
    }
    String display = api.getMetadata().getNamespace() + "/" + api.getMetadata().getName();
    Optional<FleetPublisher.Repository> repository = context(api, context).flatMap(mc ->
        ManagementContextReconciler.repository(mc, ApiEventSources.secrets(context).get(new ResourceID(
            mc.getSpec().getSecretRef().getName(), mc.getMetadata().getNamespace()))));
    if (repository.isEmpty()) {
      LOG.warn("API {}: its ManagementContext or that context's Secret is gone; it may still be published in the "
          + "central repository (gantry fleet remove {} removes it)", display, api.getMetadata().getName());
    } else {
      FleetPublisher.Outcome outcome = publisher.remove(repository.get(), api.getMetadata().getName(),
          owner(clusterName, api));
      if (outcome instanceof FleetPublisher.Outcome.Failed failed && failed.retry()) {
        LOG.warn("API {}: cannot remove it from the central repository yet, retrying: {}", display, failed.message());
        return true;
      }
      LOG.info("API {}: {}", display, outcome instanceof FleetPublisher.Outcome.Failed failed ? failed.message()
          : ((FleetPublisher.Outcome.Published) outcome).message());
    }
    PrimaryUpdateAndCacheUtils.removeFinalizer(context.getClient(), api, FINALIZER);
    return false;
  }

  /** Who publishes, as the repository records it: {@code cluster/namespace/name}. */
  static String owner(String clusterName, Api api) {
    return clusterName + "/" + api.getMetadata().getNamespace() + "/" + api.getMetadata().getName();
  }

  private static void published(Api api, StatusChanges changes, String started, String stopped) {
    if (api.getSpec().stateOrDefault() == ApiState.STOPPED) {
      changes.setFalse(DEPLOYED, STOPPED, "state STOPPED: " + stopped);
      changes.setFalse(READY, STOPPED, "state STOPPED: fleet gateways do not serve this API");
    } else {
      changes.setTrue(DEPLOYED, PUBLISHED, started);
      changes.setTrue(READY, PUBLISHED, "served by the fleet gateways its spec.gateways selects; their readiness is on "
          + "the GatewayClusters");
    }
  }

  private static void fleetStatus(Api api, Bundle bundle) {
    api.getStatus().setBundleDigest(bundle.digest());
    api.getStatus().setImage(null);
    api.getStatus().setUrl(null);
    api.getStatus().setReadyReplicas(null);
  }

  /** An API that moved to fleet mode no longer wants the gateway it owned. */
  void removeOwnGateway(Api api, Context<Api> context) {
    String namespace = api.getMetadata().getNamespace();
    String gateway = Names.gateway(api.getMetadata().getName());
    Optional<Deployment> own = ApiEventSources.deployments(context).get(new ResourceID(gateway, namespace));
    if (own.isPresent() && ownedBy(own.get(), api)) {
      applier.deleteIfPresent(HorizontalPodAutoscaler.class, namespace, gateway);
      applier.deleteIfPresent(Ingress.class, namespace, gateway);
      applier.deleteIfPresent(Service.class, namespace, gateway);
      applier.deleteIfPresent(Deployment.class, namespace, gateway);
      applier.deleteIfPresent(ConfigMap.class, namespace, Names.gatewayEnvironment(api.getMetadata().getName()));
    }
  }

  /** An API that left local fleet mode unpublishes its bundle ConfigMap (read from the cache: usually nothing to do). */
  void removeBundle(Api api, Context<Api> context) {
    String namespace = api.getMetadata().getNamespace();
    String name = Names.bundle(api.getMetadata().getName());
    Optional<ConfigMap> map = ApiEventSources.configMaps(context).get(new ResourceID(name, namespace));
    if (map.isPresent() && ownedBy(map.get(), api)) {
      applier.deleteIfPresent(ConfigMap.class, namespace, name);
    }
  }

  private static boolean ownedBy(HasMetadata object, Api api) {
    return object.getMetadata().getOwnerReferences() != null && object.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> o.getUid() != null && o.getUid().equals(api.getMetadata().getUid()));
  }
}
