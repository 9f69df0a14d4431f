package dev.gantry.operator.fleet;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ContextSecretRef;
import dev.gantry.crds.v1alpha1.GatewayCluster;
import dev.gantry.crds.v1alpha1.ManagementContext;
import dev.gantry.crds.v1alpha1.ManagementContextStatus;
import dev.gantry.operator.cluster.EventRecorder;
import dev.gantry.operator.status.Conditions;
import dev.gantry.operator.status.StatusChanges;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
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
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A ManagementContext: is its Secret there with both keys, can the repository be logged in to
 * (looked at again every {@link #RECHECK}, every {@link #RETRY} while it cannot). It carries a finalizer: deleting a context that an API
 * or GatewayCluster still names is held (Ready=False InUse, listing them, plus an Event) until none does.
 */
public final class ManagementContextReconciler implements Reconciler<ManagementContext>, Cleaner<ManagementContext> {
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String UNREACHABLE = "Unreachable";
  public static final String CONNECTED = "Connected";
  public static final String IN_USE = "InUse";
  static final Duration RECHECK = Duration.ofSeconds(30);
  static final Duration RETRY = Duration.ofSeconds(5);
  static final String SECRETS = "context-secrets";
  static final String APIS = "context-apis";
  static final String FLEETS = "context-fleets";

  private final KubernetesClient client;
  private final Conditions conditions;
  private final EventRecorder events;
  private final RepositoryCheck repository;

  public ManagementContextReconciler(KubernetesClient client, Clock clock, RepositoryCheck repository) {
    this.client = client;
    this.conditions = new Conditions(clock);
    this.events = new EventRecorder(client, clock);
    this.repository = repository;
  }

  @Override
  public List<EventSource<?, ManagementContext>> prepareEventSources(EventSourceContext<ManagementContext> context) {
    var primaries = context.getPrimaryCache();
    SecondaryToPrimaryMapper<Secret> bySecret = secret -> primaries
        .list(secret.getMetadata().getNamespace(), c -> c.getSpec() != null && c.getSpec().getSecretRef() != null
            && secret.getMetadata().getName().equals(c.getSpec().getSecretRef().getName()))
        .map(ResourceID::fromResource).collect(Collectors.toSet());
    SecondaryToPrimaryMapper<Api> byApi = api -> ContextReferences.of(api).map(Set::of).orElse(Set.of());
    SecondaryToPrimaryMapper<GatewayCluster> byFleet = f -> ContextReferences.of(f).map(Set::of).orElse(Set.of());
    return List.of(informer(context, Secret.class, SECRETS, bySecret), informer(context, Api.class, APIS, byApi),
        informer(context, GatewayCluster.class, FLEETS, byFleet));
  }

  private static <R extends HasMetadata> InformerEventSource<R, ManagementContext> informer(
      EventSourceContext<ManagementContext> context, Class<R> kind, String name, SecondaryToPrimaryMapper<R> mapper) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, ManagementContext.class)
        .withName(name).withSecondaryToPrimaryMapper(mapper).build(), context);
  }

  @Override
  public UpdateControl<ManagementContext> reconcile(ManagementContext mc, Context<ManagementContext> context) {
    StatusChanges changes = changes(mc);
    String before = Serialization.asJson(mc.getStatus());
    check(mc, context, changes);
    report(mc, changes);
    UpdateControl<ManagementContext> control = before.equals(Serialization.asJson(mc.getStatus()))
        ? UpdateControl.noUpdate() : UpdateControl.patchStatus(mc);
    // A repository that is away is looked for more often, so publishing resumes soon after it returns.
    return control.rescheduleAfter(Conditions.isTrue(mc.getStatus(), Conditions.READY) ? RECHECK : RETRY);
  }

  private void check(ManagementContext mc, Context<ManagementContext> context, StatusChanges changes) {
    ContextSecretRef ref = mc.getSpec().getSecretRef();
    String namespace = mc.getMetadata().getNamespace();
    Optional<Secret> secret = source(context, Secret.class, SECRETS).get(new ResourceID(ref.getName(), namespace));
    if (secret.isEmpty()) {
      changes.setFalse(Conditions.READY, SECRET_NOT_FOUND, "spec.secretRef: Secret " + namespace + "/" + ref.getName()
          + " not found (it needs keys " + ref.usernameKeyOrDefault() + " and " + ref.passwordKeyOrDefault() + ")");
      return;
    }
    Optional<String> user = value(secret.get(), ref.usernameKeyOrDefault());
    Optional<String> password = value(secret.get(), ref.passwordKeyOrDefault());
    List<String> missing = Stream.of(user.isEmpty() ? ref.usernameKeyOrDefault() : null,
        password.isEmpty() ? ref.passwordKeyOrDefault() : null).filter(k -> k != null).toList();
    if (!missing.isEmpty()) {
      changes.setFalse(Conditions.READY, SECRET_NOT_FOUND, "spec.secretRef: Secret " + namespace + "/" + ref.getName()
          + " has no key " + String.join(" or ", missing));
      return;
    }
    Optional<String> problem = repository.problem(mc.getSpec().getJdbcUrl(), user.get(), password.get());
    if (problem.isPresent()) {
      changes.setFalse(Conditions.READY, UNREACHABLE, "spec.jdbcUrl: cannot log in to " + mc.getSpec().getJdbcUrl()
          + " as " + user.get() + ": " + problem.get());
      return;
    }
    changes.setTrue(Conditions.READY, CONNECTED, "logged in to " + mc.getSpec().getJdbcUrl() + " as " + user.get()
        + "; environment " + mc.getSpec().getEnvironment());
  }

  @Override
  public DeleteControl cleanup(ManagementContext mc, Context<ManagementContext> context) {
    List<String> referrers = referrers(mc, context);
    if (referrers.isEmpty()) {
      return DeleteControl.defaultDelete();
    }
    StatusChanges changes = changes(mc);
    String before = Serialization.asJson(mc.getStatus());
    changes.setFalse(Conditions.READY, IN_USE, "deletion waits: still referenced by " + String.join(", ", referrers)
        + "; remove their contextRef (or delete them) and the context goes");
    report(mc, changes);
    if (!before.equals(Serialization.asJson(mc.getStatus()))) {
      // DeleteControl cannot carry a status patch. editStatus sends a JSON Patch of the difference, as
      // JOSDK does for UpdateControl; a merge patch of a status-only copy left the old Ready condition
      // beside the new one (a list in a merge patch is not merged by type).
      ManagementContextStatus status = mc.getStatus();
      client.resources(ManagementContext.class).inNamespace(mc.getMetadata().getNamespace())
          .withName(mc.getMetadata().getName()).editStatus(current -> {
            current.setStatus(status);
            return current;
          });
    }
    // The API and GatewayCluster informers wake us when a referrer goes; the recheck is a safety net.
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(RECHECK.toMillis());
  }

  /** {@code API shop/pets}, {@code GatewayCluster gateways/edge}: what still names this context, sorted. */
  static List<String> referrers(ManagementContext mc, Context<ManagementContext> context) {
    Stream<String> apis = source(context, Api.class, APIS).list(a -> ContextReferences.refersTo(ContextReferences.of(a), mc))
        .map(a -> "API " + a.getMetadata().getNamespace() + "/" + a.getMetadata().getName());
    Stream<String> fleets = source(context, GatewayCluster.class, FLEETS)
        .list(f -> ContextReferences.refersTo(ContextReferences.of(f), mc))
        .map(f -> "GatewayCluster " + f.getMetadata().getNamespace() + "/" + f.getMetadata().getName());
    return Stream.concat(apis, fleets).sorted().toList();
  }

  private StatusChanges changes(ManagementContext mc) {
    if (mc.getStatus() == null) {
      mc.setStatus(new ManagementContextStatus());
    }
    long generation = mc.getMetadata().getGeneration() == null ? 0 : mc.getMetadata().getGeneration();
    return new StatusChanges(conditions, mc.getStatus(), generation);
  }

  private void report(ManagementContext mc, StatusChanges changes) {
    events.record(mc, changes);
  }

  private static Optional<String> value(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      return Optional.of(new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8));
    }
    Map<String, String> text = secret.getStringData();
    return Optional.ofNullable(text == null ? null : text.get(key));
  }

  /** The credentials of a context, read from its Secret in the informer cache; empty when either is missing. */
  public static Optional<FleetPublisher.Repository> repository(ManagementContext mc, Optional<Secret> secret) {
    ContextSecretRef ref = mc.getSpec().getSecretRef();
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> user = value(secret.get(), ref.usernameKeyOrDefault());
    Optional<String> password = value(secret.get(), ref.passwordKeyOrDefault());
    if (user.isEmpty() || password.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new FleetPublisher.Repository(mc.getSpec().getJdbcUrl(), user.get(), password.get(),
        mc.getSpec().getEnvironment()));
  }

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata> InformerEventSource<R, ManagementContext> source(
      Context<ManagementContext> context, Class<R> kind, String name) {
    return (InformerEventSource<R, ManagementContext>) context.eventSourceRetriever().getEventSourceFor(kind, name);
  }
}
