package dev.gantry.toolkit.resolve;

import dev.gantry.toolkit.problem.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * The name and version of an API. The name becomes an image repository and Kubernetes object
 * names, the version an image tag, so both are held to what registries and the API server accept.
 */
public record ApiIdentity(String name, String version) {
  private static final String NAME = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  private static final String VERSION = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";

  /** Problems with the name and version, located at {@code source} (for example "--name" or an API resource). */
  public List<Problem> problems(String source) {
    List<Problem> problems = new ArrayList<>();
    if (name == null || !name.matches(NAME)) {
      problems.add(Problem.error(source, 0, "name", "\"" + name
          + "\" is not a valid API name: lower-case letters, digits and '-', at most 63, starting and ending alphanumeric"));
    }
    if (version == null || !version.matches(VERSION)) {
      problems.add(Problem.error(source, 0, "version", "\"" + version
          + "\" is not a valid version: letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'"));
    }
    return problems;
  }

  /** The base path used when a definition names none. */
  public String defaultBasePath() {
    return "/" + name + "/" + version;
  }
}
