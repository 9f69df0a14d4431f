package dev.gantry.operator;

import dev.gantry.operator.api.ApiOperatorContext;
import dev.gantry.operator.api.ApiReconciler;
import dev.gantry.operator.api.BuildContextSource;
import dev.gantry.operator.api.BuildMetrics;
import dev.gantry.operator.api.RegistryClients;
import dev.gantry.operator.endpoint.EndpointReconciler;
import dev.gantry.operator.fleet.FleetPublisher;
import dev.gantry.operator.fleet.GatewayClusterReconciler;
import dev.gantry.operator.fleet.ManagementContextReconciler;
import dev.gantry.operator.fleet.RepositoryCheck;
import dev.gantry.operator.fleet.RepositoryPublisher;
import dev.gantry.operator.settings.SettingsSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The operator process: the reconcilers (API, Endpoint, GatewayCluster, ManagementContext), leader election, and /metrics and health on the management port. */
@Command(name = "gantry-operator", mixinStandardHelpOptions = true,
    description = "Reconciles Gantry APIs and Endpoints into built, deployed gateways, and GatewayClusters and "
        + "ManagementContexts into gateway fleets.")
public final class GantryOperator implements Callable<Integer> {
  @Option(names = "--namespaces", defaultValue = "${env:GANTRY_WATCH_NAMESPACES:-}",
      description = "Comma-separated namespaces to watch; empty watches all (env GANTRY_WATCH_NAMESPACES).")
  String namespaces;

  @Option(names = "--operator-namespace", defaultValue = "${env:POD_NAMESPACE:-gantry-system}",
      description = "Namespace of the settings ConfigMap and the leader Lease (env POD_NAMESPACE).")
  String operatorNamespace;

  @Option(names = "--settings", defaultValue = "${env:GANTRY_SETTINGS_CONFIGMAP:-" + SettingsSource.DEFAULT_NAME + "}",
      description = "Name of the settings ConfigMap (env GANTRY_SETTINGS_CONFIGMAP).")
  String settings;

  @Option(names = "--leader-election", defaultValue = "${env:GANTRY_LEADER_ELECTION:-true}", arity = "1",
      description = "Hold a Lease before reconciling (env GANTRY_LEADER_ELECTION).")
  boolean leaderElection;

  @Option(names = "--reconcile-threads", defaultValue = "${env:GANTRY_RECONCILE_THREADS:-16}",
      description = "Concurrent reconciles; a Jib build holds one while it runs.")
  int reconcileThreads;

  @Option(names = "--management-port", defaultValue = "${env:GANTRY_MANAGEMENT_PORT:-8081}",
      description = "Port of /metrics, /healthz and /readyz.")
  int managementPort;

  @Option(names = "--jib-cache", defaultValue = "${env:GANTRY_JIB_CACHE:-}",
      description = "Folder for Jib's base-layer cache (an emptyDir); empty for none.")
  String jibCache;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GantryOperator()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    OperatorOptions options = new OperatorOptions(parseNamespaces(namespaces), operatorNamespace, settings,
        leaderElection, reconcileThreads);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    RegistryClients registries = new RegistryClients(System.getenv(), jibCache.isBlank() ? null : Path.of(jibCache));
    Operator operator = create(client, options, metrics, registries, BuildContextSource.fromResolvedApi(), Clock.systemUTC());
    ManagementServer management = ManagementServer.start(managementPort, metrics, operator);
    operator.installShutdownHook(Duration.ofSeconds(30));
    operator.start();
    Runtime.getRuntime().addShutdownHook(new Thread(management::stop));
    Thread.currentThread().join();
    return 0;
  }

  /**
   * Builds the operator (not started), so tests run the very wiring main runs.
   *
   * <p>Server-side apply is off for the primary's status patches: fabric8's mock API server (our
   * test API server) does not support it, and a merge patch of the status subresource means the
   * same on a real cluster. Dependents are not used; the switch is off for the same reason.
   */
  public static Operator create(KubernetesClient client, OperatorOptions options, PrometheusMeterRegistry metrics,
                                RegistryClients registries, BuildContextSource contexts, Clock clock) {
    return create(client, options, metrics, registries, contexts, clock, new RepositoryPublisher(),
        RepositoryCheck.jdbc());
  }

  /** As above, with the central repository's publisher and reachability check chosen by the caller. */
  public static Operator create(KubernetesClient client, OperatorOptions options, PrometheusMeterRegistry metrics,
                                RegistryClients registries, BuildContextSource contexts, Clock clock,
                                FleetPublisher publisher, RepositoryCheck repositoryCheck) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withConcurrentReconciliationThreads(options.reconcileThreads())
          // Per controller, not per resource (JOSDK's default): a timer with percentile histograms for
          // each of a thousand APIs cost ~6% of the operator's CPU at start (operator/README.md, "Scale
          // benchmark") and a series per object no Prometheus should carry.
          .withMetrics(MicrometerMetrics.newMicrometerMetricsBuilder(metrics).notCollectingMetricsPerResource().build())
          .withCloseClientOnStop(false);
      if (options.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(OperatorOptions.LEASE,
            options.operatorNamespace()));
      }
    });
    SettingsSource settingsSource = new SettingsSource(options.operatorNamespace(), options.settingsConfigMap());
    ApiOperatorContext context = new ApiOperatorContext(client, clock, registries, contexts, new BuildMetrics(metrics),
        publisher);
    operator.register(new ApiReconciler(context, settingsSource), o -> {
      configure(o, options);
      o.withTriggerReconcilerOnAllEvents(true); // see ApiReconciler#reconcile
    });
    operator.register(new EndpointReconciler(client, clock), o -> configure(o, options));
    operator.register(new GatewayClusterReconciler(client, clock, settingsSource),
        o -> configure(o, options));
    operator.register(new ManagementContextReconciler(client, clock, repositoryCheck), o -> configure(o, options));
    return operator;
  }

  /** Exceptions (API server hiccups, 409 conflicts) retry with backoff, without a limit. */
  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> void configure(
      ControllerConfigurationOverrider<R> o, OperatorOptions options) {
    if (options.namespaces().isEmpty()) {
      o.watchingAllNamespaces();
    } else {
      o.settingNamespaces(options.namespaces());
    }
    o.withRetry(new GenericRetry().setInitialInterval(Duration.ofSeconds(2)).setIntervalMultiplier(2)
        .setMaxInterval(Duration.ofMinutes(5).toMillis()).withoutMaxAttempts());
  }

  static Set<String> parseNamespaces(String value) {
    return value == null ? Set.of() : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
