package dev.gantry.toolkit.resolve;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.problem.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/**
 * Resolution from files on disk, as the CLI and CI pipelines do it. The API's name and version
 * come from the options, else from an API resource among the resource files, else from the first
 * definition's file name and {@code info.version}.
 */
public final class LocalInputs {
  private LocalInputs() {}

  public static ApiResolver.Resolution resolve(List<Path> definitionPaths, List<Path> resourcePaths,
                                               String name, String version) {
    Problems problems = new Problems();
    ResourceSet resources = new ResourceLoader().load(resourcePaths, problems);
    List<DefinitionFile> files = new ArrayList<>();
    for (Path path : definitionPaths) {
      try {
        if (Files.size(path) > dev.gantry.toolkit.openapi.OpenApiLoader.MAX_CHARS * 4L) {
          problems.add(Problem.error(path.toString(), 0, "", "file is too large to be an OpenAPI definition"));
        } else {
          files.add(DefinitionFile.of(path.toString(), Files.readAllBytes(path)));
        }
      } catch (IOException e) {
        problems.add(Problem.error(path.toString(), 0, "", Files.exists(path) ? "cannot read: " + e.getMessage()
            : "no such file"));
      }
    }
    Optional<Api> api = resources.apis().size() == 1 ? Optional.of(resources.apis().get(0).resource()) : Optional.empty();
    String apiName = name != null ? name
        : api.map(a -> a.getMetadata().getName()).orElseGet(() -> stem(definitionPaths));
    String apiVersion = version != null ? version
        : api.map(a -> a.getSpec() == null ? null : a.getSpec().getVersion()).orElseGet(() -> infoVersion(files));
    String source = name != null || version != null ? "options" : api.map(a -> "API/" + a.getMetadata().getName())
        .orElse(definitionPaths.isEmpty() ? "options" : definitionPaths.get(0).toString());
    if (definitionPaths.isEmpty() || !files.isEmpty() || !problems.hasErrors()) {
      ApiResolver.Resolution resolution = new ApiResolver()
          .resolve(new ApiIdentity(apiName, apiVersion), files, resources, source);
      problems.addAll(resolution.problems());
      return new ApiResolver.Resolution(problems.hasErrors() ? Optional.empty() : resolution.api(), problems.sorted());
    }
    return new ApiResolver.Resolution(Optional.empty(), problems.sorted());
  }

  private static String stem(List<Path> paths) {
    if (paths.isEmpty()) {
      return null;
    }
    String file = paths.get(0).getFileName().toString();
    int dot = file.indexOf('.');
    return (dot > 0 ? file.substring(0, dot) : file).toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code info.version} of the first definition, read leniently; null when there is none. */
  public static String infoVersion(List<DefinitionFile> files) {
    if (files.isEmpty()) {
      return null;
    }
    try {
      Object root = new Yaml(dev.gantry.toolkit.openapi.TreeLimits.loaderOptions()).load(files.get(0).text());
      // A scalar only: String.valueOf of a collection can be huge (alias bomb) or endless (a cycle).
      if (root instanceof Map<?, ?> map && map.get("info") instanceof Map<?, ?> info
          && info.get("version") != null && !(info.get("version") instanceof Map<?, ?>)
          && !(info.get("version") instanceof java.util.Collection<?>)) {
        return String.valueOf(info.get("version"));
      }
    } catch (RuntimeException unreadable) {
      // The resolver reports the unreadable file itself.
    }
    return null;
  }
}
