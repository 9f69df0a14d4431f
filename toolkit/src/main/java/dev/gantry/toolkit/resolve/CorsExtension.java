package dev.gantry.toolkit.resolve;

import dev.gantry.toolkit.problem.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads {@code x-gantry-cors} and its WSO2 counterpart {@code x-wso2-cors} into a {@link CorsPolicy}.
 * Both are checked alike; they differ only in key names and in one case: {@code *} origins with
 * credentials are an error in Gantry's extension and a warning (credentials dropped) in WSO2's,
 * so that WSO2 definitions load unchanged without opening credentialed calls to every site.
 */
final class CorsExtension {
  private static final String ORIGIN = "(?i)https?://[a-z0-9.-]+(:[0-9]{1,5})?|\\*|null";
  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  private static final Set<String> GANTRY_KEYS = Set.of("allowOrigins", "allowMethods", "allowHeaders",
      "exposeHeaders", "allowCredentials", "maxAge");
  // WSO2 wrote both spellings: API Manager exports camelCase, the Microgateway 3.x docs kebab-case.
  private static final Map<String, String> WSO2_KEYS = Map.ofEntries(
      Map.entry("accessControlAllowOrigins", "allowOrigins"),
      Map.entry("accessControlAllowMethods", "allowMethods"),
      Map.entry("accessControlAllowHeaders", "allowHeaders"),
      Map.entry("accessControlExposeHeaders", "exposeHeaders"),
      Map.entry("accessControlAllowCredentials", "allowCredentials"),
      Map.entry("accessControlMaxAge", "maxAge"),
      Map.entry("access-control-allow-origins", "allowOrigins"),
      Map.entry("access-control-allow-methods", "allowMethods"),
      Map.entry("access-control-allow-headers", "allowHeaders"),
      Map.entry("access-control-expose-headers", "exposeHeaders"),
      Map.entry("access-control-allow-credentials", "allowCredentials"),
      Map.entry("access-control-max-age", "maxAge"));

  private CorsExtension() {}

  /**
   * The policy, or null when the declaration disables CORS or is wrong (then an error was reported
   * through {@code error}; warnings go through {@code warning}).
   */
  static CorsPolicy read(Extensions.Declared declared, BiConsumer<List<String>, String> error,
                         BiConsumer<List<String>, String> warning) {
    boolean wso2 = declared.at().get(declared.at().size() - 1).equals(Extensions.WSO2_CORS);
    if (!(declared.value() instanceof Map<?, ?> map)) {
      error.accept(declared.at(), "must be a mapping such as {allowOrigins: [\"https://app.example.com\"]}");
      return null;
    }
    Map<String, Object> fields = new java.util.HashMap<>();
    Map<String, String> written = new java.util.HashMap<>(); // Gantry's name → the key the user wrote
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      List<String> at = Extensions.append(declared.at(), key);
      if (wso2 && key.equals("corsConfigurationEnabled")) {
        if (!(entry.getValue() instanceof Boolean)) {
          error.accept(at, "must be true or false");
        } else if (!(Boolean) entry.getValue()) {
          return null; // WSO2's switch: CORS declared but turned off
        }
      } else if (wso2 ? WSO2_KEYS.containsKey(key) : GANTRY_KEYS.contains(key)) {
        fields.put(wso2 ? WSO2_KEYS.get(key) : key, entry.getValue());
        written.put(wso2 ? WSO2_KEYS.get(key) : key, key);
      } else {
        warning.accept(at, "unknown CORS setting, ignored; known are "
            + String.join(", ", (wso2 ? WSO2_KEYS.keySet() : GANTRY_KEYS).stream().sorted().toList()));
      }
    }
    List<String> origins = strings(fields.get("allowOrigins"), declared, key(written, wso2, "allowOrigins"), ORIGIN,
        "an origin such as https://app.example.com (scheme, host and port only), or *", error);
    if (origins != null && origins.isEmpty()) {
      error.accept(Extensions.append(declared.at(), key(written, wso2, "allowOrigins")),
          "must list at least one origin (or *)" + (fields.containsKey("allowOrigins") ? "" : ": it is missing"));
    }
    List<String> methods = strings(fields.get("allowMethods"), declared, key(written, wso2, "allowMethods"), TOKEN,
        "an HTTP method", error);
    List<String> headers = strings(fields.get("allowHeaders"), declared, key(written, wso2, "allowHeaders"), TOKEN,
        "a header name or *", error);
    List<String> expose = strings(fields.get("exposeHeaders"), declared, key(written, wso2, "exposeHeaders"), TOKEN,
        "a header name", error);
    Object credentials = fields.getOrDefault("allowCredentials", Boolean.FALSE);
    if (!(credentials instanceof Boolean)) {
      error.accept(Extensions.append(declared.at(), key(written, wso2, "allowCredentials")), "must be true or false");
      return null;
    }
    Object maxAge = fields.get("maxAge");
    if (maxAge != null && !(maxAge instanceof Integer age && age >= 0)) {
      error.accept(Extensions.append(declared.at(), key(written, wso2, "maxAge")), "must be a number of seconds (0 or more)");
      return null;
    }
    if (origins == null || origins.isEmpty() || methods == null || headers == null || expose == null) {
      return null;
    }
    boolean allowCredentials = (Boolean) credentials;
    if (allowCredentials && origins.contains("*")) {
      List<String> at = Extensions.append(declared.at(), key(written, wso2, "allowCredentials"));
      String why = "credentials cannot be allowed for every origin (*): any web site could then call this API "
          + "with its visitors' cookies or credentials";
      if (!wso2) {
        error.accept(at, why + "; list the origins instead");
        return null;
      }
      warning.accept(at, why + "; Gantry allows * without credentials (list the origins to allow credentials)");
      allowCredentials = false;
    }
    List<String> upperMethods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).distinct().toList();
    return new CorsPolicy(origins, upperMethods, headers, expose, allowCredentials, (Integer) maxAge);
  }

  /** The key as the user wrote it, for messages; for a missing one, the camelCase WSO2 name. */
  private static String key(Map<String, String> written, boolean wso2, String gantryKey) {
    if (!wso2 || written.containsKey(gantryKey)) {
      return written.getOrDefault(gantryKey, gantryKey);
    }
    return "accessControl" + Character.toUpperCase(gantryKey.charAt(0)) + gantryKey.substring(1);
  }

  /** A list of strings each matching {@code pattern}; empty when absent; null (reported) when wrong. */
  private static List<String> strings(Object value, Extensions.Declared declared, String key, String pattern,
                                      String what, BiConsumer<List<String>, String> error) {
    if (value == null) {
      return List.of();
    }
    List<String> at = Extensions.append(declared.at(), key);
    if (!(value instanceof List<?> list)) {
      error.accept(at, "must be a list, each item " + what);
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s) || !s.matches(pattern)) {
        error.accept(Extensions.append(at, String.valueOf(i)), "must be " + what);
        return null;
      }
      out.add(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }
    return new ArrayList<>(out);
  }
}
