package dev.gantry.toolkit.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.problem.Problems;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses OpenAPI 3.0/3.1 and Swagger 2.0 (converted to 3.0) from YAML or JSON with swagger-parser.
 * The text is first read by a strict YAML/JSON reader, so that syntax errors get a line number
 * and hostile documents (alias bombs, absurd nesting) are refused before the parser sees them.
 */
public final class OpenApiLoader {
  /** Largest definition accepted; OpenAPI files of real APIs are far below this. */
  public static final int MAX_CHARS = TreeLimits.MAX_CHARS;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // as YAML refuses them
  private static final int MAX_PARSER_MESSAGES = 20;
  private static final long MAX_PATH_TEMPLATE_COST = 10_000_000;

  /** The parsed definition, or empty with the reasons added to {@code problems}. */
  public Optional<LoadedDefinition> load(DefinitionFile file, Problems problems) {
    String name = file.name();
    if (file.text().length() > MAX_CHARS) {
      problems.add(Problem.error(name, 0, "", "file is larger than " + MAX_CHARS + " characters"));
      return Optional.empty();
    }
    Object top;
    try {
      top = readTree(file.text());
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      problems.add(Problem.error(name, line, "", "not valid YAML: " + oneLine(e.getProblem())));
      return Optional.empty();
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      problems.add(Problem.error(name, line, "", "not valid JSON: " + oneLine(e.getOriginalMessage())));
      return Optional.empty();
    } catch (RuntimeException e) {
      problems.add(Problem.error(name, 0, "", "not readable as YAML or JSON: " + oneLine(e.getMessage())));
      return Optional.empty();
    }
    Optional<String> tooBig = TreeLimits.check(top, TreeLimits.maxNodes(file.text().length()), TreeLimits.MAX_DEPTH);
    if (tooBig.isPresent()) {
      problems.add(Problem.error(name, 0, "", "refused: the document " + tooBig.get()));
      return Optional.empty();
    }
    if (!(top instanceof Map<?, ?> root)) {
      problems.add(Problem.error(name, 1, "",
          "not an OpenAPI document: the top level must be a mapping with `openapi: 3.x` or `swagger: \"2.0\"`"));
      return Optional.empty();
    }
    String specVersion = specVersion(root);
    if (specVersion == null) {
      problems.add(Problem.error(name, 1, "",
          "not an OpenAPI document: found neither `openapi: 3.x` nor `swagger: \"2.0\"` at the top level"));
      return Optional.empty();
    }
    if (pathTemplateCost(root) > MAX_PATH_TEMPLATE_COST) {
      problems.add(Problem.error(name, 0, "paths", "refused: too many {parameters} in too long paths (path length "
          + "× parameters × operations, summed over all paths, is above " + MAX_PATH_TEMPLATE_COST + ")"));
      return Optional.empty();
    }
    return parse(file, specVersion, problems);
  }

  private Optional<LoadedDefinition> parse(DefinitionFile file, String specVersion, Problems problems) {
    SourceMap lines = SourceMap.of(file.text());
    SwaggerParseResult result;
    try {
      ParseOptions options = new ParseOptions();
      options.setResolve(false); // never fetch remote $refs: definitions come from users
      result = new OpenAPIParser().readContents(file.text(), null, options);
    } catch (RuntimeException | StackOverflowError e) {
      problems.add(Problem.error(file.name(), 0, "", "swagger-parser could not read it: " + oneLine(String.valueOf(e))));
      return Optional.empty();
    }
    List<String> messages = result == null || result.getMessages() == null ? List.of() : result.getMessages();
    if (result == null || result.getOpenAPI() == null) {
      String why = messages.isEmpty() ? "no usable content" : String.join("; ", messages.stream().limit(5).toList());
      problems.add(Problem.error(file.name(), 0, "", "not a valid OpenAPI " + specVersion + " document: " + why));
      return Optional.empty();
    }
    messages.stream().limit(MAX_PARSER_MESSAGES)
        .forEach(m -> problems.add(Problem.warning(file.name(), 0, "", oneLine(m))));
    return Optional.of(new LoadedDefinition(file, result.getOpenAPI(), specVersion, lines));
  }

  /**
   * What swagger-parser spends on path templates: it warns once per path parameter and operation
   * that the operation does not declare, each warning holding the whole path, so a long path of
   * many {parameters} costs length × parameters × operations characters (100 KB of "/{p}" is gigabytes).
   */
  private static long pathTemplateCost(Map<?, ?> root) {
    if (!(root.get("paths") instanceof Map<?, ?> paths)) {
      return 0;
    }
    long cost = 0;
    for (Map.Entry<?, ?> entry : paths.entrySet()) {
      String path = String.valueOf(entry.getKey());
      long templates = path.chars().filter(c -> c == '{').count();
      // A path item has at most 8 operations (get, put, post, delete, options, head, patch, trace).
      int operations = entry.getValue() instanceof Map<?, ?> item ? Math.max(1, Math.min(8, item.size())) : 1;
      cost += templates * path.length() * operations;
    }
    return cost;
  }

  private static Object readTree(String text) throws JsonProcessingException {
    String start = text.stripLeading();
    if (start.startsWith("{") || start.startsWith("[")) {
      return JSON.readValue(text, Object.class);
    }
    return new Yaml(TreeLimits.loaderOptions()).load(text);
  }

  private static String specVersion(Map<?, ?> root) {
    Object swagger = root.get("swagger");
    if (swagger != null && String.valueOf(swagger).startsWith("2")) {
      return String.valueOf(swagger);
    }
    Object openapi = root.get("openapi");
    if (openapi != null && String.valueOf(openapi).startsWith("3")) {
      return String.valueOf(openapi);
    }
    return null;
  }

  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    String flat = message.replaceAll("\\s+", " ").trim();
    return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
  }
}
