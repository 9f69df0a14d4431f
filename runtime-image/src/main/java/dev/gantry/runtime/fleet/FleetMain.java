package dev.gantry.runtime.fleet;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.Limits;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerOptions;
import dev.gantry.runtime.server.ServerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run fleet}: a shared gateway of a fleet. It serves whichever APIs its source publishes for
 * its labels, loading, replacing and unloading them without a restart. Source {@code repository}
 * is the central management repository (PostgreSQL; credentials from the environment variables
 * {@code GANTRY_REPOSITORY_USER} and {@code GANTRY_REPOSITORY_PASSWORD}, never the command line).
 * Source {@code kubernetes} is the bundle ConfigMaps the operator writes for local APIs, in
 * {@code --namespaces}, read with the pod's service account (or KUBECONFIG).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Serve the APIs published for a gateway fleet.")
public final class FleetMain implements Callable<Integer> {
  static final String SOURCE_REPOSITORY = "repository";
  static final String SOURCE_KUBERNETES = "kubernetes";
  static final String POD_NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
  private static final String NAMESPACE = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

  @Option(names = "--fleet", required = true, description = "Name of the fleet (GatewayCluster).")
  String fleet;

  @Option(names = "--cluster", defaultValue = "default", description = "Name of this Kubernetes cluster (default: ${DEFAULT-VALUE}).")
  String cluster;

  @Option(names = "--zone", description = "Zone of this fleet; also the label zone.")
  String zone;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label APIs' gateways selectors match (repeatable).")
  List<String> labels = new ArrayList<>();

  @Option(names = "--source", defaultValue = "repository",
      description = "Where APIs come from: repository (the central repository, default) or kubernetes (bundle ConfigMaps).")
  String source;

  @Option(names = "--namespaces", split = ",", paramLabel = "NAMESPACE",
      description = "Source kubernetes: namespaces whose bundle ConfigMaps to serve, comma-separated "
          + "(default: the pod's namespace, else default).")
  List<String> namespaces;

  @Option(names = "--repository-url", description = "JDBC URL of the central repository (jdbc:postgresql://HOST:PORT/DB).")
  String repositoryUrl;

  @Option(names = "--environment", defaultValue = "default", description = "Environment to serve (default: ${DEFAULT-VALUE}).")
  String environment;

  @Option(names = "--cache-dir", defaultValue = "/var/cache/gantry", description = "Local copy of the served bundles (default: ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(names = "--poll-interval", defaultValue = "5", paramLabel = "SECONDS",
      description = "Re-read the repository and beat at least this often (default: ${DEFAULT-VALUE}).")
  long pollSeconds;

  @Option(names = "--instance", description = "Name of this gateway instance (default: the host name).")
  String instance;

  @Option(names = "--advertise", paramLabel = "URI", description = "Where clients reach this gateway (default: http://HOST:PORT).")
  String advertise;

  @Mixin
  ServerOptions serverOptions = new ServerOptions();

  @Override
  public Integer call() throws Exception {
    boolean kubernetes = SOURCE_KUBERNETES.equals(source);
    if (!kubernetes && !SOURCE_REPOSITORY.equals(source)) {
      System.err.println("gantry: --source " + source + ": expected " + SOURCE_REPOSITORY + " or " + SOURCE_KUBERNETES);
      return 2;
    }
    String usage = kubernetes ? kubernetesUsage() : repositoryUsage();
    if (usage != null) {
      System.err.println("gantry: " + usage);
      return 2;
    }
    Map<String, String> fleetLabels;
    ServerSettings settings;
    try {
      fleetLabels = labels();
      settings = serverOptions.settings();
    } catch (IllegalArgumentException e) {
      System.err.println("gantry: " + e.getMessage());
      return 2;
    }
    GatewayServer server = GatewayServer.start(settings, Limits.CEILING, List.of(),
            (vertx, log) -> new FleetGateway(vertx, log, settings.shutdownGrace()))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    FleetGateway gateway = (FleetGateway) server.served();
    String name = instance != null ? instance : InetAddress.getLocalHost().getHostName();
    String uri = advertise != null ? advertise : (serverOptions.tls() ? "https://" : "http://") + name + ":" + server.port();
    FleetIdentity identity = new FleetIdentity(name, environment, fleet, cluster, zone, fleetLabels,
        Map.of("http", uri), FleetMain.class.getPackage().getImplementationVersion() == null
            ? "dev" : FleetMain.class.getPackage().getImplementationVersion());
    Consumer<String> log = line -> System.err.println(Instant.now() + " gantry: " + line);
    AutoCloseable running;
    if (kubernetes) {
      try {
        running = startKubernetes(gateway, fleetLabels, log);
      } catch (RuntimeException e) { // a kubeconfig fabric8 cannot use, for one
        System.err.println("gantry: cannot use the Kubernetes configuration (KUBECONFIG or the service account): "
            + e.getMessage());
        server.stopAndWait();
        return 2;
      }
    } else {
      RepositorySource repository = new RepositorySource(connections(repositoryUrl, System.getenv()), identity,
          gateway, new BundleCache(cacheDir), new ConfigLoader(System.getenv()), serverOptions.secretsDir(),
          Duration.ofSeconds(pollSeconds), log);
      repository.start();
      running = repository;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        log.accept("closing the source: " + e);
      }
      server.stopAndWait();
    }, "gantry-shutdown"));
    System.err.printf("gantry: fleet %s (%s) %s on port %d, management on %d%n", fleet, fleetLabels,
        kubernetes ? "namespaces " + String.join(",", namespaces) : "environment " + environment, server.port(),
        server.managementPort());
    Thread.currentThread().join();
    return 0;
  }

  /** What is wrong with the options of source repository, or null. */
  private String repositoryUsage() {
    if (namespaces != null) {
      return "--namespaces is for --source kubernetes; the repository selects APIs by --environment and labels";
    }
    if (repositoryUrl == null) {
      return "--source repository needs --repository-url";
    }
    if (!repositoryUrl.startsWith("jdbc:postgresql://")) {
      return "--repository-url " + repositoryUrl + " is not a PostgreSQL JDBC URL (jdbc:postgresql://HOST[:PORT]/DATABASE)";
    }
    return null;
  }

  /** What is wrong with the options of source kubernetes, or null; fills in the default namespace. */
  private String kubernetesUsage() {
    if (repositoryUrl != null) {
      return "--repository-url is for --source repository; --source kubernetes reads ConfigMaps (--namespaces)";
    }
    if (namespaces == null || namespaces.isEmpty()) {
      namespaces = List.of(podNamespace(Path.of(POD_NAMESPACE_FILE)));
    }
    for (String namespace : namespaces) {
      if (!namespace.matches(NAMESPACE)) {
        return "--namespaces: '" + namespace + "' is not a namespace name (lower-case letters, digits and '-', "
            + "at most 63, comma-separated)";
      }
    }
    return KubernetesConfigCheck.problem(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The namespace of the pod this runs in (its service account's), else {@code default}. */
  static String podNamespace(Path file) {
    try {
      String namespace = Files.readString(file).strip();
      return namespace.isEmpty() ? "default" : namespace;
    } catch (IOException e) {
      return "default";
    }
  }

  /**
   * Its own method, returning the interface: FleetMain loads with every gateway, and the
   * fabric8 classes behind KubernetesSource load only when this runs.
   */
  private AutoCloseable startKubernetes(FleetGateway gateway, Map<String, String> fleetLabels, Consumer<String> log)
      throws IOException {
    return KubernetesSource.start(namespaces, fleetLabels, gateway, new BundleCache(cacheDir),
        new ConfigLoader(System.getenv()), serverOptions.secretsDir(), log);
  }

  /** Connections with short timeouts, so that a repository that is down is an answer, not a hang. */
  static RepositorySource.ConnectionFactory connections(String url, Map<String, String> env) {
    java.util.Properties properties = new java.util.Properties();
    if (env.get("GANTRY_REPOSITORY_USER") != null) {
      properties.setProperty("user", env.get("GANTRY_REPOSITORY_USER"));
    }
    if (env.get("GANTRY_REPOSITORY_PASSWORD") != null) {
      properties.setProperty("password", env.get("GANTRY_REPOSITORY_PASSWORD"));
    }
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "5");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "gantry-fleet");
    return new RepositorySource.ConnectionFactory() {
      @Override
      public java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(url, properties);
      }

      @Override
      public String toString() {
        return url; // never the password
      }
    };
  }

  /** The --label pairs plus fleet=NAME and zone=ZONE, which every fleet carries. */
  Map<String, String> labels() {
    Map<String, String> all = new TreeMap<>();
    for (String pair : labels) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--label " + pair + ": expected KEY=VALUE");
      }
      all.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    all.put("fleet", fleet);
    if (zone != null) {
      all.put("zone", zone);
    }
    return all;
  }
}
