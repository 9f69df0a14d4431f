package dev.gantry.runtime.server;

import dev.gantry.runtime.config.ConfigException;
import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private static final String NETTY_JFR = "io.netty.jfr.enabled";

  @Parameters(paramLabel = "BUNDLE", arity = "0..1", // optional only so that `run fleet` parses
      description = "Bundle folder, or the output folder of gantry build.")
  Path bundle;

  @Option(names = "--environment", paramLabel = "FILE",
      description = "Per-cluster settings (default: BUNDLE/../environment.yaml or /etc/gantry/environment.yaml).")
  Path environment;

  @Mixin
  ServerOptions serverOptions = new ServerOptions();

  public static void main(String[] args) {
    withoutNettyFlightRecorderEvents();
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
    ServerSettings settings;
    try {
      settings = serverOptions.settings();
    } catch (IllegalArgumentException e) {
      System.err.println("gantry: " + e.getMessage());
      return 2;
    }
    GatewayConfig config;
    try {
      config = new ConfigLoader(System.getenv()).load(bundleDir, environmentFile, serverOptions.secretsDir());
    } catch (ConfigException e) {
      System.err.println("gantry: cannot serve " + bundleDir + ":");
      e.problems().forEach(p -> System.err.println("  " + p));
      return 2;
    }
    GatewayServer gateway;
    try {
      gateway = GatewayServer.start(config, settings).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("gantry: cannot start: " + e.getCause().getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::stopAndWait, "gantry-shutdown"));
    System.err.printf("gantry: serving %s %s (%s) on port %d, management on %d, ready in %d ms%n", config.api(),
        config.version(), config.bundleDigest(), gateway.port(), gateway.managementPort(),
        (System.nanoTime() - started) / 1_000_000);
    Thread.currentThread().join();
    return 0;
  }

  /**
   * Netty 4.2's allocator declares JDK Flight Recorder events for its chunks, and the JVM registers
   * the first one it loads by reading JFR's whole event metadata: ~190 classes and ~3 MiB resident in
   * every gateway, recording or not (bench/README.md). They stay off unless a user turns them on
   * ({@code -Dio.netty.jfr.enabled=true}). Netty reads the property once, as its first class loads,
   * so this runs before anything else.
   */
  static void withoutNettyFlightRecorderEvents() {
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
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
