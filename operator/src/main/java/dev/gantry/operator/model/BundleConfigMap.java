package dev.gantry.operator.model;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiState;
import dev.gantry.toolkit.bundle.Bundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ConfigMap through which fleet gateways (GatewayCluster, source kubernetes) load a local API:
 * the bundle's files, this cluster's environment.yaml, and annotations saying which fleets serve it
 * and whether it is started. Owned by the API, so deleting the API unpublishes it.
 *
 * <p>The names below are the contract with the runtime's Kubernetes source, which reads them:
 * <ul>
 *   <li>label {@value #LABEL_BUNDLE}={@code "true"} marks these ConfigMaps (the runtime watches by it);
 *       label {@value #LABEL_API} is the API's name;</li>
 *   <li>annotation {@value #ANNOTATION_DIGEST} the bundle digest ({@code sha256:…}),
 *       {@value #ANNOTATION_VERSION} the API's version, {@value #ANNOTATION_STATE} STARTED or STOPPED,
 *       {@value #ANNOTATION_GATEWAYS} the API's {@code spec.gateways} LabelSelector as JSON
 *       ({@code {"matchLabels":{…},"matchExpressions":[…]}}, matchLabels sorted by key);</li>
 *   <li>binaryData: one key per bundle file, the path with every '/' replaced by
 *       {@value #PATH_SEPARATOR} (ConfigMap keys may not contain '/': {@code openapi/a/b.yaml} is
 *       {@code openapi__a__b.yaml}), plus {@value #ENVIRONMENT_KEY} (not a bundle file).</li>
 * </ul>
 * A bundle path that already contains {@value #PATH_SEPARATOR}, or a character a ConfigMap key
 * cannot hold, would not decode back; {@link #problems} reports it instead of publishing.
 */
public final class BundleConfigMap {
  public static final String LABEL_BUNDLE = "gantry.dev/bundle";
  public static final String LABEL_API = "gantry.dev/api";
  public static final String ANNOTATION_DIGEST = "gantry.dev/bundle-digest";
  public static final String ANNOTATION_VERSION = "gantry.dev/version";
  public static final String ANNOTATION_STATE = "gantry.dev/state";
  public static final String ANNOTATION_GATEWAYS = "gantry.dev/gateways";
  public static final String ENVIRONMENT_KEY = "environment.yaml";
  public static final String PATH_SEPARATOR = "__";
  /** The API server refuses objects over about 1 MiB; keep room for metadata. */
  static final int MAX_BYTES = 1_000_000;
  private static final String KEY = "[-._a-zA-Z0-9]+";

  /**
   * @param api         the API (owner; name, version, state, gateways)
   * @param bundle      the compiled bundle
   * @param environment environment.yaml from the toolkit's EnvironmentCompiler
   */
  public record Inputs(Api api, Bundle bundle, byte[] environment) {}

  private BundleConfigMap() {}

  /** ConfigMap key of a bundle path. */
  public static String encodePath(String path) {
    return path.replace("/", PATH_SEPARATOR);
  }

  /** Bundle path of a ConfigMap key (what the runtime does). */
  public static String decodePath(String key) {
    return key.replace(PATH_SEPARATOR, "/");
  }

  /** Why this bundle cannot travel in a ConfigMap; empty when it can. */
  public static List<String> problems(Bundle bundle, byte[] environment) {
    List<String> problems = new ArrayList<>();
    long size = environment.length;
    for (var file : bundle.files().entrySet()) {
      String path = file.getKey();
      String key = encodePath(path);
      if (path.contains(PATH_SEPARATOR) || !key.matches(KEY) || !decodePath(key).equals(path)) {
        problems.add("bundle file " + path + " cannot be a ConfigMap key (only letters, digits, '-', '_', '.', and "
            + "'/' written as " + PATH_SEPARATOR + "; no " + PATH_SEPARATOR + " in names)");
      }
      if (key.equals(ENVIRONMENT_KEY)) {
        problems.add("bundle file " + path + " collides with the key " + ENVIRONMENT_KEY);
      }
      size += file.getValue().length;
    }
    // binaryData is base64: 4 bytes for every 3.
    if (size * 4 / 3 > MAX_BYTES) {
      problems.add("the bundle (" + size + " bytes) is too large for a ConfigMap (about " + MAX_BYTES * 3 / 4
          + " bytes); serve this API from its own gateway (no spec.gateways) or from the central repository");
    }
    return problems;
  }

  public static ConfigMap configMap(Inputs inputs) {
    Api api = inputs.api();
    String name = api.getMetadata().getName();
    Map<String, String> binary = new TreeMap<>();
    inputs.bundle().files().forEach((path, bytes) -> binary.put(encodePath(path), base64(bytes)));
    binary.put(ENVIRONMENT_KEY, base64(inputs.environment()));
    Map<String, String> labels = new LinkedHashMap<>(GatewayLabels.all(name, api.getSpec().getVersion()));
    labels.put(LABEL_BUNDLE, "true");
    labels.put(LABEL_API, Names.labelValue(name));
    return new ConfigMapBuilder()
        .withNewMetadata()
          .withName(Names.bundle(name))
          .withNamespace(api.getMetadata().getNamespace())
          .withLabels(labels)
          .addToAnnotations(ANNOTATION_DIGEST, inputs.bundle().digest())
          .addToAnnotations(ANNOTATION_VERSION, api.getSpec().getVersion())
          .addToAnnotations(ANNOTATION_STATE, state(api).name())
          .addToAnnotations(ANNOTATION_GATEWAYS, gatewaysJson(api.getSpec().getGateways()))
          .withOwnerReferences(BuildJob.owner(api))
        .endMetadata()
        .withBinaryData(binary)
        .build();
  }

  public static ApiState state(Api api) {
    return api.getSpec().stateOrDefault();
  }

  /** The selector as canonical JSON: the same selector always gives the same text (and the same ConfigMap hash). */
  public static String gatewaysJson(LabelSelector selector) {
    LabelSelectorBuilder canonical = new LabelSelectorBuilder();
    if (selector != null && selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()) {
      canonical.withMatchLabels(new TreeMap<>(selector.getMatchLabels()));
    }
    if (selector != null && selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
      canonical.withMatchExpressions(selector.getMatchExpressions());
    }
    return Serialization.asJson(canonical.build());
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
