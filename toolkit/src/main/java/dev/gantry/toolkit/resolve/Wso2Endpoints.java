package dev.gantry.toolkit.resolve;

import dev.gantry.crds.v1alpha1.EndpointSpec;
import dev.gantry.toolkit.openapi.LoadedDefinition;
import dev.gantry.toolkit.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code x-wso2-production-endpoints} as Gantry Endpoints. The value is an object with {@code urls},
 * a {@code "#/x-wso2-endpoints/<name>"} reference into the top-level {@code x-wso2-endpoints} list,
 * or a single string. Each item of {@code urls} is a URL, or else the name of a TargetEndpoint,
 * which is looked up as the Gantry Endpoint of that name (a converted TargetEndpoint keeps its name).
 *
 * <p>Inline URLs become a synthetic Endpoint with a deterministic name, so bundles stay
 * deterministic and the URLs can still be replaced per cluster ({@code GANTRY_UPSTREAM_<NAME>_URLS}
 * or an Endpoint resource of that name, which then wins): {@code <x-wso2-endpoints entry>} for a
 * reference, else {@code <api>-production} at the document, {@code <api>-production-<path>} on a
 * path and {@code <api>-production-<method>-<path>} on an operation.
 */
final class Wso2Endpoints {
  private static final String REF_PREFIX = "#/" + Extensions.WSO2_ENDPOINTS + "/";

  private final ApiIdentity identity;
  private final LoadedDefinition definition;
  private final References references;
  private final List<Problem> out;

  Wso2Endpoints(ApiIdentity identity, LoadedDefinition definition, References references, List<Problem> out) {
    this.identity = identity;
    this.definition = definition;
    this.references = references;
    this.out = out;
  }

  /** The Endpoint names one declaration stands for; empty when it is wrong (reported). */
  List<String> names(Extensions.Declared declared, String method, String path) {
    Object value = declared.value();
    List<String> at = declared.at();
    String syntheticName = syntheticName(at, method, path);
    if (value instanceof String text && text.startsWith("#/")) {
      return reference(text, at);
    }
    if (value instanceof String text && !text.isBlank()) {
      return items(List.of(text), at, syntheticName);
    }
    if (value instanceof Map<?, ?> map) {
      return object(map, at, syntheticName);
    }
    error(at, "must be an object with urls, a \"" + REF_PREFIX + "<name>\" reference or a TargetEndpoint name");
    return List.of();
  }

  /** Gantry routes production traffic only: a sandbox declaration is reported, never dropped silently. */
  void warnSandbox(Map<String, Object> extensions, List<String> at) {
    if (extensions != null && extensions.containsKey(Extensions.WSO2_SANDBOX)) {
      List<String> where = Extensions.append(at, Extensions.WSO2_SANDBOX);
      out.add(Problem.warning(definition.file().name(), definition.lineOf(where), String.join(".", where),
          "Gantry has no sandbox routing (no key-type based endpoint choice): these endpoints are not used. "
              + "Deploy the sandbox as its own API (another version or name) whose production endpoints they are"));
    }
  }

  private List<String> reference(String ref, List<String> at) {
    if (!ref.startsWith(REF_PREFIX) || ref.length() == REF_PREFIX.length()) {
      error(at, "a reference must have the form \"" + REF_PREFIX + "<name>\"");
      return List.of();
    }
    String name = ref.substring(REF_PREFIX.length());
    Object list = definition.model().getExtensions() == null ? null
        : definition.model().getExtensions().get(Extensions.WSO2_ENDPOINTS);
    if (!(list instanceof List<?> entries)) {
      error(at, "refers to " + Extensions.WSO2_ENDPOINTS + " \"" + name + "\", but the document has no top-level "
          + Extensions.WSO2_ENDPOINTS + " list");
      return List.of();
    }
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) instanceof Map<?, ?> entry && entry.containsKey(name)) {
        List<String> entryAt = List.of(Extensions.WSO2_ENDPOINTS, String.valueOf(i), name);
        if (!(entry.get(name) instanceof Map<?, ?> body)) {
          error(entryAt, "must be an object with urls");
          return List.of();
        }
        return object(body, entryAt, slug(name));
      }
    }
    error(at, "refers to " + Extensions.WSO2_ENDPOINTS + " entry \"" + name + "\", which the list does not hold");
    return List.of();
  }

  private List<String> object(Map<?, ?> map, List<String> at, String syntheticName) {
    for (Object key : map.keySet()) {
      String k = String.valueOf(key);
      List<String> keyAt = Extensions.append(at, k);
      if (k.equals("type")) {
        if ("failover".equals(map.get(key))) {
          warning(keyAt, "Gantry does not keep a primary: it balances round-robin over all URLs and ejects one "
              + "that fails for 10 s, so traffic reaches the backup URLs too");
        } else if (!"loadbalance".equals(map.get(key))) {
          error(keyAt, "must be loadbalance or failover");
        }
      } else if (!k.equals("urls")) {
        warning(keyAt, "not mapped: Gantry reads only urls (and type) of WSO2 endpoints"
            + (k.equals("securityConfig") ? "; backend credentials are not sent by the gateway" : ""));
      }
    }
    if (!(map.get("urls") instanceof List<?> urls) || urls.isEmpty()
        || !urls.stream().allMatch(u -> u instanceof String s && !s.isBlank())) {
      error(Extensions.append(at, "urls"), "must be a non-empty list of URLs or TargetEndpoint names");
      return List.of();
    }
    return items(urls.stream().map(String.class::cast).toList(), Extensions.append(at, "urls"), syntheticName);
  }

  /** URLs make one synthetic Endpoint; other items name Endpoints. */
  private List<String> items(List<String> items, List<String> at, String syntheticName) {
    List<String> urls = items.stream().filter(Wso2Endpoints::isUrl).distinct().toList();
    List<String> names = new ArrayList<>();
    if (!urls.isEmpty()) {
      EndpointSpec spec = new EndpointSpec();
      spec.setUrls(urls);
      if (references.syntheticEndpoint(definition, syntheticName, spec, at)) {
        names.add(syntheticName);
      }
    }
    for (String item : items) {
      if (!isUrl(item) && item.contains("://")) {
        error(at, "\"" + item + "\" is neither an http(s) URL nor a TargetEndpoint name");
      } else if (!isUrl(item)) {
        String name = targetEndpoint(item, at);
        references.endpoint(definition, name, at);
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /**
   * WSO2 wrote {@code name.namespace} for a TargetEndpoint of another namespace. Gantry resolves
   * in the API's own namespace: an Endpoint literally named so is used, else the name before the
   * last dot, with a warning that the namespace part is not honoured.
   */
  private String targetEndpoint(String item, List<String> at) {
    int dot = item.lastIndexOf('.');
    if (dot <= 0 || references.hasEndpoint(item)) {
      return item;
    }
    String name = item.substring(0, dot);
    warning(at, "\"" + item + "\" is read as TargetEndpoint \"" + name + "\" of namespace \"" + item.substring(dot + 1)
        + "\": Gantry looks Endpoints up in the API's own namespace, so Endpoint \"" + name
        + "\" must be there (convert and apply the TargetEndpoint in that namespace)");
    return name;
  }

  private String syntheticName(List<String> at, String method, String path) {
    String base = identity.name() + "-production";
    if (at.size() == 1) {
      return base;
    }
    if (at.size() == 3) {
      return trim(base + "-" + slug(path));
    }
    return trim(base + "-" + method.toLowerCase(Locale.ROOT) + "-" + slug(path));
  }

  static String slug(String text) {
    String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return slug.isEmpty() ? "root" : slug;
  }

  private static String trim(String name) {
    return name.length() <= 253 ? name : name.substring(0, 253).replaceAll("-+$", "");
  }

  private static boolean isUrl(String item) {
    String lower = item.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  private void error(List<String> at, String message) {
    out.add(Problem.error(definition.file().name(), definition.lineOf(at), String.join(".", at), message));
  }

  private void warning(List<String> at, String message) {
    out.add(Problem.warning(definition.file().name(), definition.lineOf(at), String.join(".", at), message));
  }
}
