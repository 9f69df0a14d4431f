package dev.gantry.toolkit.resolve;

import dev.gantry.crds.v1alpha1.RateLimitScope;
import dev.gantry.crds.v1alpha1.RateLimitSpec;
import dev.gantry.crds.v1alpha1.SecuritySpec;
import dev.gantry.crds.v1alpha1.SecurityType;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.openapi.LoadedDefinition;
import dev.gantry.toolkit.openapi.OpenApiLoader;
import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.problem.Problems;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Step 3 of the flow: OpenAPI definitions plus resources in, a {@link ResolvedApi} out, or every
 * problem found. Nothing is resolved "as far as possible": one error means no result.
 */
public final class ApiResolver {
  // Possessive, non-capturing repetitions: java.util.regex then matches iteratively. With plain
  // groups it recurses once per character, and a path of a few thousand characters overflows the stack.
  private static final String PATH_KEY = "/(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]|\\{[A-Za-z0-9_.-]+\\})*+"
      + "(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]|\\{[A-Za-z0-9_.-]+\\})*+)*+";
  private static final String BASE_PATH = "(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]++)*+/?";

  /** The outcome: an API when there were no errors, and all problems (warnings too) either way. */
  public record Resolution(Optional<ResolvedApi> api, List<Problem> problems) {}

  public Resolution resolve(ApiIdentity identity, List<DefinitionFile> files, ResourceSet resources,
                            String identitySource) {
    Problems problems = new Problems();
    problems.addAll(identity.problems(identitySource));
    if (files.isEmpty()) {
      problems.add(Problem.error(identitySource, 0, "definitions", "no OpenAPI definition given"));
    }
    List<LoadedDefinition> definitions = new ArrayList<>();
    OpenApiLoader loader = new OpenApiLoader();
    for (DefinitionFile file : files) {
      loader.load(file, problems).ifPresent(definitions::add);
    }
    List<Problem> found = new ArrayList<>();
    References references = new References(resources, found);
    List<ResolvedOperation> operations = new ArrayList<>();
    List<DefinitionWalk> walks = new ArrayList<>();
    for (LoadedDefinition definition : definitions) {
      DefinitionWalk walk = new DefinitionWalk(identity, definition, references, found);
      operations.addAll(walk.operations());
      walks.add(walk);
    }
    checkDuplicates(operations, found);
    ApiLimits limits = apiLimits(walks, found);
    problems.addAll(found);
    if (problems.hasErrors()) {
      return new Resolution(Optional.empty(), problems.sorted());
    }
    ResolvedApi api = new ResolvedApi(identity, files, operations, references.usedEndpoints(),
        references.usedRateLimits(), references.usedSecurities(), limits);
    return new Resolution(Optional.of(api), problems.sorted());
  }

  /**
   * The API-wide limits: what the definitions declare at their top level, Gantry's defaults for the
   * rest. One gateway serves every definition of the API, so two that declare different values for
   * the same limit are an error rather than a silent choice.
   */
  private static ApiLimits apiLimits(List<DefinitionWalk> walks, List<Problem> out) {
    Map<String, Long> values = new HashMap<>();
    Map<String, String> declaredIn = new HashMap<>();
    for (DefinitionWalk walk : walks) {
      walk.apiWideLimits.forEach((key, value) -> {
        Long earlier = values.putIfAbsent(key, value);
        if (earlier == null) {
          declaredIn.put(key, walk.definition.file().name());
        } else if (!earlier.equals(value)) {
          List<String> at = List.of(Extensions.LIMITS, key);
          out.add(Problem.error(walk.definition.file().name(), walk.definition.lineOf(at), String.join(".", at),
              "is " + value + " here but " + earlier + " in " + declaredIn.get(key) + ": it holds for the whole API, "
                  + "so the definitions must agree (or set it in one of them only)"));
        }
      });
    }
    ApiLimits defaults = ApiLimits.DEFAULT;
    return new ApiLimits(
        values.getOrDefault(LimitsExtension.HEADER_SIZE, (long) defaults.maxHeaderBytes()).intValue(),
        values.getOrDefault(LimitsExtension.HEADERS, (long) defaults.maxHeaders()).intValue(),
        values.getOrDefault(LimitsExtension.URI_LENGTH, (long) defaults.maxUriLength()).intValue(),
        defaults.maxBodyBytes());
  }

  /** Two operations with the same method and path (parameter names aside) cannot both be routed. */
  private static void checkDuplicates(List<ResolvedOperation> operations, List<Problem> out) {
    Map<String, ResolvedOperation> seen = new HashMap<>();
    for (ResolvedOperation op : operations) {
      String key = op.method() + " " + op.path().replaceAll("\\{[^}/]*}", "{}");
      ResolvedOperation first = seen.putIfAbsent(key, op);
      if (first != null) {
        out.add(Problem.error(op.definition(), 0, op.location(), "route " + op.method() + " " + op.path()
            + " is also defined by " + first.location() + " in " + first.definition()
            + " (after joining base paths; path parameter names do not tell routes apart)"));
      }
    }
  }

  /** Walks one definition's operations, resolving each against the resources. */
  private static final class DefinitionWalk {
    private final ApiIdentity identity;
    private final LoadedDefinition definition;
    private final References references;
    private final SecurityResolver security;
    private final Wso2Endpoints wso2Endpoints;
    private final List<Problem> out;
    /** This definition's top-level limits for the whole API, by {@link LimitsExtension} key; read by {@link #operations}. */
    private Map<String, Long> apiWideLimits = Map.of();

    DefinitionWalk(ApiIdentity identity, LoadedDefinition definition, References references, List<Problem> out) {
      this.identity = identity;
      this.definition = definition;
      this.references = references;
      this.security = new SecurityResolver(references, out);
      this.wso2Endpoints = new Wso2Endpoints(identity, definition, references, out);
      this.out = out;
    }

    List<ResolvedOperation> operations() {
      OpenAPI model = definition.model();
      Extensions.warnUnknown(definition, model.getExtensions(), List.of(), out);
      wso2Endpoints.warnSandbox(model.getExtensions(), List.of());
      if (model.getExtensions() != null && model.getExtensions().containsKey(Extensions.LIMITS)) {
        apiWideLimits = LimitsExtension.apiWide(new Extensions.Declared(model.getExtensions().get(Extensions.LIMITS),
            List.of(Extensions.LIMITS)), this::error, this::warning);
      }
      List<ResolvedOperation> operations = new ArrayList<>();
      if (model.getPaths() != null) {
        model.getPaths().forEach((path, item) -> {
          if (item != null) {
            operations.addAll(pathOperations(model, path, item));
          }
        });
      }
      boolean declaresOperations = model.getPaths() != null && model.getPaths().values().stream()
          .anyMatch(item -> item != null && !item.readOperations().isEmpty());
      if (!declaresOperations) {
        error(List.of("paths"), "defines no operations: there is nothing to route");
      }
      return operations;
    }

    private List<ResolvedOperation> pathOperations(OpenAPI model, String path, PathItem item) {
      List<String> pathAt = List.of("paths", path);
      List<ResolvedOperation> operations = new ArrayList<>();
      if (path == null || !path.matches(PATH_KEY)) {
        error(pathAt, "a path must start with '/' and hold only URL path characters and {parameters}");
        return operations;
      }
      Extensions.warnUnknown(definition, item.getExtensions(), pathAt, out);
      wso2Endpoints.warnSandbox(item.getExtensions(), pathAt);
      item.readOperationsMap().forEach((method, operation) -> {
        List<String> at = Extensions.append(pathAt, method.name().toLowerCase(Locale.ROOT));
        Extensions.warnUnknown(definition, operation.getExtensions(), at, out);
        wso2Endpoints.warnSandbox(operation.getExtensions(), at);
        Extensions.Levels levels = new Extensions.Levels(model.getExtensions(), item.getExtensions(),
            operation.getExtensions(), pathAt, at);
        ResolvedOperation resolved = operation(model, path, method.name(), operation, levels, at);
        if (resolved != null) {
          operations.add(resolved);
        }
      });
      return operations;
    }

    private ResolvedOperation operation(OpenAPI model, String path, String method, Operation operation,
                                        Extensions.Levels levels, List<String> at) {
      String basePath = basePath(levels.effective(Extensions.BASE_PATH, Extensions.WSO2_BASE_PATH));
      List<String> endpoints = endpoints(levels.effective(Extensions.ENDPOINT, Extensions.WSO2_PRODUCTION), at,
          method, path);
      Extensions.Declared quota = levels.effective(Extensions.RATE_LIMIT, Extensions.WSO2_THROTTLING);
      String rateLimit = rateLimit(quota);
      boolean own = operation.getSecurity() != null;
      List<List<SchemeRequirement>> requirements = securityDisabled(levels.effective(Extensions.WSO2_DISABLE_SECURITY),
          own && !operation.getSecurity().isEmpty(), at) ? List.of() : security.resolve(definition,
          own ? operation.getSecurity() : model.getSecurity(), own ? Extensions.append(at, "security") : List.of("security"));
      Extensions.Declared corsDeclared = levels.effective(Extensions.CORS, Extensions.WSO2_CORS);
      CorsPolicy cors = corsDeclared == null ? null : CorsExtension.read(corsDeclared, this::error, this::warning);
      Long maxBodyBytes = LimitsExtension.bodySize(levels, this::error, this::warning);
      if (basePath == null) {
        return null;
      }
      String full = basePath.equals("/") ? path : basePath + path;
      ResolvedOperation resolved = new ResolvedOperation(method, full, basePath, definition.file().name(), path,
          operation.getOperationId(), endpoints, rateLimit, requirements, cors, maxBodyBytes);
      checkConsumerKey(resolved, quota);
      return resolved;
    }

    /**
     * {@code x-wso2-disable-security: true} makes an operation public, as it did in WSO2, even over
     * the operation's own {@code security} (then with a warning, as the two contradict each other).
     */
    private boolean securityDisabled(Extensions.Declared declared, boolean ownRequirements, List<String> at) {
      if (declared == null) {
        return false;
      }
      if (!(declared.value() instanceof Boolean disabled)) {
        error(declared.at(), "must be true or false");
        return false;
      }
      if (disabled && ownRequirements) {
        warning(Extensions.append(at, "security"), "ignored: " + declared.where()
            + " is true, so the operation is public (as in WSO2); remove one of the two");
      }
      return disabled;
    }

    private String basePath(Extensions.Declared declared) {
      if (declared == null) {
        return identity.defaultBasePath();
      }
      if (declared.value() instanceof String wso2 && declared.where().endsWith(Extensions.WSO2_BASE_PATH)) {
        // WSO2 put the API's version into the base path with {version}.
        declared = new Extensions.Declared(wso2.replace("{version}", identity.version()), declared.at());
      }
      if (!(declared.value() instanceof String value) || !value.matches(BASE_PATH)) {
        error(declared.at(), "must be a path such as /petstore/v1: starting with '/', URL path characters only, "
            + "no {parameters}");
        return null;
      }
      return value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private List<String> endpoints(Extensions.Declared declared, List<String> at, String method, String path) {
      if (declared == null) {
        error(at, "no Endpoint: set " + Extensions.ENDPOINT + " on the operation, its path or the document");
        return List.of();
      }
      if (declared.where().endsWith(Extensions.WSO2_PRODUCTION)) {
        return wso2Endpoints.names(declared, method, path);
      }
      List<String> names = new ArrayList<>();
      if (declared.value() instanceof String name && !name.isBlank()) {
        names.add(name);
      } else if (declared.value() instanceof List<?> list && !list.isEmpty()
          && list.stream().allMatch(v -> v instanceof String s && !s.isBlank())) {
        list.stream().map(String.class::cast).distinct().forEach(names::add);
      } else {
        error(declared.at(), "must be the name of an Endpoint or a non-empty list of names");
        return List.of();
      }
      names.forEach(name -> references.endpoint(definition, name, declared.at()));
      return names;
    }

    private String rateLimit(Extensions.Declared declared) {
      if (declared == null) {
        return null;
      }
      if (declared.where().endsWith(Extensions.WSO2_THROTTLING) && "Unlimited".equals(declared.value())) {
        return null; // WSO2's built-in tier that does not throttle
      }
      if (!(declared.value() instanceof String name) || name.isBlank()) {
        error(declared.at(), "must be the name of a RateLimit"
            + (declared.where().endsWith(Extensions.WSO2_THROTTLING) ? " (a converted RateLimiting)" : ""));
        return null;
      }
      references.rateLimit(definition, name, declared.at());
      return name;
    }

    /** A per-consumer quota needs something that tells consumers apart. */
    private void checkConsumerKey(ResolvedOperation op, Extensions.Declared declared) {
      RateLimitSpec limit = op.rateLimit() == null ? null : references.usedRateLimits().get(op.rateLimit());
      if (limit == null || limit.getScope() != RateLimitScope.CONSUMER) {
        return;
      }
      List<String> at = Extensions.append(List.of("paths", op.definitionPath()), op.method().toLowerCase(Locale.ROOT));
      if (limit.getKey() == null && op.isPublic()) {
        error(at, "RateLimit \"" + op.rateLimit() + "\" (declared at " + declared.where()
            + ") counts per consumer, but this operation is public: add security or set the RateLimit's spec.key.header");
      } else if (limit.getKey() != null && limit.getKey().getClaim() != null && !allTokenBased(op)) {
        error(at, "RateLimit \"" + op.rateLimit() + "\" keys on claim \"" + limit.getKey().getClaim()
            + "\", but not every security alternative of this operation is jwt or oauth2");
      }
    }

    private boolean allTokenBased(ResolvedOperation op) {
      return !op.isPublic() && op.security().stream().allMatch(alternative -> alternative.stream().anyMatch(s -> {
        SecuritySpec spec = references.usedSecurities().get(s.scheme());
        return spec != null && (spec.getType() == SecurityType.JWT || spec.getType() == SecurityType.OAUTH2);
      }));
    }

    private void error(List<String> at, String message) {
      out.add(Problem.error(definition.file().name(), definition.lineOf(at), String.join(".", at), message));
    }

    private void warning(List<String> at, String message) {
      out.add(Problem.warning(definition.file().name(), definition.lineOf(at), String.join(".", at), message));
    }
  }
}
