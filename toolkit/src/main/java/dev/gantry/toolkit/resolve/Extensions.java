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
  static final Set<String> KNOWN = Set.of(BASE_PATH, ENDPOINT, RATE_LIMIT);

  /** A value and the field path where the user declared it. */
  record Declared(Object value, List<String> at) {
    String where() {
      return String.join(".", at);
    }
  }

  /** The three levels that can declare an extension for one operation. */
  record Levels(Map<String, Object> document, Map<String, Object> path, Map<String, Object> operation,
                List<String> pathAt, List<String> operationAt) {

    Declared effective(String name) {
      if (operation != null && operation.containsKey(name)) {
        return new Declared(operation.get(name), append(operationAt, name));
      }
      if (path != null && path.containsKey(name)) {
        return new Declared(path.get(name), append(pathAt, name));
      }
      if (document != null && document.containsKey(name)) {
        return new Declared(document.get(name), List.of(name));
      }
      return null;
    }
  }

  private Extensions() {}

  /** Warns about {@code x-gantry-*} keys that are not Gantry's: almost always a typo. */
  static void warnUnknown(LoadedDefinition definition, Map<String, Object> extensions, List<String> at,
                          List<Problem> out) {
    if (extensions == null) {
      return;
    }
    extensions.keySet().stream().sorted()
        .filter(key -> key.startsWith("x-gantry-") && !KNOWN.contains(key))
        .forEach(key -> {
          List<String> where = append(at, key);
          out.add(Problem.warning(definition.file().name(), definition.lineOf(where), String.join(".", where),
              "unknown Gantry extension; known are " + String.join(", ", KNOWN.stream().sorted().toList())));
        });
  }

  static List<String> append(List<String> path, String step) {
    List<String> out = new ArrayList<>(path);
    out.add(step);
    return out;
  }
}
