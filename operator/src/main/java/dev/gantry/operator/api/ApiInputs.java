package dev.gantry.operator.api;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.Security;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.resolve.ResourceSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Step 1: what an API is made of, read from the informers' caches (no API-server round trip):
 * its definition files, and the resources of its namespace it may reference.
 */
final class ApiInputs {
  /** The definition files found, and the ConfigMaps the API names that do not exist. */
  record Definitions(List<DefinitionFile> files, List<String> missing) {}

  private ApiInputs() {}

  /**
   * One file per ConfigMap key, named {@code configmap/key}: problems then point at the ConfigMap
   * and key the user wrote, and the bundle keeps the key (the original file name) as the definition's name.
   */
  static Definitions definitions(Api api, Function<ResourceID, Optional<ConfigMap>> configMaps) {
    List<DefinitionFile> files = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> names = api.getSpec().getDefinitions() == null ? List.of() : api.getSpec().getDefinitions();
    for (String name : names) {
      Optional<ConfigMap> map = configMaps.apply(new ResourceID(name, api.getMetadata().getNamespace()));
      if (map.isEmpty()) {
        missing.add(name);
        continue;
      }
      Map<String, byte[]> entries = new TreeMap<>();
      if (map.get().getData() != null) {
        map.get().getData().forEach((key, text) -> entries.put(key, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      if (map.get().getBinaryData() != null) {
        map.get().getBinaryData().forEach((key, base64) -> entries.put(key, Base64.getDecoder().decode(base64)));
      }
      entries.forEach((key, bytes) -> files.add(DefinitionFile.of(name + "/" + key, bytes)));
    }
    return new Definitions(files, missing);
  }

  /** The namespace's Endpoints, RateLimits, Securities and Secret key names (never values), as the resolver takes them. */
  static ResourceSet resources(String namespace, Stream<Endpoint> endpoints, Stream<RateLimit> rateLimits,
                               Stream<Security> securities, Stream<Secret> secrets) {
    ResourceSet set = new ResourceSet();
    Stream.of(endpoints, rateLimits, securities).flatMap(s -> s)
        .forEach(resource -> set.add(resource, resource.getMetadata().getName(), source(resource)));
    secrets.forEach(secret -> {
      Set<String> keys = new TreeSet<>();
      Optional.ofNullable(secret.getData()).ifPresent(data -> keys.addAll(data.keySet()));
      Optional.ofNullable(secret.getStringData()).ifPresent(data -> keys.addAll(data.keySet()));
      set.addSecret(secret.getMetadata().getName(), keys, source(secret));
    });
    set.markSecretsKnown();
    return set;
  }

  private static String source(HasMetadata resource) {
    return resource.getKind() + "/" + resource.getMetadata().getName();
  }
}
