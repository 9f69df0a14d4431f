package dev.gantry.operator.api;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.ManagementContext;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.Security;
import dev.gantry.operator.fleet.ContextReferences;
import dev.gantry.operator.model.GatewayLabels;
import dev.gantry.operator.model.SecretReferences;
import dev.gantry.operator.settings.SettingsSource;
import dev.gantry.toolkit.resolve.ResolvedApi;
import dev.gantry.toolkit.resolve.ResourceSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informers the API reconciler reads from and is woken by. Referenced resources map to APIs
 * through the {@link ReferenceIndex}; the gateway Deployment and build Jobs through their owner
 * reference. Reads in the reconcile go to these caches, not to the API server.
 */
final class ApiEventSources {
  static final String CONFIG_MAPS = "configmaps";
  static final String SECRETS = "secrets";
  static final String ENDPOINTS = "endpoints";
  static final String RATE_LIMITS = "ratelimits";
  static final String SECURITIES = "securities";
  static final String DEPLOYMENTS = "deployments";
  static final String JOBS = "jobs";
  static final String SERVICES = "services";
  static final String AUTOSCALERS = "autoscalers";
  static final String INGRESSES = "ingresses";
  static final String DISRUPTION_BUDGETS = "poddisruptionbudgets";
  /**
   * The gateway Service, HPA, Ingress and disruption budget informers hold only objects with this
   * label (all of ours): the applies read them from there, and a deleted Service or a removed HPA
   * needs no GET to be known. An object of ours without it (made by hand) is met by a 409 on create ({@code Applier}).
   */
  static final String OURS = GatewayLabels.MANAGED_BY + "=" + GatewayLabels.OPERATOR;
  static final String CONTEXTS = "managementcontexts";
  /** Kinds a failing API wants every change of in its namespace (see {@link ReferenceIndex}). */
  static final Set<String> REFERENCED_KINDS = Set.of("Endpoint", "RateLimit", "Security", "Secret");

  private ApiEventSources() {}

  static List<EventSource<?, Api>> all(EventSourceContext<Api> context, ReferenceIndex index, SettingsSource settings) {
    return List.of(settings.eventSource(context, Api.class),
        informer(context, ConfigMap.class, CONFIG_MAPS, index.mapper("ConfigMap")),
        informer(context, Secret.class, SECRETS, index.mapper("Secret")),
        informer(context, Endpoint.class, ENDPOINTS, index.mapper("Endpoint")),
        informer(context, RateLimit.class, RATE_LIMITS, index.mapper("RateLimit")),
        informer(context, Security.class, SECURITIES, index.mapper("Security")),
        informer(context, Deployment.class, DEPLOYMENTS, Mappers.fromOwnerReferences(Api.class)),
        informer(context, Job.class, JOBS, Mappers.fromOwnerReferences(Api.class)),
        owned(context, Service.class, SERVICES),
        owned(context, HorizontalPodAutoscaler.class, AUTOSCALERS),
        owned(context, Ingress.class, INGRESSES),
        owned(context, PodDisruptionBudget.class, DISRUPTION_BUDGETS),
        informer(context, ManagementContext.class, CONTEXTS, mc -> context.getPrimaryCache()
            .list(api -> ContextReferences.refersTo(ContextReferences.of(api), mc))
            .map(ResourceID::fromResource).collect(Collectors.toSet())));
  }

  private static <R extends HasMetadata> InformerEventSource<R, Api> informer(
      EventSourceContext<Api> context, Class<R> kind, String name, SecondaryToPrimaryMapper<R> mapper) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, Api.class)
        .withName(name).withSecondaryToPrimaryMapper(mapper).build(), context);
  }

  private static <R extends HasMetadata> InformerEventSource<R, Api> owned(EventSourceContext<Api> context,
                                                                            Class<R> kind, String name) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, Api.class).withName(name)
        .withLabelSelector(OURS).withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Api.class)).build(), context);
  }

  static InformerEventSource<Service, Api> services(Context<Api> context) {
    return source(context, Service.class, SERVICES);
  }

  static InformerEventSource<HorizontalPodAutoscaler, Api> autoscalers(Context<Api> context) {
    return source(context, HorizontalPodAutoscaler.class, AUTOSCALERS);
  }

  static InformerEventSource<Ingress, Api> ingresses(Context<Api> context) {
    return source(context, Ingress.class, INGRESSES);
  }

  static InformerEventSource<PodDisruptionBudget, Api> disruptionBudgets(Context<Api> context) {
    return source(context, PodDisruptionBudget.class, DISRUPTION_BUDGETS);
  }

  static InformerEventSource<ConfigMap, Api> configMaps(Context<Api> context) {
    return source(context, ConfigMap.class, CONFIG_MAPS);
  }

  static InformerEventSource<Deployment, Api> deployments(Context<Api> context) {
    return source(context, Deployment.class, DEPLOYMENTS);
  }

  static InformerEventSource<ManagementContext, Api> contexts(Context<Api> context) {
    return source(context, ManagementContext.class, CONTEXTS);
  }

  static InformerEventSource<Secret, Api> secrets(Context<Api> context) {
    return source(context, Secret.class, SECRETS);
  }

  static InformerEventSource<Job, Api> jobs(Context<Api> context) {
    return source(context, Job.class, JOBS);
  }

  static ResourceSet namespaceResources(Context<Api> context, String namespace) {
    return ApiInputs.resources(namespace,
        source(context, Endpoint.class, ENDPOINTS).list(namespace, r -> true),
        source(context, RateLimit.class, RATE_LIMITS).list(namespace, r -> true),
        source(context, Security.class, SECURITIES).list(namespace, r -> true),
        source(context, Secret.class, SECRETS).list(namespace, r -> true));
  }

  /** A resolved API is woken by exactly what it uses. */
  static void rememberSuccess(ReferenceIndex index, Api api, ResolvedApi resolved) {
    String ns = api.getMetadata().getNamespace();
    Set<ReferenceIndex.Key> keys = definitionKeys(api);
    resolved.endpoints().keySet().forEach(n -> keys.add(new ReferenceIndex.Key("Endpoint", ns, n)));
    resolved.rateLimits().keySet().forEach(n -> keys.add(new ReferenceIndex.Key("RateLimit", ns, n)));
    resolved.securities().keySet().forEach(n -> keys.add(new ReferenceIndex.Key("Security", ns, n)));
    SecretReferences.of(resolved).forEach(n -> keys.add(new ReferenceIndex.Key("Secret", ns, n)));
    index.record(ResourceID.fromResource(api), keys, Set.of());
  }

  /** A failing API is woken by its definition ConfigMaps and by any referenceable resource of its namespace. */
  static void rememberFailure(ReferenceIndex index, Api api) {
    index.record(ResourceID.fromResource(api), definitionKeys(api), REFERENCED_KINDS);
  }

  private static Set<ReferenceIndex.Key> definitionKeys(Api api) {
    Set<ReferenceIndex.Key> keys = new HashSet<>();
    if (api.getSpec().getDefinitions() != null) {
      api.getSpec().getDefinitions().forEach(n ->
          keys.add(new ReferenceIndex.Key("ConfigMap", api.getMetadata().getNamespace(), n)));
    }
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata> InformerEventSource<R, Api> source(Context<Api> context, Class<R> kind,
                                                                           String name) {
    return (InformerEventSource<R, Api>) context.eventSourceRetriever().getEventSourceFor(kind, name);
  }
}
