package dev.gantry.toolkit.resolve;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.Security;
import dev.gantry.toolkit.openapi.TreeLimits;
import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.problem.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import dev.gantry.toolkit.convert.Wso2Converter;
import dev.gantry.toolkit.openapi.SourceMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads Gantry resources and Secrets from files and folders of multi-document YAML (or JSON),
 * as {@code kubectl apply -f} would take them. Every unreadable document is reported; the
 * readable ones are still loaded so that all problems show in one run.
 */
public final class ResourceLoader {
  public static final String GROUP = "gantry.dev";
  public static final String API_VERSION = GROUP + "/v1alpha1";
  private static final int MAX_FILE_BYTES = 8 * 1024 * 1024;

  /** WSO2 documents wait until every file is read, so that Secrets named by them are known. */
  private final List<Wso2Pending> pending = new ArrayList<>();

  private record Wso2Pending(Map<?, ?> document, String source, Function<List<String>, Integer> lines) {}

  public ResourceSet load(List<Path> paths, Problems problems) {
    ResourceSet resources = new ResourceSet();
    for (Path path : paths) {
      for (Path file : files(path, problems)) {
        loadFile(file, resources, problems);
      }
    }
    convertWso2(resources, problems);
    return resources;
  }

  /** Loads YAML text from any origin (a file, a ConfigMap key) into {@code resources}. */
  public void loadText(String source, String text, ResourceSet resources, Problems problems) {
    read(source, text, resources, problems);
    convertWso2(resources, problems);
  }

  /**
   * WSO2 API Operator 1.x resources are converted on load (see {@link Wso2Converter}), with the
   * same warnings {@code gantry convert wso2} prints; the Gantry resources they become are added.
   */
  private void convertWso2(ResourceSet resources, Problems problems) {
    Wso2Converter converter = new Wso2Converter();
    for (Wso2Pending wso2 : pending) {
      Wso2Converter.Result result = converter.convert(wso2.document(), wso2.source(), wso2.lines(),
          resources.secretKeyNames());
      problems.addAll(result.problems());
      for (HasMetadata resource : result.resources()) {
        String label = resource.getKind() + "/" + resource.getMetadata().getName();
        resources.add(resource, resource.getMetadata().getName(), wso2.source() + " (converted from wso2 "
            + wso2.document().get("kind") + ")").ifPresent(first ->
            problems.add(Problem.error(wso2.source(), wso2.lines().apply(List.of()), label, "defined twice; first in " + first)));
      }
    }
    pending.clear();
  }

  private void read(String source, String text, ResourceSet resources, Problems problems) {
    List<SourceMap> maps = null;
    int index = 0;
    try {
      for (Object document : new Yaml(new SafeConstructor(TreeLimits.loaderOptions())).loadAll(text)) {
        index++;
        String where = source + (index > 1 ? " (document " + index + ")" : "");
        Optional<String> tooBig = TreeLimits.check(document, TreeLimits.maxNodes(text.length()), TreeLimits.MAX_DEPTH);
        if (tooBig.isPresent()) {
          problems.add(Problem.error(where, 0, "", "refused: the document " + tooBig.get()));
          continue;
        }
        if (document instanceof Map<?, ?> map && (Wso2Converter.isWso2(map) || map.get("items") instanceof List<?>)) {
          maps = maps == null ? SourceMap.ofAll(text) : maps;
        }
        SourceMap lines = maps != null && index <= maps.size() ? maps.get(index - 1) : null;
        addDocument(document, where, source, path -> lines == null ? 0 : lines.lineOf(path), resources, problems);
      }
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      problems.add(Problem.error(source, line, "", "not valid YAML: " + flat(e.getProblem())));
    } catch (RuntimeException e) {
      problems.add(Problem.error(source, 0, "", "not readable as YAML: " + flat(e.getMessage())));
    }
  }

  private void loadFile(Path file, ResourceSet resources, Problems problems) {
    String source = file.toString();
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        problems.add(Problem.error(source, 0, "", "file is larger than " + MAX_FILE_BYTES + " bytes"));
        return;
      }
      read(source, Files.readString(file, StandardCharsets.UTF_8), resources, problems);
    } catch (IOException | UncheckedIOException e) {
      problems.add(Problem.error(source, 0, "", "cannot read: " + flat(e.getMessage())));
    }
  }

  private static List<Path> files(Path path, Problems problems) {
    if (!Files.exists(path)) {
      problems.add(Problem.error(path.toString(), 0, "", "no such file or folder"));
      return List.of();
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches("(?i).*\\.(ya?ml|json)"))
          .sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      problems.add(Problem.error(path.toString(), 0, "", "cannot list folder: " + flat(e.getMessage())));
      return List.of();
    }
  }

  private void addDocument(Object document, String where, String file, Function<List<String>, Integer> lines,
                           ResourceSet resources, Problems problems) {
    if (document == null) {
      return;
    }
    if (!(document instanceof Map<?, ?> map)) {
      problems.add(Problem.error(where, 0, "", "a resource must be a mapping with apiVersion, kind and metadata"));
      return;
    }
    String apiVersion = String.valueOf(map.get("apiVersion"));
    String kind = String.valueOf(map.get("kind"));
    if ("v1".equals(apiVersion) && "List".equals(kind) && map.get("items") instanceof List<?> items) {
      for (int i = 0; i < items.size(); i++) {
        String index = String.valueOf(i);
        Function<List<String>, Integer> itemLines = path -> {
          List<String> full = new ArrayList<>(List.of("items", index));
          full.addAll(path);
          return lines.apply(full);
        };
        addDocument(items.get(i), where, file, itemLines, resources, problems);
      }
      return;
    }
    if (Wso2Converter.isWso2(map)) {
      pending.add(new Wso2Pending(map, file, lines));
      return;
    }
    if ("v1".equals(apiVersion) && "Secret".equals(kind)) {
      addSecret(map, where, resources, problems);
      return;
    }
    Class<?> type = gantryType(kind);
    if (apiVersion.startsWith(GROUP + "/") && type != null && !API_VERSION.equals(apiVersion)) {
      problems.add(Problem.error(where, 0, kind, "apiVersion " + apiVersion + " is not supported; use " + API_VERSION));
      return;
    }
    if (type == null || !API_VERSION.equals(apiVersion)) {
      problems.add(Problem.warning(where, 0, "", "ignored " + apiVersion + " " + kind + ": not a kind Gantry reads"));
      return;
    }
    String name = metadataName(map);
    if (name == null) {
      problems.add(Problem.error(where, 0, kind, "metadata.name is missing"));
      return;
    }
    String label = kind + "/" + name;
    try {
      Object resource = ResourceReader.read(map, type);
      resources.add(resource, name, where).ifPresent(first ->
          problems.add(Problem.error(where, 0, label, "defined twice; first in " + first)));
    } catch (ResourceReader.ReadException e) {
      problems.add(Problem.error(where, 0, label + (e.path().isEmpty() ? "" : ": " + e.path()), e.getMessage()));
    }
  }

  private static void addSecret(Map<?, ?> map, String where, ResourceSet resources, Problems problems) {
    String name = metadataName(map);
    if (name == null) {
      problems.add(Problem.error(where, 0, "Secret", "metadata.name is missing"));
      return;
    }
    Set<String> keys = new TreeSet<>();
    for (String field : List.of("data", "stringData")) {
      if (map.get(field) instanceof Map<?, ?> data) {
        data.keySet().forEach(k -> keys.add(String.valueOf(k)));
      }
    }
    resources.addSecret(name, keys, where).ifPresent(first ->
        problems.add(Problem.error(where, 0, "Secret/" + name, "defined twice; first in " + first)));
  }

  private static String metadataName(Map<?, ?> map) {
    if (map.get("metadata") instanceof Map<?, ?> metadata && metadata.get("name") instanceof String name
        && !name.isBlank()) {
      return name;
    }
    return null;
  }

  private static Class<?> gantryType(String kind) {
    return switch (kind) {
      case "API" -> Api.class;
      case "Endpoint" -> Endpoint.class;
      case "RateLimit" -> RateLimit.class;
      case "Security" -> Security.class;
      default -> null;
    };
  }

  private static String flat(String message) {
    return message == null ? "" : message.replaceAll("\\s+", " ").trim();
  }
}
