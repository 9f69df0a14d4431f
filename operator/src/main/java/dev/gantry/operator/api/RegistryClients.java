package dev.gantry.operator.api;

import dev.gantry.operator.settings.OperatorSettings;
import dev.gantry.toolkit.image.ImagePipeline;
import dev.gantry.toolkit.image.JibImageBuilder;
import dev.gantry.toolkit.image.JibRegistry;
import dev.gantry.toolkit.image.Registry;
import dev.gantry.toolkit.image.RegistryAccess;
import java.nio.file.Path;
import java.util.Map;

/**
 * Registry access made from the current settings (they may change between reconciles). Push
 * credentials for Jib come from the Docker config the operator's pod mounts ({@code DOCKER_CONFIG}).
 */
public final class RegistryClients {
  private final Map<String, String> env;
  private final Path baseLayersCache;
  private final Map<Boolean, Registry> registries = new java.util.concurrent.ConcurrentHashMap<>();

  /** @param baseLayersCache where Jib keeps the runtime base image's layers between builds; null for none */
  public RegistryClients(Map<String, String> env, Path baseLayersCache) {
    this.env = Map.copyOf(env);
    this.baseLayersCache = baseLayersCache;
  }

  RegistryAccess access(OperatorSettings settings) {
    return RegistryAccess.of(settings.insecureRegistry(), null, env);
  }

  /** One per insecure switch, kept: it holds the pooled HTTP client (see {@link JibRegistry}). */
  Registry registry(OperatorSettings settings) {
    return registries.computeIfAbsent(settings.insecureRegistry(), insecure -> new JibRegistry(access(settings)));
  }

  ImagePipeline pipeline(OperatorSettings settings) {
    return new ImagePipeline(registry(settings), new JibImageBuilder(access(settings), baseLayersCache));
  }
}
