package dev.gantry.runtime.support;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.bundle.BundleWriter;
import dev.gantry.toolkit.bundle.EnvironmentCompiler;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.problem.Problems;
import dev.gantry.toolkit.resolve.ApiIdentity;
import dev.gantry.toolkit.resolve.ApiResolver;
import dev.gantry.toolkit.resolve.ResolvedApi;
import dev.gantry.toolkit.resolve.ResourceLoader;
import dev.gantry.toolkit.resolve.ResourceSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Real bundles for runtime tests, compiled by the toolkit exactly as `gantry build` does. */
public final class TestBundles {
  private TestBundles() {}

  /** Compiles and writes {@code out/bundle}, {@code out/bundle.sha256}, {@code out/environment.yaml}. */
  public static Bundle build(Path out, String name, String version, String openapi, String resources) {
    Problems problems = new Problems();
    ResourceSet set = new ResourceSet();
    new ResourceLoader().loadText("resources.yaml", resources, set, problems);
    ApiResolver.Resolution resolution = new ApiResolver().resolve(new ApiIdentity(name, version),
        List.of(DefinitionFile.of(name + ".yaml", openapi)), set, "test");
    if (problems.hasErrors() || resolution.api().isEmpty()) {
      throw new IllegalArgumentException("test bundle does not resolve: " + problems.sorted() + resolution.problems());
    }
    ResolvedApi api = resolution.api().get();
    Bundle bundle = new BundleCompiler().compile(api);
    try {
      new BundleWriter().write(bundle, new EnvironmentCompiler().compile(api), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bundle;
  }

  /**
   * The smallest API: one operation, {@code GET /NAME/v1/work}, no security, in front of the backend
   * on 127.0.0.1:{@code backendPort}. Written to {@code out} as {@link #build} does.
   */
  public static Bundle oneOperation(Path out, String name, int backendPort) {
    return build(out, name, "v1", """
        openapi: 3.0.3
        info: {title: %s, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /work: {get: {responses: {"200": {description: ok}}}}
        """.formatted(name), """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend}
        spec: {urls: ["http://127.0.0.1:%d"]}
        """.formatted(backendPort));
  }

  /** Writes Secret files as they are mounted: {@code dir/<secret>/<key>}. */
  public static Path secrets(Path dir, Map<String, Map<String, String>> secrets) {
    try {
      for (var secret : secrets.entrySet()) {
        for (var key : secret.getValue().entrySet()) {
          Path file = dir.resolve(secret.getKey()).resolve(key.getKey());
          Files.createDirectories(file.getParent());
          Files.writeString(file, key.getValue());
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a gateway on loopback (ports chosen by the system, no access log, 5 s shutdown grace)
   * serving what {@link #build} wrote to {@code out}, with Secrets from {@code secrets}.
   */
  public static GatewayServer serve(Path out, Path secrets, int instances) throws Exception {
    return start(out, secrets, 0, instances).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Starts serving {@code out} on 127.0.0.1:{@code port} (0: any), management on any port. */
  public static io.vertx.core.Future<GatewayServer> start(Path out, Path secrets, int port, int instances)
      throws Exception {
    GatewayConfig config = new ConfigLoader(Map.of()).load(out.resolve("bundle"), out.resolve("environment.yaml"),
        secrets);
    return GatewayServer.start(config, new ServerSettings("127.0.0.1", port, 0, null, null, instances, false,
        Duration.ZERO, Duration.ofSeconds(5)));
  }
}
