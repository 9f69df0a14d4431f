package dev.gantry.runtime.fleet;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.Limits;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run fleet}: a shared gateway of a fleet. It serves whichever APIs its source publishes for
 * its labels, loading, replacing and unloading them without a restart. Source {@code repository}
 * is the central management repository (PostgreSQL; credentials from the environment variables
 * {@code GANTRY_REPOSITORY_USER} and {@code GANTRY_REPOSITORY_PASSWORD}, never the command line).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Serve the APIs published for a gateway fleet.")
public final class FleetMain implements Callable<Integer> {
  @Option(names = "--fleet", required = true, description = "Name of the fleet (GatewayCluster).")
  String fleet;

  @Option(names = "--cluster", defaultValue = "default", description = "Name of this Kubernetes cluster (default: ${DEFAULT-VALUE}).")
  String cluster;

  @Option(names = "--zone", description = "Zone of this fleet; also the label zone.")
  String zone;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label APIs' gateways selectors match (repeatable).")
  List<String> labels = new ArrayList<>();

  @Option(names = "--source", defaultValue = "repository", description = "Where APIs come from: repository (default).")
  String source;

  @Option(names = "--repository-url", description = "JDBC URL of the central repository (jdbc:postgresql://HOST:PORT/DB).")
  String repositoryUrl;

  @Option(names = "--environment", defaultValue = "default", description = "Environment to serve (default: ${DEFAULT-VALUE}).")
  String environment;

  @Option(names = "--cache-dir", defaultValue = "/var/cache/gantry", description = "Local copy of the served bundles (default: ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(names = "--secrets-dir", defaultValue = "/etc/gantry/secrets", description = "Where Secrets are mounted (default: ${DEFAULT-VALUE}).")
  Path secretsDir;

  @Option(names = "--poll-interval", defaultValue = "5", paramLabel = "SECONDS",
      description = "Re-read the repository and beat at least this often (default: ${DEFAULT-VALUE}).")
  long pollSeconds;

  @Option(names = "--instance", description = "Name of this gateway instance (default: the host name).")
  String instance;

  @Option(names = "--advertise", paramLabel = "URI", description = "Where clients reach this gateway (default: http://HOST:PORT).")
  String advertise;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Traffic port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--management-port", defaultValue = "9090", description = "Health and metrics port (default: ${DEFAULT-VALUE}).")
  int managementPort;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate chain.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--instances", description = "Event loops serving traffic (default: CPU count).")
  Integer instances;

  @Option(names = "--access-log", defaultValue = "true", negatable = true, fallbackValue = "true",
      description = "JSON access log on standard output (default: ${DEFAULT-VALUE}).")
  boolean accessLog;

  @Option(names = "--shutdown-grace", defaultValue = "30", paramLabel = "SECONDS",
      description = "Seconds in-flight requests (and replaced bundles) get to finish (default: ${DEFAULT-VALUE}).")
  long shutdownGraceSeconds;

  @Override
  public Integer call() throws Exception {
    if (!"repository".equals(source)) {
      System.err.println("gantry: --source " + source + " is not available in this build; use --source repository");
      return 2;
    }
    if (repositoryUrl == null) {
      System.err.println("gantry: --source repository needs --repository-url");
      return 2;
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      System.err.println("gantry: --tls-cert and --tls-key go together");
      return 2;
    }
    if (!repositoryUrl.startsWith("jdbc:postgresql://")) {
      System.err.println("gantry: --repository-url " + repositoryUrl + " is not a PostgreSQL JDBC URL "
          + "(jdbc:postgresql://HOST[:PORT]/DATABASE)");
      return 2;
    }
    Map<String, String> fleetLabels;
    try {
      fleetLabels = labels();
    } catch (IllegalArgumentException e) {
      System.err.println("gantry: " + e.getMessage());
      return 2;
    }
    ServerSettings settings = new ServerSettings(host, port, managementPort, tlsCert, tlsKey,
        instances != null ? instances : Runtime.getRuntime().availableProcessors(), accessLog, Duration.ZERO,
        Duration.ofSeconds(shutdownGraceSeconds));
    GatewayServer server = GatewayServer.start(settings, Limits.DEFAULT, List.of(),
            (vertx, log) -> new FleetGateway(vertx, log, Duration.ofSeconds(shutdownGraceSeconds)))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    FleetGateway gateway = (FleetGateway) server.served();
    String name = instance != null ? instance : InetAddress.getLocalHost().getHostName();
    String uri = advertise != null ? advertise : (tlsCert != null ? "https://" : "http://") + name + ":" + server.port();
    FleetIdentity identity = new FleetIdentity(name, environment, fleet, cluster, zone, fleetLabels,
        Map.of("http", uri), FleetMain.class.getPackage().getImplementationVersion() == null
            ? "dev" : FleetMain.class.getPackage().getImplementationVersion());
    RepositorySource repository = new RepositorySource(connections(repositoryUrl, System.getenv()), identity, gateway,
        new BundleCache(cacheDir), new ConfigLoader(System.getenv()), secretsDir, Duration.ofSeconds(pollSeconds),
        line -> System.err.println(Instant.now() + " gantry: " + line));
    repository.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      repository.close();
      server.stopAndWait();
    }, "gantry-shutdown"));
    System.err.printf("gantry: fleet %s (%s) environment %s on port %d, management on %d%n", fleet, fleetLabels,
        environment, server.port(), server.managementPort());
    Thread.currentThread().join();
    return 0;
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
