package dev.gantry.toolkit.kubectl;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.toolkit.resolve.ResourceLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code kubectl add api} writes, as objects: ConfigMap {@code NAME-openapi} with one key
 * per definition file, and API {@code NAME} naming it. Pure, so dry-run output and the objects
 * sent to the server are the same thing.
 */
public final class ApiManifests {
  /** A ConfigMap (like any object) must stay under etcd's 1 MiB request limit; keep room for metadata. */
  static final int MAX_DEFINITION_BYTES = 1_000_000;
  public static final String LABEL_API = "gantry.dev/api";

  /** One definition file: the ConfigMap key (the file's name) and its text. */
  public record Definition(String key, String text) {}

  /** The user's choices; null fields keep what the cluster has (on update) or the CRD default. */
  public record Request(String name, String namespace, List<Definition> definitions, String version,
                        Integer replicas, Boolean override) {}

  private ApiManifests() {}

  public static String configMapName(String api) {
    return api + "-openapi";
  }

  public static ConfigMap configMap(Request request) {
    Map<String, String> data = new TreeMap<>();
    request.definitions().forEach(d -> data.put(d.key(), d.text()));
    return new ConfigMapBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(configMapName(request.name()))
            .withNamespace(request.namespace())
            .addToLabels(LABEL_API, request.name())
            .build())
        .withData(data)
        .build();
  }

  /**
   * The API to write. With an existing API, only the fields this command sets change: exposure,
   * autoscaling, env and the rest stay as the platform team left them.
   */
  public static Api api(Request request, Api existing) {
    Api api = new Api();
    api.setApiVersion(ResourceLoader.API_VERSION);
    api.setKind("API");
    api.setMetadata(existing == null
        ? new ObjectMetaBuilder().withName(request.name()).withNamespace(request.namespace()).build()
        : new ObjectMetaBuilder(existing.getMetadata()).build());
    ApiSpec spec = existing == null || existing.getSpec() == null ? new ApiSpec() : copy(existing.getSpec());
    spec.setDefinitions(List.of(configMapName(request.name())));
    spec.setVersion(request.version());
    if (request.replicas() != null) {
      spec.setReplicas(request.replicas());
    }
    if (request.override() != null) {
      spec.setOverride(request.override());
    }
    api.setSpec(spec);
    return api;
  }

  /** Total size of the definitions, to refuse what no ConfigMap can hold before the server does. */
  static int size(List<Definition> definitions) {
    return definitions.stream().mapToInt(d -> d.text().getBytes(StandardCharsets.UTF_8).length).sum();
  }

  private static ApiSpec copy(ApiSpec spec) {
    return io.fabric8.kubernetes.client.utils.Serialization.clone(spec);
  }
}
