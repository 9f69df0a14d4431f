package dev.gantry.runtime.fleet;

import dev.gantry.runtime.config.BundleDigest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bundle ConfigMap, as the operator writes it (operator's {@code model/BundleConfigMap}, whose
 * names are repeated here because the runtime does not depend on the operator), decoded into what
 * this fleet should do with it. Pure: no client, no disk.
 */
final class KubernetesBundle {
  static final String LABEL_BUNDLE = "gantry.dev/bundle";
  static final String LABEL_API = "gantry.dev/api";
  static final String ANNOTATION_DIGEST = "gantry.dev/bundle-digest";
  static final String ANNOTATION_STATE = "gantry.dev/state";
  static final String ANNOTATION_GATEWAYS = "gantry.dev/gateways";
  static final String ENVIRONMENT_KEY = "environment.yaml";
  static final String PATH_SEPARATOR = "__";

  private KubernetesBundle() {}

  /** What a ConfigMap means for this fleet; {@code api} is the gateway's key, {@code namespace/API}. */
  sealed interface Decoded {
    String api();
  }

  /** Serve these files and environment. */
  record Serve(String api, String bundleDigest, SortedMap<String, byte[]> files, byte[] environment)
      implements Decoded {
    FleetRepository.Release release(long revision) {
      return new FleetRepository.Release(new FleetRepository.Wanted(api, revision, bundleDigest), files, environment);
    }
  }

  /** Not for this fleet (stopped, or its selector does not select it): unload it. */
  record NotServed(String api, String why) implements Decoded {}

  /** Broken: keep serving what was served before, and say why. */
  record Invalid(String api, List<String> problems) implements Decoded {}

  /** The gateway's key of the API a bundle ConfigMap carries: namespace/API, so namespaces never collide. */
  static String api(ConfigMap map) {
    var labels = map.getMetadata().getLabels();
    String api = labels == null || labels.get(LABEL_API) == null ? map.getMetadata().getName() : labels.get(LABEL_API);
    return map.getMetadata().getNamespace() + "/" + api;
  }

  static Decoded decode(ConfigMap map, Map<String, String> fleetLabels) {
    String api = api(map);
    Map<String, String> annotations = map.getMetadata().getAnnotations() == null ? Map.of()
        : map.getMetadata().getAnnotations();
    String state = annotations.get(ANNOTATION_STATE);
    if ("STOPPED".equals(state)) {
      return new NotServed(api, "stopped");
    }
    List<String> problems = new ArrayList<>();
    if (!"STARTED".equals(state)) {
      problems.add("annotation " + ANNOTATION_STATE + " is " + (state == null ? "missing" : "'" + state + "'")
          + ": expected STARTED or STOPPED");
    }
    LabelSelector selector = null;
    String gateways = annotations.get(ANNOTATION_GATEWAYS);
    if (gateways == null) {
      problems.add("annotation " + ANNOTATION_GATEWAYS + " is missing: it names the fleets that serve this API");
    } else {
      try {
        selector = KubernetesSelector.parse(gateways);
      } catch (IllegalArgumentException e) {
        problems.add("annotation " + ANNOTATION_GATEWAYS + ": " + e.getMessage());
      }
    }
    String digest = annotations.get(ANNOTATION_DIGEST);
    if (digest == null) {
      problems.add("annotation " + ANNOTATION_DIGEST + " is missing");
    }
    SortedMap<String, byte[]> files = new TreeMap<>();
    byte[] environment = files(map, files, problems);
    if (environment == null) {
      problems.add("binaryData has no " + ENVIRONMENT_KEY);
    }
    if (problems.isEmpty() && !digest.equals(BundleDigest.of(files))) {
      problems.add("the files do not match annotation " + ANNOTATION_DIGEST + " " + digest + " (they digest to "
          + BundleDigest.of(files) + "): the ConfigMap was changed by hand or truncated");
    }
    if (!problems.isEmpty()) {
      return new Invalid(api, problems);
    }
    if (!KubernetesSelector.selects(selector, fleetLabels)) {
      return new NotServed(api, "its gateways selector " + gateways + " does not select this fleet " + fleetLabels);
    }
    return new Serve(api, digest, files, environment);
  }

  /** Fills {@code files} with the bundle files (keys decoded to paths); returns environment.yaml, or null. */
  private static byte[] files(ConfigMap map, SortedMap<String, byte[]> files, List<String> problems) {
    byte[] environment = null;
    Map<String, byte[]> entries = new TreeMap<>();
    if (map.getBinaryData() != null) {
      map.getBinaryData().forEach((key, base64) -> {
        try {
          entries.put(key, Base64.getDecoder().decode(base64 == null ? "" : base64));
        } catch (IllegalArgumentException e) {
          problems.add("binaryData " + key + " is not base64: " + e.getMessage());
        }
      });
    }
    // Text data is accepted too, for a ConfigMap written by hand; the operator writes binaryData only.
    if (map.getData() != null) {
      map.getData().forEach((key, text) -> {
        if (entries.put(key, (text == null ? "" : text).getBytes(StandardCharsets.UTF_8)) != null) {
          problems.add("key " + key + " is in both data and binaryData");
        }
      });
    }
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      if (entry.getKey().equals(ENVIRONMENT_KEY)) {
        environment = entry.getValue();
      } else {
        files.put(path(entry.getKey()), entry.getValue());
      }
    }
    return environment;
  }

  /** The bundle path of a ConfigMap key: every {@value #PATH_SEPARATOR} was a '/'. */
  static String path(String key) {
    return key.replace(PATH_SEPARATOR, "/");
  }
}
