package dev.gantry.toolkit.resolve;

import dev.gantry.toolkit.openapi.LoadedDefinition;
import dev.gantry.toolkit.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gantry's vendor extensions and where they apply. Each may stand at the document, a path or an
 * operation; the most specific one wins.
 */
final class Extensions {
  static final String BASE_PATH = "x-gantry-basepath";
  static final String ENDPOINT = "x-gantry-endpoint";
  static final String RATE_LIMIT = "x-gantry-ratelimit";
  static final String CORS = "x-gantry-cors";
  static final String LIMITS = "x-gantry-limits";
  static final Set<String> KNOWN = Set.of(BASE_PATH, ENDPOINT, RATE_LIMIT, CORS, LIMITS);

  /** The WSO2 API Operator 1.x extensions read beside Gantry's (see {@link Wso2Extensions}). */
  static final String WSO2_BASE_PATH = "x-wso2-basePath";
  static final String WSO2_PRODUCTION = "x-wso2-production-endpoints";
  static final String WSO2_SANDBOX = "x-wso2-sandbox-endpoints";
  static final String WSO2_ENDPOINTS = "x-wso2-endpoints";
  static final String WSO2_THROTTLING = "x-wso2-throttling-tier";
  static final String WSO2_DISABLE_SECURITY = "x-wso2-disable-security";
  static final String WSO2_CORS = "x-wso2-cors";
  static final Set<String> KNOWN_WSO2 = Set.of(WSO2_BASE_PATH, WSO2_PRODUCTION, WSO2_SANDBOX, WSO2_ENDPOINTS,
      WSO2_THROTTLING, WSO2_DISABLE_SECURITY, WSO2_CORS);

  /** A value and the field path where the user declared it. */
  record Declared(Object value, List<String> at) {
    String where() {
      return String.join(".", at);
    }
  }

  /** The three levels that can declare an extension for one operation. */
  record Levels(Map<String, Object> document, Map<String, Object> path, Map<String, Object> operation,
                List<String> pathAt, List<String> operationAt) {

    /**
     * The declaration at the most specific level that has any of {@code names}; within one level
     * the first name wins (Gantry's extension before its WSO2 counterpart).
     */
    Declared effective(String... names) {
      for (String name : names) {
        if (operation != null && operation.containsKey(name)) {
          return new Declared(operation.get(name), append(operationAt, name));
        }
      }
      for (String name : names) {
        if (path != null && path.containsKey(name)) {
          return new Declared(path.get(name), append(pathAt, name));
        }
      }
      for (String name : names) {
        if (document != null && document.containsKey(name)) {
          return new Declared(document.get(name), List.of(name));
        }
      }
      return null;
    }

    /** Every declaration of {@code name} that applies, the most specific first. */
    List<Declared> all(String name) {
      List<Declared> out = new ArrayList<>(3);
      if (operation != null && operation.containsKey(name)) {
        out.add(new Declared(operation.get(name), append(operationAt, name)));
      }
      if (path != null && path.containsKey(name)) {
        out.add(new Declared(path.get(name), append(pathAt, name)));
      }
      if (document != null && document.containsKey(name)) {
        out.add(new Declared(document.get(name), List.of(name)));
      }
      return out;
    }
  }

  private Extensions() {}

  /**
   * Warns about {@code x-gantry-*} keys that are not Gantry's (almost always a typo), and about
   * {@code x-wso2-*} keys that Gantry does not read (a WSO2 feature that will not apply).
   */
  static void warnUnknown(LoadedDefinition definition, Map<String, Object> extensions, List<String> at,
                          List<Problem> out) {
    if (extensions == null) {
      return;
    }
    extensions.keySet().stream().sorted().forEach(key -> {
      List<String> where = append(at, key);
      String message = null;
      if (key.startsWith("x-gantry-") && !KNOWN.contains(key)) {
        message = "unknown Gantry extension; known are " + String.join(", ", KNOWN.stream().sorted().toList());
      } else if (key.startsWith("x-wso2-") && !KNOWN_WSO2.contains(key)) {
        message = "WSO2 extension Gantry does not read: it has no effect; read are "
            + String.join(", ", KNOWN_WSO2.stream().sorted().toList());
      }
      if (message != null) {
        out.add(Problem.warning(definition.file().name(), definition.lineOf(where), String.join(".", where), message));
      }
    });
  }

  static List<String> append(List<String> path, String step) {
    List<String> out = new ArrayList<>(path);
    out.add(step);
    return out;
  }
}
