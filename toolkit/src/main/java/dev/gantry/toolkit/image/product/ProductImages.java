package dev.gantry.toolkit.image.product;

import dev.gantry.toolkit.image.ImageLayout;
import dev.gantry.toolkit.image.RegistryAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Gantry's own two images, built from the Maven output with {@link JavaAppImage}:
 * {@code <registry>/gantry/runtime:<version>} (the gateway; per-API images start FROM it) and
 * {@code <registry>/gantry/toolkit:<version>} (the {@code gantry} CLI; stage 1 of the Dockerfile).
 * scripts/images.sh runs {@link #main}.
 */
@Command(name = "images", mixinStandardHelpOptions = true,
    description = "Build Gantry's runtime, toolkit and operator images with Jib and push them to a registry.")
public final class ProductImages implements Callable<Integer> {
  /** Production base: a public JRE. Tests and air-gapped machines pass tar://… from jre-base.sh. */
  public static final String DEFAULT_BASE = "eclipse-temurin:17-jre";
  /** The gateway's JVM settings: runtime-image/jvm.options, which bin/gantry and bench/gateway.sh read (ProductImagesFlagsTest). */
  public static final List<String> RUNTIME_JVM = List.of("-XX:+UseSerialGC", "-Xss256k", "-Xms24m", "-Xmx128m",
      "-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=2000", "-XX:+ExitOnOutOfMemoryError");
  /** A short-lived CLI: start fast rather than peak. */
  public static final List<String> TOOLKIT_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
  /**
   * The runtime image's CMD. No --environment: GatewayMain then reads
   * {@link ImageLayout#ENVIRONMENT_FILE} when a deployment mounts it, and otherwise starts from
   * the bundle plus GANTRY_UPSTREAM_*_URLS alone (enough for an API without security schemes).
   * Passing the path explicitly would make a missing mount a startup error instead. The drain
   * delay is for pods ({@link ImageLayout#DRAIN_DELAY_SECONDS}).
   */
  public static final List<String> RUNTIME_ARGS = List.of(ImageLayout.BUNDLE_DIR, "--secrets-dir", ImageLayout.SECRETS_DIR,
      "--drain-delay", String.valueOf(ImageLayout.DRAIN_DELAY_SECONDS));

  @Option(names = "--from", paramLabel = "BASE", defaultValue = DEFAULT_BASE,
      description = "Base image: a registry reference or tar://PATH of a docker-archive (default: ${DEFAULT-VALUE}).")
  String base;

  @Option(names = "--registry", required = true, paramLabel = "HOST:PORT", description = "Registry to push to.")
  String registry;

  @Option(names = "--insecure", description = "Allow plain HTTP to the registry.")
  boolean insecure;

  @Option(names = "--docker-config", paramLabel = "FILE",
      description = "Docker config.json with the registry's credentials (default: $DOCKER_CONFIG or ~/.docker).")
  Path dockerConfig;

  @Option(names = "--tag", required = true, paramLabel = "VERSION", description = "Tag of both images: the project version.")
  String tag;

  @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "Project root holding the Maven output.")
  Path root;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ProductImages()).execute(args));
  }

  /** The gateway runtime from {@code runtime-image/target}. */
  public static JavaAppImage runtime(Path projectRoot, String version) {
    Path target = projectRoot.resolve("runtime-image/target");
    return new JavaAppImage(target.resolve("gantry-runtime.jar"), target.resolve("lib"),
        "dev.gantry.runtime.server.GatewayMain", "gantry-run", RUNTIME_JVM, RUNTIME_ARGS,
        List.of(ImageLayout.TRAFFIC_PORT, ImageLayout.MANAGEMENT_PORT), labels("gantry-runtime", version));
  }

  /** The gantry CLI from {@code toolkit/target}; {@code gantry} is on the PATH for Dockerfile RUN steps. */
  public static JavaAppImage toolkit(Path projectRoot, String version) {
    Path target = projectRoot.resolve("toolkit/target");
    return new JavaAppImage(target.resolve("gantry-toolkit.jar"), target.resolve("lib"),
        "dev.gantry.toolkit.cli.GantryCli", "gantry", TOOLKIT_JVM, List.of("--help"), List.of(),
        labels("gantry-toolkit", version));
  }

  /** The operator from {@code operator/target}; its heap follows the container's memory limit. */
  public static JavaAppImage operator(Path projectRoot, String version) {
    Path target = projectRoot.resolve("operator/target");
    return new JavaAppImage(target.resolve("gantry-operator.jar"), target.resolve("lib"),
        "dev.gantry.operator.GantryOperator", "gantry-operator",
        List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"), List.of(),
        List.of(8081), labels("gantry-operator", version));
  }

  public static String operatorRef(String registry, String version) {
    return registry + "/gantry/operator:" + version;
  }

  public static String runtimeRef(String registry, String version) {
    return registry + "/gantry/runtime:" + version;
  }

  public static String toolkitRef(String registry, String version) {
    return registry + "/gantry/toolkit:" + version;
  }

  /** Builds and pushes both images; returns reference → digest. */
  public static Map<String, String> pushBoth(Path projectRoot, String base, String registry, String version,
                                             RegistryAccess access, Path workDir) throws ImageBuildException {
    String runtimeRef = runtimeRef(registry, version);
    String toolkitRef = toolkitRef(registry, version);
    String runtimeDigest = runtime(projectRoot, version).push(base, runtimeRef, access, workDir.resolve("runtime"));
    String toolkitDigest = toolkit(projectRoot, version).push(base, toolkitRef, access, workDir.resolve("toolkit"));
    return Map.of(runtimeRef, runtimeDigest, toolkitRef, toolkitDigest);
  }

  private static Map<String, String> labels(String title, String version) {
    return Map.of("org.opencontainers.image.title", title, "org.opencontainers.image.version", version);
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("gantry-images");
    try {
      RegistryAccess access = RegistryAccess.of(insecure, dockerConfig, System.getenv())
          .withWarnings(w -> System.err.println("images: warning: " + w));
      pushBoth(root, base, registry, tag, access, work)
          .forEach((ref, digest) -> System.out.println(ref + "@" + digest));
      // The operator image only where the operator module was built (it comes last in the reactor).
      if (Files.isRegularFile(root.resolve("operator/target/gantry-operator.jar"))) {
        String ref = operatorRef(registry, tag);
        System.out.println(ref + "@" + operator(root, tag).push(base, ref, access, work.resolve("operator")));
      }
      return 0;
    } catch (ImageBuildException | IllegalArgumentException e) {
      System.err.println("images: " + e.getMessage());
      return 1;
    }
  }
}
