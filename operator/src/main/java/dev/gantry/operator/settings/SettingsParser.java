package dev.gantry.operator.settings;

import dev.gantry.crds.v1alpha1.Builder;
import dev.gantry.crds.v1alpha1.ExposureType;
import dev.gantry.operator.model.KanikoSettings;
import dev.gantry.toolkit.image.ImageName;
import dev.gantry.toolkit.image.ImageNameException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the settings ConfigMap's data into {@link OperatorSettings}, collecting every mistake (each
 * naming its key) rather than stopping at the first, so one edit fixes them all. Pure.
 */
public final class SettingsParser {
  public static final String REGISTRY = "registry";
  public static final String INSECURE_REGISTRY = "insecureRegistry";
  public static final String PUSH_SECRET = "pushSecret";
  public static final String PULL_SECRET = "pullSecret";
  public static final String DEFAULT_BUILDER = "defaultBuilder";
  public static final String KANIKO_EXECUTOR_IMAGE = "kanikoExecutorImage";
  public static final String TOOLKIT_IMAGE = "toolkitImage";
  public static final String RUNTIME_IMAGE = "runtimeImage";
  public static final String EXPOSURE = "exposure";
  public static final String HPA_MIN_REPLICAS = "hpaMinReplicas";
  public static final String HPA_MAX_REPLICAS = "hpaMaxReplicas";
  public static final String HPA_TARGET_CPU = "hpaTargetCPUUtilizationPercentage";
  /** Name of this Kubernetes cluster, passed to fleet gateways (they register with it in the central repository). */
  public static final String CLUSTER_NAME = "clusterName";
  public static final String DEFAULT_CLUSTER_NAME = "default";

  static final Set<String> KEYS = Set.of(REGISTRY, INSECURE_REGISTRY, PUSH_SECRET, PULL_SECRET, DEFAULT_BUILDER,
      KANIKO_EXECUTOR_IMAGE, TOOLKIT_IMAGE, RUNTIME_IMAGE, EXPOSURE, HPA_MIN_REPLICAS, HPA_MAX_REPLICAS, HPA_TARGET_CPU,
      CLUSTER_NAME);
  private static final String NAME = "[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?";
  private static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

  /** Settings when there were no errors; the errors (each "key: what is wrong") either way. */
  public record Result(Optional<OperatorSettings> settings, List<String> errors) {
    public static Result failed(String error) {
      return new Result(Optional.empty(), List.of(error));
    }

    public String message(String source) {
      return "invalid operator settings in " + source + ": " + String.join("; ", errors);
    }
  }

  private SettingsParser() {}

  public static Result parse(Map<String, String> data) {
    Map<String, String> in = data == null ? Map.of() : data;
    List<String> errors = new ArrayList<>();
    for (String key : new TreeSet<>(in.keySet())) {
      if (!KEYS.contains(key)) {
        errors.add(key + ": unknown key (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
      }
    }
    ImageName.Target registry = null;
    String registryValue = text(in, REGISTRY);
    if (registryValue == null) {
      errors.add(REGISTRY + ": required, HOST[:PORT][/prefix] of the registry per-API images are pushed to");
    } else {
      try {
        registry = ImageName.Target.parse(registryValue);
      } catch (ImageNameException e) {
        errors.add(REGISTRY + ": " + e.getMessage());
      }
    }
    String runtimeImage = text(in, RUNTIME_IMAGE);
    if (runtimeImage == null) {
      errors.add(RUNTIME_IMAGE + ": required, the gateway runtime base image (for example registry/gantry/runtime:0.1.0)");
    }
    boolean insecure = bool(in, INSECURE_REGISTRY, errors);
    Optional<String> pushSecret = name(in, PUSH_SECRET, errors);
    Optional<String> pullSecret = name(in, PULL_SECRET, errors);
    Builder builder = builder(in, errors);
    String executor = Optional.ofNullable(text(in, KANIKO_EXECUTOR_IMAGE)).orElse(KanikoSettings.DEFAULT_EXECUTOR);
    ExposureType exposure = exposure(in, errors);
    int min = number(in, HPA_MIN_REPLICAS, 1, 1, 1000, errors);
    int max = number(in, HPA_MAX_REPLICAS, 5, 1, 1000, errors);
    int cpu = number(in, HPA_TARGET_CPU, 75, 1, 100, errors);
    String clusterName = Optional.ofNullable(text(in, CLUSTER_NAME)).orElse(DEFAULT_CLUSTER_NAME);
    if (!clusterName.matches(LABEL)) {
      errors.add(CLUSTER_NAME + ": \"" + clusterName + "\" is not a DNS label (lower case, digits, '-', at most 63)");
    }
    if (max < min) {
      errors.add(HPA_MAX_REPLICAS + ": " + max + " is less than " + HPA_MIN_REPLICAS + " " + min);
    }
    if (!errors.isEmpty()) {
      return new Result(Optional.empty(), List.copyOf(errors));
    }
    return new Result(Optional.of(new OperatorSettings(registry, insecure, pushSecret, pullSecret, builder, executor,
        Optional.ofNullable(text(in, TOOLKIT_IMAGE)), runtimeImage, exposure,
        new OperatorSettings.HpaDefaults(min, max, cpu), clusterName)), List.of());
  }

  private static String text(Map<String, String> in, String key) {
    String value = in.get(key);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static boolean bool(Map<String, String> in, String key, List<String> errors) {
    String value = text(in, key);
    if (value == null || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    errors.add(key + ": \"" + value + "\" is not true or false");
    return false;
  }

  private static Optional<String> name(Map<String, String> in, String key, List<String> errors) {
    String value = text(in, key);
    if (value != null && !value.matches(NAME)) {
      errors.add(key + ": \"" + value + "\" is not a Secret name (lower-case DNS subdomain)");
    }
    return Optional.ofNullable(value);
  }

  private static Builder builder(Map<String, String> in, List<String> errors) {
    String value = text(in, DEFAULT_BUILDER);
    if (value == null || value.equalsIgnoreCase("jib")) {
      return Builder.JIB;
    }
    if (value.equalsIgnoreCase("kaniko")) {
      return Builder.KANIKO;
    }
    errors.add(DEFAULT_BUILDER + ": \"" + value + "\" is not jib or kaniko");
    return Builder.JIB;
  }

  private static ExposureType exposure(Map<String, String> in, List<String> errors) {
    String value = text(in, EXPOSURE);
    if (value == null) {
      return ExposureType.CLUSTER_IP;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "clusterip":
        return ExposureType.CLUSTER_IP;
      case "nodeport":
        return ExposureType.NODE_PORT;
      case "loadbalancer":
        return ExposureType.LOAD_BALANCER;
      default:
        // Ingress needs a host per API, so it cannot be an operator-wide default.
        errors.add(EXPOSURE + ": \"" + value + "\" is not ClusterIP, NodePort or LoadBalancer");
        return ExposureType.CLUSTER_IP;
    }
  }

  private static int number(Map<String, String> in, String key, int fallback, int min, int max, List<String> errors) {
    String value = text(in, key);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        errors.add(key + ": " + parsed + " is outside " + min + ".." + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      errors.add(key + ": \"" + value + "\" is not a whole number");
      return fallback;
    }
  }
}
