package dev.gantry.toolkit.image.context;

import dev.gantry.toolkit.openapi.TreeLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Rewrites a resource file for a build context without its Secrets: Secret documents, and Secret
 * items of a {@code v1 List}, are dropped; every other document is written back as plain YAML.
 * The whole file is rewritten, not only the Secret documents cut out, because comments travel
 * with the text and may hold what a Secret holds (the sample's "admin:changeme").
 *
 * <p>The resolver needs no Secret to compile a bundle: without any, a missing Secret is checked
 * at deploy time, and the bundle (and its digest) never depends on Secrets.
 */
final class SecretFreeResources {
  private SecretFreeResources() {}

  /** The rewritten file (empty when it held only Secrets) and how many Secrets were dropped. */
  record Result(byte[] yaml, int secretsRemoved) {}

  static Result rewrite(String source, byte[] content) {
    List<Object> kept = new ArrayList<>();
    int removed = 0;
    Iterable<Object> documents = new Yaml(new SafeConstructor(TreeLimits.loaderOptions()))
        .loadAll(new String(content, StandardCharsets.UTF_8));
    try {
      for (Object document : documents) {
        if (document == null) {
          continue;
        }
        if (isSecret(document)) {
          removed++;
          continue;
        }
        if (document instanceof Map<?, ?> map && isList(map) && map.get("items") instanceof List<?> items) {
          List<Object> items2 = new ArrayList<>();
          for (Object item : items) {
            if (isSecret(item)) {
              removed++;
            } else {
              items2.add(item);
            }
          }
          @SuppressWarnings("unchecked")
          Map<Object, Object> copy = new java.util.LinkedHashMap<>((Map<Object, Object>) map);
          copy.put("items", items2);
          document = copy;
        }
        kept.add(document);
      }
    } catch (RuntimeException e) {
      // Unreadable YAML cannot be checked for Secrets, so it must not go into a context.
      throw new IllegalArgumentException(source + ": not readable as YAML, so it cannot be checked for Secrets: "
          + String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim(), e);
    }
    String yaml = kept.isEmpty() ? "" : dumper().dumpAll(kept.iterator());
    return new Result(yaml.getBytes(StandardCharsets.UTF_8), removed);
  }

  private static boolean isSecret(Object document) {
    // A SecretList's items need not say their kind, so the whole list goes.
    return document instanceof Map<?, ?> map
        && ("Secret".equals(String.valueOf(map.get("kind"))) || "SecretList".equals(String.valueOf(map.get("kind"))));
  }

  private static boolean isList(Map<?, ?> map) {
    return String.valueOf(map.get("kind")).endsWith("List");
  }

  private static Yaml dumper() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setExplicitStart(true);
    options.setSplitLines(false);
    return new Yaml(new Representer(options), options);
  }
}
