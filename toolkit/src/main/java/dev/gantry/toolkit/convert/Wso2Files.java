package dev.gantry.toolkit.convert;

import dev.gantry.toolkit.openapi.SourceMap;
import dev.gantry.toolkit.openapi.TreeLimits;
import dev.gantry.toolkit.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * {@code gantry convert wso2}: reads files of WSO2 resources and converts them in file and document
 * order. Secrets among the inputs only tell which keys they have (to pick certificate keys); they
 * are never copied to the output. Other documents are reported as not converted.
 */
public final class Wso2Files {
  private Wso2Files() {}

  private record Doc(Map<?, ?> map, String source, SourceMap lines) {}

  public static Wso2Converter.Result convert(List<Path> paths) {
    List<Problem> problems = new ArrayList<>();
    List<Doc> docs = new ArrayList<>();
    for (Path path : paths) {
      read(path, docs, problems);
    }
    Map<String, Set<String>> secrets = new TreeMap<>();
    for (Doc doc : docs) {
      if ("Secret".equals(doc.map().get("kind")) && doc.map().get("metadata") instanceof Map<?, ?> m) {
        Set<String> keys = new TreeSet<>();
        for (String field : List.of("data", "stringData")) {
          if (doc.map().get(field) instanceof Map<?, ?> data) {
            data.keySet().forEach(k -> keys.add(String.valueOf(k)));
          }
        }
        secrets.put(String.valueOf(m.get("name")), keys);
      }
    }
    List<HasMetadata> resources = new ArrayList<>();
    Wso2Converter converter = new Wso2Converter();
    for (Doc doc : docs) {
      if (Wso2Converter.isWso2(doc.map())) {
        Wso2Converter.Result result = converter.convert(doc.map(), doc.source(), doc.lines()::lineOf, secrets);
        resources.addAll(result.resources());
        problems.addAll(result.problems());
      } else if (!"Secret".equals(doc.map().get("kind"))) {
        problems.add(Problem.warning(doc.source(), doc.lines().lineOf(List.of()), "",
            "not converted: " + doc.map().get("apiVersion") + " " + doc.map().get("kind") + " is not a WSO2 resource"));
      }
    }
    return new Wso2Converter.Result(resources, problems);
  }

  private static void read(Path path, List<Doc> docs, List<Problem> problems) {
    String source = path.toString();
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8);
      List<SourceMap> maps = SourceMap.ofAll(text);
      int index = 0;
      for (Object document : new Yaml(new SafeConstructor(TreeLimits.loaderOptions())).loadAll(text)) {
        index++;
        if (document == null) {
          continue;
        }
        SourceMap lines = index <= maps.size() ? maps.get(index - 1) : SourceMap.of("");
        if (!(document instanceof Map<?, ?> map)) {
          problems.add(Problem.error(source, lines.lineOf(List.of()), "", "a resource must be a mapping"));
        } else if ("List".equals(map.get("kind")) && map.get("items") instanceof List<?> items) {
          items.stream().filter(Map.class::isInstance)
              .forEach(item -> docs.add(new Doc((Map<?, ?>) item, source, lines)));
        } else {
          docs.add(new Doc(map, source, lines));
        }
      }
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      problems.add(Problem.error(source, line, "", "not valid YAML: " + e.getProblem()));
    } catch (IOException e) {
      problems.add(Problem.error(source, 0, "", Files.exists(path) ? "cannot read: " + e.getMessage() : "no such file"));
    } catch (RuntimeException e) {
      problems.add(Problem.error(source, 0, "", "not readable as YAML: " + e.getMessage()));
    }
  }
}
