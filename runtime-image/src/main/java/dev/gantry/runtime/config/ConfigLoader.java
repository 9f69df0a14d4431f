package dev.gantry.runtime.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a bundle folder and the environment beside it into a {@link GatewayConfig}, checking
 * everything a request would otherwise trip over later: every problem is collected and reported
 * together, and a gateway with any of them does not start.
 *
 * <p>Endpoint URLs may be overridden per upstream by an environment variable
 * {@code GANTRY_UPSTREAM_<NAME>_URLS} (comma-separated), so one image runs against QA or prod.
 */
public final class ConfigLoader {
  public static final String FORMAT = "gantry.dev/bundle/v1";
  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,8})(ms|s|m|h|d)");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Loads {@code bundleDir}; {@code environmentFile} may be null when every upstream comes from the environment. */
  public GatewayConfig load(Path bundleDir, Path environmentFile, Path secretsDir) throws ConfigException {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(bundleDir)) {
      throw new ConfigException(List.of(bundleDir + ": not a bundle folder"));
    }
    YamlNode manifest = YamlNode.read(bundleDir.resolve("bundle.yaml"), problems);
    if (manifest.present() && !FORMAT.equals(manifest.get("format").string())) {
      manifest.get("format").fail("is not " + FORMAT + ": this gateway cannot read that bundle");
    }
    YamlNode gateway = YamlNode.read(bundleDir.resolve("gateway.yaml"), problems);
    YamlNode routes = YamlNode.read(bundleDir.resolve("routes.yaml"), problems);
    YamlNode policies = YamlNode.read(bundleDir.resolve("policies.yaml"), problems);
    YamlNode environment = environmentFile == null ? null : YamlNode.read(environmentFile, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    Map<String, RateLimitConfig> rateLimits = rateLimits(policies.get("rateLimits"));
    Map<String, SecurityConfig> security = new SecurityConfigReader(secretsDir, problems)
        .read(policies.get("securitySchemes"), environment == null ? null : environment.get("security"));
    Map<String, UpstreamConfig> upstreams = upstreams(gateway.get("upstreams").strings(),
        environment == null ? null : environment.get("upstreams"), secretsDir, problems);
    Limits limitValues = limits(gateway.get("limits"));
    List<RouteConfig> routeList = routes(routes.get("routes"), rateLimits, security, upstreams, limitValues, problems);
    String digest = digest(bundleDir, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    String principalHeader = gateway.get("principalHeader").string();
    return new GatewayConfig(gateway.get("api").string(), gateway.get("version").string(), digest, routeList,
        rateLimits, security, upstreams, limitValues, principalHeader == null ? "X-Gantry-Principal" : principalHeader);
  }

  /** The gateway's limits; Gantry's defaults for any the bundle leaves out (bundles of earlier toolkits). */
  private static Limits limits(YamlNode node) {
    return new Limits(
        (int) bounded(node.get("maxHeaderBytes"), Limits.DEFAULT.maxHeaderBytes(), 1, Limits.CEILING.maxHeaderBytes()),
        (int) bounded(node.get("maxHeaders"), Limits.DEFAULT.maxHeaders(), 1, Limits.CEILING.maxHeaders()),
        (int) bounded(node.get("maxUriLength"), Limits.DEFAULT.maxUriLength(), 1, Limits.CEILING.maxUriLength()),
        bounded(node.get("maxBodyBytes"), Limits.DEFAULT.maxBodyBytes(), 0, Long.MAX_VALUE));
  }

  private static long bounded(YamlNode node, long fallback, long min, long max) {
    long value = node.number(fallback);
    if (value < min || value > max) {
      node.fail("is " + value + "; must be from " + min + " to " + max);
      return fallback;
    }
    return value;
  }

  private static String digest(Path bundleDir, List<String> problems) {
    try {
      return BundleDigest.of(bundleDir);
    } catch (IOException e) {
      problems.add(bundleDir + ": cannot read: " + e.getMessage());
      return null;
    }
  }

  private static Map<String, RateLimitConfig> rateLimits(YamlNode node) {
    Map<String, RateLimitConfig> out = new TreeMap<>();
    node.entries().forEach((name, limit) -> {
      long requests = limit.get("requests").number(0);
      long millis = limit.get("periodMillis").number(0);
      if (requests < 1 || millis < 1) {
        limit.fail("requests and periodMillis must be positive");
        return;
      }
      String scope = String.valueOf(limit.get("scope").string()).toUpperCase(Locale.ROOT);
      RateLimitConfig.Scope parsed = switch (scope) {
        case "OPERATION" -> RateLimitConfig.Scope.OPERATION;
        case "CONSUMER" -> RateLimitConfig.Scope.CONSUMER;
        default -> RateLimitConfig.Scope.API;
      };
      out.put(name, new RateLimitConfig(name, requests, Duration.ofMillis(millis), limit.get("burst").number(0), parsed,
          limit.get("key").get("header").string(), limit.get("key").get("claim").string()));
    });
    return out;
  }

  private Map<String, UpstreamConfig> upstreams(List<String> names, YamlNode environment, Path secretsDir,
                                                List<String> problems) {
    Map<String, UpstreamConfig> out = new LinkedHashMap<>();
    for (String name : names) {
      YamlNode settings = environment == null ? null : environment.get(name);
      String override = env.get("GANTRY_UPSTREAM_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_URLS");
      List<String> urls = override != null ? List.of(override.split("\\s*,\\s*"))
          : settings == null ? List.of() : settings.get("urls").strings();
      if (urls.isEmpty()) {
        problems.add("upstream " + name + ": no URL: the environment file has none and GANTRY_UPSTREAM_"
            + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_URLS is not set");
        continue;
      }
      List<URI> parsed = new ArrayList<>();
      for (String url : urls) {
        parseUrl(url).ifPresentOrElse(parsed::add,
            () -> problems.add("upstream " + name + ": \"" + url + "\" is not an absolute http:// or https:// URL"));
      }
      Duration connect = settings == null ? CONNECT_TIMEOUT
          : duration(settings.get("timeouts").get("connect"), CONNECT_TIMEOUT);
      Duration response = settings == null ? RESPONSE_TIMEOUT
          : duration(settings.get("timeouts").get("response"), RESPONSE_TIMEOUT);
      Path ca = settings == null ? null : SecurityConfigReader.secretFile(settings.get("caSecretRef"), secretsDir, problems);
      out.put(name, new UpstreamConfig(name, parsed, connect, response, ca));
    }
    return out;
  }

  private static List<RouteConfig> routes(YamlNode node, Map<String, RateLimitConfig> rateLimits,
                                          Map<String, SecurityConfig> security, Map<String, UpstreamConfig> upstreams,
                                          Limits limits, List<String> problems) {
    List<RouteConfig> out = new ArrayList<>();
    for (YamlNode route : node.list()) {
      String method = route.get("method").requiredString();
      String path = route.get("path").requiredString();
      List<String> names = route.get("upstreams").strings();
      names.stream().filter(n -> !upstreams.containsKey(n))
          .forEach(n -> route.get("upstreams").fail("names upstream " + n + ", which gateway.yaml does not list"));
      String rateLimit = route.get("rateLimit").string();
      if (rateLimit != null && !rateLimits.containsKey(rateLimit)) {
        route.get("rateLimit").fail("names " + rateLimit + ", which policies.yaml does not define");
      }
      List<List<RouteConfig.SchemeRef>> alternatives = new ArrayList<>();
      for (YamlNode alternative : route.get("security").list()) {
        List<RouteConfig.SchemeRef> all = new ArrayList<>();
        for (YamlNode scheme : alternative.list()) {
          String name = scheme.get("scheme").requiredString();
          if (name != null && !security.containsKey(name)) {
            scheme.fail("names security scheme " + name + ", which is not configured");
          }
          all.add(new RouteConfig.SchemeRef(name, scheme.get("scopes").strings()));
        }
        alternatives.add(all);
      }
      if (method != null && path != null) {
        String basePath = route.get("basePath").string();
        out.add(new RouteConfig(method, path, route.get("operationId").string(), names, rateLimit, alternatives,
            basePath == null || basePath.equals("/") ? "" : basePath, cors(route.get("cors")),
            bounded(route.get("maxBodyBytes"), limits.maxBodyBytes(), 0, Long.MAX_VALUE)));
      }
    }
    if (out.isEmpty() && problems.isEmpty()) {
      problems.add("routes.yaml: no routes");
    }
    return out;
  }

  private static CorsConfig cors(YamlNode node) {
    if (!node.present()) {
      return null;
    }
    long maxAge = node.get("maxAge").number(-1);
    return new CorsConfig(node.get("allowOrigins").strings(), node.get("allowMethods").strings(),
        node.get("allowHeaders").strings(), node.get("exposeHeaders").strings(),
        node.get("allowCredentials").bool(false), maxAge < 0 ? null : (int) maxAge);
  }

  static java.util.Optional<URI> parseUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
          ? java.util.Optional.of(uri) : java.util.Optional.empty();
    } catch (URISyntaxException e) {
      return java.util.Optional.empty();
    }
  }

  static Duration duration(YamlNode node, Duration fallback) {
    String text = node.string();
    if (text == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      node.fail("\"" + text + "\" is not a duration such as 500ms, 5s or 1m");
      return fallback;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
