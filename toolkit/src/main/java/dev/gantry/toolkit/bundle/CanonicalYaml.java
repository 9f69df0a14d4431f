package dev.gantry.toolkit.bundle;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * YAML with one spelling per value: keys sorted at every level, block style, two-space indent,
 * LF line ends, no line folding. Same data, same bytes, whatever order it was built in.
 */
public final class CanonicalYaml {
  private CanonicalYaml() {}

  public static byte[] bytes(Object data) {
    return text(data).getBytes(StandardCharsets.UTF_8);
  }

  public static String text(Object data) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setLineBreak(DumperOptions.LineBreak.UNIX);
    options.setSplitLines(false);
    options.setWidth(Integer.MAX_VALUE);
    options.setAllowUnicode(true);
    options.setDereferenceAliases(true); // shared instances must not become &anchors
    return new Yaml(options).dump(sorted(data));
  }

  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> {
        if (v != null) {
          out.put(String.valueOf(k), sorted(v));
        }
      });
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CanonicalYaml::sorted).toList();
    }
    return value;
  }
}
