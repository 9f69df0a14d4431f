package dev.gantry.toolkit.convert;

import dev.gantry.toolkit.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One WSO2 resource document being converted: typed reads of its fields, and problems located at
 * the file, line and field path they are about ({@code spec.securityConfig[1].audience}).
 */
final class Wso2Document {
  private final Map<?, ?> root;
  private final String source;
  private final Function<List<String>, Integer> lines;
  private final String label;
  private final List<Problem> problems;

  Wso2Document(Map<?, ?> root, String source, Function<List<String>, Integer> lines, List<Problem> problems) {
    this.root = root;
    this.source = source;
    this.lines = lines;
    this.problems = problems;
    this.label = "wso2 " + root.get("kind") + "/" + name();
  }

  String kind() {
    return String.valueOf(root.get("kind"));
  }

  String name() {
    return root.get("metadata") instanceof Map<?, ?> m && m.get("name") instanceof String n ? n : null;
  }

  String namespace() {
    return root.get("metadata") instanceof Map<?, ?> m && m.get("namespace") instanceof String n ? n : null;
  }

  Object get(String... path) {
    Object node = root;
    for (String step : path) {
      if (node instanceof Map<?, ?> map) {
        node = map.get(step);
      } else if (node instanceof List<?> list && step.matches("[0-9]{1,6}") && Integer.parseInt(step) < list.size()) {
        node = list.get(Integer.parseInt(step));
      } else {
        return null;
      }
    }
    return node;
  }

  /** A string (numbers are accepted as their text: WSO2 files often write versions bare); null if absent or wrong. */
  String string(String... path) {
    Object value = get(path);
    if (value == null) {
      return null;
    }
    if (value instanceof String || value instanceof Number) {
      return String.valueOf(value);
    }
    error(path, "must be a string");
    return null;
  }

  Integer integer(String... path) {
    Object value = get(path);
    if (value == null) {
      return null;
    }
    if (value instanceof Integer i) {
      return i;
    }
    error(path, "must be an integer");
    return null;
  }

  Boolean bool(String... path) {
    Object value = get(path);
    if (value == null) {
      return null;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    error(path, "must be true or false");
    return null;
  }

  /** Items of a list (empty when absent; reported when not a list). */
  List<?> list(String... path) {
    Object value = get(path);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list;
    }
    error(path, "must be a list");
    return List.of();
  }

  /** Keys of a mapping, sorted; empty when absent or not a mapping. */
  Set<String> keys(String... path) {
    Set<String> keys = new TreeSet<>();
    if (get(path) instanceof Map<?, ?> map) {
      map.keySet().forEach(k -> keys.add(String.valueOf(k)));
    }
    return keys;
  }

  /** Warns about every key of the mapping at {@code path} that is not in {@code known}. */
  void warnUnknown(Set<String> known, String... path) {
    for (String key : keys(path)) {
      if (!known.contains(key)) {
        warning(append(path, key), "not mapped: Gantry has no equivalent of this WSO2 field, it is ignored");
      }
    }
  }

  void error(String[] path, String message) {
    problems.add(Problem.error(source, line(path), label + ": " + String.join(".", path), message));
  }

  void warning(String[] path, String message) {
    problems.add(Problem.warning(source, line(path), label + ": " + String.join(".", path), message));
  }

  static String[] append(String[] path, String... more) {
    List<String> all = new ArrayList<>(List.of(path));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private int line(String[] path) {
    Integer line = lines.apply(List.of(path));
    return line == null ? 0 : line;
  }
}
