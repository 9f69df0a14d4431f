package dev.gantry.runtime.server;

import dev.gantry.runtime.config.ConfigException;
import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import dev.gantry.runtime.fleet.FleetMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry run BUNDLE}: serves a bundle. BUNDLE is a bundle folder, or the output folder of
 * {@code gantry build} (then its bundle/ and environment.yaml are used). Exit 2 on a bad bundle or
 * environment, with every problem listed; the gateway never starts with broken security.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Serve a gateway bundle.",
    subcommands = FleetMain.class)
public final class GatewayMain implements Callable<Integer> {
  @Parameters(paramLabel = "BUNDLE", arity = "0..1", // optional only so that `run fleet` parses
      description = "Bundle folder, or the output folder of gantry build.")
  Path bundle;

  @Option(names = "--environment", paramLabel = "FILE",
      description = "Per-cluster settings (default: BUNDLE/../environment.yaml or /etc/gantry/environment.yaml).")
  Path environment;

  @Mixin
  SecretsOptions secrets = new SecretsOptions();

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Traffic port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--management-port", defaultValue = "9090",
      description = "Health and metrics port (default: ${DEFAULT-VALUE}).")
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

  @Option(names = "--drain-delay", defaultValue = "0", paramLabel = "SECONDS",
      description = "Seconds to report not-ready before closing on SIGTERM (default: ${DEFAULT-VALUE}).")
  long drainDelaySeconds;

  @Option(names = "--shutdown-grace", defaultValue = "30", paramLabel = "SECONDS",
      description = "Seconds in-flight requests get to finish on SIGTERM (default: ${DEFAULT-VALUE}).")
  long shutdownGraceSeconds;

  @Mixin
  ClientProtectionOptions clientProtection = new ClientProtectionOptions();

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    if (bundle == null) {
      System.err.println("gantry: give a BUNDLE folder to serve (or `fleet` to serve a fleet's APIs); see --help");
      return 2;
    }
    Path bundleDir = Files.isDirectory(bundle.resolve("bundle")) ? bundle.resolve("bundle") : bundle;
    Path environmentFile = environment != null ? environment : defaultEnvironment(bundleDir);
    if ((tlsCert == null) != (tlsKey == null)) {
      System.err.println("gantry: --tls-cert and --tls-key go together");
      return 2;
    }
    GatewayConfig config;
    try {
      config = new ConfigLoader(System.getenv()).load(bundleDir, environmentFile, secrets.dir());
    } catch (ConfigException e) {
      System.err.println("gantry: cannot serve " + bundleDir + ":");
      e.problems().forEach(p -> System.err.println("  " + p));
      return 2;
    }
    ClientTimeouts clientTimeouts;
    ConnectionBounds connectionBounds;
    Duration secretsPollInterval;
    try {
      clientTimeouts = clientProtection.timeouts();
      connectionBounds = clientProtection.connectionBounds();
      secretsPollInterval = secrets.pollInterval();
    } catch (IllegalArgumentException e) {
      System.err.println("gantry: " + e.getMessage());
      return 2;
    }
    ServerSettings settings = new ServerSettings(host, port, managementPort, tlsCert, tlsKey,
        instances != null ? instances : Runtime.getRuntime().availableProcessors(), accessLog,
        Duration.ofSeconds(drainDelaySeconds), Duration.ofSeconds(shutdownGraceSeconds), clientTimeouts,
        connectionBounds, secretsPollInterval);
    GatewayServer server;
    try {
      server = GatewayServer.start(config, settings).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("gantry: cannot start: " + e.getCause().getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait, "gantry-shutdown"));
    System.err.printf("gantry: serving %s %s (%s) on port %d, management on %d, ready in %d ms%n", config.api(),
        config.version(), config.bundleDigest(), server.port(), server.managementPort(),
        (System.nanoTime() - started) / 1_000_000);
    Thread.currentThread().join();
    return 0;
  }

  private static Path defaultEnvironment(Path bundleDir) {
    Path beside = bundleDir.toAbsolutePath().getParent().resolve("environment.yaml");
    if (Files.exists(beside)) {
      return beside;
    }
    Path mounted = Path.of("/etc/gantry/environment.yaml");
    return Files.exists(mounted) ? mounted : null;
  }
}
