package dev.gantry.toolkit.bundle;

import dev.gantry.crds.v1alpha1.ApiKeySettings;
import dev.gantry.crds.v1alpha1.RateLimitSpec;
import dev.gantry.crds.v1alpha1.SecuritySpec;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.resolve.CorsPolicy;
import dev.gantry.toolkit.resolve.DurationParser;
import dev.gantry.toolkit.resolve.ResolvedApi;
import dev.gantry.toolkit.resolve.ResolvedOperation;
import dev.gantry.toolkit.resolve.SchemeRequirement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Step 4 of the flow: a resolved API becomes a {@link Bundle}. The bundle holds what the API
 * <em>is</em> (routes, quotas, which kind of security guards what) and never where it runs:
 * Endpoint URLs and Security connection details differ per cluster and go to the
 * {@link EnvironmentCompiler environment} instead, so one image is promoted unchanged.
 */
public final class BundleCompiler {
  /** Where a gateway expects Secrets (one folder per Secret, one file per key) and the environment. */
  public static final String SECRETS_DIR = "/etc/gantry/secrets";
  public static final String ENVIRONMENT_FILE = "/etc/gantry/environment.yaml";
  public static final String PRINCIPAL_HEADER = "X-Gantry-Principal";

  public Bundle compile(ResolvedApi api) {
    SortedMap<String, byte[]> files = new TreeMap<>();
    Map<String, DefinitionFile> definitions = definitionNames(api.definitions());
    definitions.forEach((name, file) ->
        files.put(Bundle.DEFINITIONS_DIR + name, file.text().getBytes(StandardCharsets.UTF_8)));
    Map<String, String> bundleNameOf = new TreeMap<>();
    definitions.forEach((name, file) -> bundleNameOf.put(file.name(), name));
    files.put(Bundle.ROUTES, CanonicalYaml.bytes(Map.of("routes", routes(api, bundleNameOf))));
    files.put(Bundle.POLICIES, CanonicalYaml.bytes(policies(api)));
    files.put(Bundle.GATEWAY, CanonicalYaml.bytes(gateway(api)));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", Bundle.FORMAT);
    manifest.put("api", api.identity().name());
    manifest.put("version", api.identity().version());
    manifest.put("files", new ArrayList<>(files.keySet()));
    files.put(Bundle.MANIFEST, CanonicalYaml.bytes(manifest));
    return new Bundle(files);
  }

  /** Names inside the bundle: the file's base name, numbered when two definitions share one. */
  static Map<String, DefinitionFile> definitionNames(List<DefinitionFile> files) {
    List<DefinitionFile> sorted = files.stream()
        .sorted(Comparator.comparing(DefinitionFile::baseName).thenComparing(DefinitionFile::text)
            .thenComparing(DefinitionFile::name))
        .toList();
    Map<String, DefinitionFile> named = new TreeMap<>();
    for (DefinitionFile file : sorted) {
      String name = safeName(file.baseName());
      for (int n = 2; named.containsKey(name); n++) {
        name = safeName(file.baseName()) + "-" + n;
      }
      named.put(name, file);
    }
    return named;
  }

  private static String safeName(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.startsWith(".") ? "_" + safe : safe;
  }

  private static List<Map<String, Object>> routes(ResolvedApi api, Map<String, String> bundleNameOf) {
    List<Map<String, Object>> routes = new ArrayList<>();
    for (ResolvedOperation op : api.operations()) {
      Map<String, Object> route = new LinkedHashMap<>();
      route.put("method", op.method());
      route.put("path", op.path());
      route.put("basePath", op.basePath());
      route.put("definition", bundleNameOf.get(op.definition()));
      route.put("definitionPath", op.definitionPath());
      route.put("operationId", op.operationId());
      route.put("upstreams", op.endpoints());
      route.put("rateLimit", op.rateLimit());
      route.put("public", op.isPublic());
      List<List<Map<String, Object>>> security = new ArrayList<>();
      for (List<SchemeRequirement> alternative : op.security()) {
        List<Map<String, Object>> all = new ArrayList<>();
        alternative.stream().sorted(Comparator.comparing(SchemeRequirement::scheme)).forEach(s -> {
          Map<String, Object> scheme = new LinkedHashMap<>();
          scheme.put("scheme", s.scheme());
          scheme.put("scopes", s.scopes());
          all.add(scheme);
        });
        security.add(all);
      }
      if (!security.isEmpty()) {
        route.put("security", security);
      }
      if (op.cors() != null) {
        route.put("cors", cors(op.cors()));
      }
      if (op.maxBodyBytes() != null) { // only where declared, as with CORS: other bundles keep their bytes
        route.put("maxBodyBytes", op.maxBodyBytes());
      }
      routes.add(route);
    }
    return routes;
  }

  /** Present only on routes that declare CORS, so bundles of APIs without it keep their bytes. */
  private static Map<String, Object> cors(CorsPolicy cors) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("allowOrigins", cors.allowOrigins());
    out.put("allowMethods", cors.allowMethods());
    out.put("allowHeaders", cors.allowHeaders());
    out.put("exposeHeaders", cors.exposeHeaders());
    out.put("allowCredentials", cors.allowCredentials());
    out.put("maxAge", cors.maxAge());
    return out;
  }

  private static Map<String, Object> policies(ResolvedApi api) {
    Map<String, Object> rateLimits = new TreeMap<>();
    api.rateLimits().forEach((name, spec) -> rateLimits.put(name, rateLimit(spec)));
    Map<String, Object> schemes = new TreeMap<>();
    api.securities().forEach((name, spec) -> schemes.put(name, scheme(spec)));
    Map<String, Object> policies = new LinkedHashMap<>();
    policies.put("rateLimits", rateLimits);
    policies.put("securitySchemes", schemes);
    return policies;
  }

  private static Map<String, Object> rateLimit(RateLimitSpec spec) {
    Map<String, Object> limit = new LinkedHashMap<>();
    limit.put("requests", spec.getRequests());
    limit.put("per", spec.getPer());
    limit.put("periodMillis", DurationParser.parse(spec.getPer()).orElseThrow().toMillis());
    limit.put("burst", spec.getBurst() == null ? 0 : spec.getBurst());
    limit.put("scope", lower(spec.getScope() == null ? "api" : spec.getScope().name()));
    if (spec.getKey() != null) {
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("header", spec.getKey().getHeader());
      key.put("claim", spec.getKey().getClaim());
      limit.put("key", key);
    }
    return limit;
  }

  /** What a client of the API must know about a scheme; the rest is per cluster. */
  private static Map<String, Object> scheme(SecuritySpec spec) {
    Map<String, Object> scheme = new LinkedHashMap<>();
    scheme.put("type", lower(spec.getType().name()));
    ApiKeySettings apiKey = spec.getApikey();
    if (apiKey != null) {
      scheme.put("in", apiKey.getIn() == null ? "header" : lower(apiKey.getIn().name()));
      scheme.put("name", apiKey.getName());
    }
    return scheme;
  }

  private static Map<String, Object> gateway(ResolvedApi api) {
    Map<String, Object> gateway = new LinkedHashMap<>();
    gateway.put("api", api.identity().name());
    gateway.put("version", api.identity().version());
    gateway.put("basePaths", new ArrayList<>(new TreeSet<>(api.operations().stream()
        .map(ResolvedOperation::basePath).toList())));
    gateway.put("upstreams", new ArrayList<>(api.endpoints().keySet()));
    gateway.put("principalHeader", PRINCIPAL_HEADER);
    gateway.put("secretsDir", SECRETS_DIR);
    gateway.put("environmentFile", ENVIRONMENT_FILE);
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("maxHeaderBytes", api.limits().maxHeaderBytes());
    limits.put("maxHeaders", api.limits().maxHeaders());
    limits.put("maxUriLength", api.limits().maxUriLength());
    limits.put("maxBodyBytes", api.limits().maxBodyBytes());
    gateway.put("limits", limits);
    return gateway;
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
