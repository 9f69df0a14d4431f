package dev.gantry.runtime.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A value read from a bundle or environment file, with its file and field path, so that every
 * wrong or missing value becomes one clear line in the start-up error instead of an exception.
 */
final class YamlNode {
  private final Object value;
  private final String where;
  private final List<String> problems;

  private YamlNode(Object value, String where, List<String> problems) {
    this.value = value;
    this.where = where;
    this.problems = problems;
  }

  static YamlNode read(Path file, List<String> problems) {
    try {
      LoaderOptions options = new LoaderOptions();
      options.setMaxAliasesForCollections(10);
      Object value = new Yaml(new SafeConstructor(options)).load(Files.readString(file));
      return new YamlNode(value, file.getFileName().toString(), problems);
    } catch (IOException e) {
      problems.add(file + ": cannot read: " + e.getMessage());
    } catch (RuntimeException e) {
      problems.add(file + ": not valid YAML: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
    }
    return new YamlNode(null, file.getFileName().toString(), problems);
  }

  boolean present() {
    return value != null;
  }

  YamlNode get(String key) {
    Object child = value instanceof Map<?, ?> map ? map.get(key) : null;
    return new YamlNode(child, where + (where.contains(":") ? "." : ": ") + key, problems);
  }

  String string() {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    if (value != null) {
      problems.add(where + ": expected a string");
    }
    return null;
  }

  String requiredString() {
    String s = string();
    if (s == null || s.isBlank()) {
      if (value == null) {
        problems.add(where + ": missing");
      }
      return null;
    }
    return s;
  }

  long number(long fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    problems.add(where + ": expected a number");
    return fallback;
  }

  boolean bool(boolean fallback) {
    return value instanceof Boolean b ? b : fallback;
  }

  List<YamlNode> list() {
    List<YamlNode> out = new ArrayList<>();
    if (value instanceof List<?> items) {
      for (int i = 0; i < items.size(); i++) {
        out.add(new YamlNode(items.get(i), where + "[" + i + "]", problems));
      }
    } else if (value != null) {
      problems.add(where + ": expected a list");
    }
    return out;
  }

  List<String> strings() {
    return list().stream().map(YamlNode::string).filter(s -> s != null).toList();
  }

  Map<String, YamlNode> entries() {
    Map<String, YamlNode> out = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.put(String.valueOf(k), get(String.valueOf(k))));
    } else if (value != null) {
      problems.add(where + ": expected a mapping");
    }
    return out;
  }

  void fail(String message) {
    problems.add(where + ": " + message);
  }
}
