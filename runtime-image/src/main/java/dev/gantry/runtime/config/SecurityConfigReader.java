package dev.gantry.runtime.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins each security scheme of the bundle (its type) with its settings from the environment
 * (issuer, URLs, Secret references) into a {@link SecurityConfig}; Secret references become the
 * paths where the Secrets are mounted: {@code <secretsDir>/<secret name>/<key>}.
 */
final class SecurityConfigReader {
  private final Path secretsDir;
  private final List<String> problems;

  SecurityConfigReader(Path secretsDir, List<String> problems) {
    this.secretsDir = secretsDir;
    this.problems = problems;
  }

  Map<String, SecurityConfig> read(YamlNode schemes, YamlNode environment) {
    Map<String, SecurityConfig> out = new TreeMap<>();
    schemes.entries().forEach((name, scheme) -> {
      String typeName = String.valueOf(scheme.get("type").string()).toUpperCase(Locale.ROOT);
      SecurityConfig.Type type;
      try {
        type = SecurityConfig.Type.valueOf(typeName);
      } catch (IllegalArgumentException e) {
        scheme.get("type").fail("unknown security type " + typeName.toLowerCase(Locale.ROOT));
        return;
      }
      YamlNode settings = environment == null ? null : environment.get(name);
      if (settings == null || !settings.present()) {
        problems.add("security " + name + ": no settings in the environment; refusing to start open");
        return;
      }
      String envType = String.valueOf(settings.get("type").string()).toUpperCase(Locale.ROOT);
      if (!envType.equals(typeName)) {
        settings.get("type").fail("is " + envType.toLowerCase(Locale.ROOT) + " but the bundle says "
            + typeName.toLowerCase(Locale.ROOT));
        return;
      }
      YamlNode block = settings.get(typeName.toLowerCase(Locale.ROOT));
      if (!block.present()) {
        block.fail("missing");
        return;
      }
      out.put(name, config(name, type, block));
    });
    return out;
  }

  private SecurityConfig config(String name, SecurityConfig.Type type, YamlNode block) {
    return switch (type) {
      case JWT -> new SecurityConfig(name, type, new SecurityConfig.Jwt(block.get("issuer").requiredString(),
          block.get("audiences").strings(), url(block.get("jwksUrl")), secretFile(block.get("certificateSecretRef"),
              secretsDir, problems), ConfigLoader.duration(block.get("clockSkew"), java.time.Duration.ofSeconds(30)),
          block.get("principalClaim").string()), null, null, null, null);
      case OAUTH2 -> new SecurityConfig(name, type, null, new SecurityConfig.OAuth2(url(block.get("introspectionUrl")),
          block.get("clientId").requiredString(), secretFile(block.get("clientSecretRef"), secretsDir, problems),
          ConfigLoader.duration(block.get("cacheTtl"), java.time.Duration.ofSeconds(30))), null, null, null);
      case BASIC -> new SecurityConfig(name, type, null, null, new SecurityConfig.Basic(
          secretFile(block.get("credentialsSecretRef"), secretsDir, problems), block.get("realm").string()), null, null);
      case APIKEY -> new SecurityConfig(name, type, null, null, null, new SecurityConfig.ApiKey(
          block.get("in").string() == null ? "header" : block.get("in").string(), block.get("name").requiredString(),
          secretFile(block.get("keysSecretRef"), secretsDir, problems)), null);
      case MTLS -> new SecurityConfig(name, type, null, null, null, null, new SecurityConfig.Mtls(
          secretFile(block.get("caSecretRef"), secretsDir, problems), block.get("principalFrom").string()));
    };
  }

  private URI url(YamlNode node) {
    String text = node.string();
    if (text == null) {
      return null;
    }
    return ConfigLoader.parseUrl(text).orElseGet(() -> {
      node.fail("\"" + text + "\" is not an absolute http:// or https:// URL");
      return null;
    });
  }

  /** The mounted file of a Secret reference; null when there is no reference. Missing files are problems. */
  static Path secretFile(YamlNode ref, Path secretsDir, List<String> problems) {
    if (!ref.present()) {
      return null;
    }
    String name = ref.get("name").requiredString();
    String key = ref.get("key").requiredString();
    if (name == null || key == null) {
      return null;
    }
    if (name.contains("/") || name.contains("..") || key.contains("/") || key.contains("..")) {
      ref.fail("Secret name and key must not contain '/' or '..'");
      return null;
    }
    Path file = secretsDir.resolve(name).resolve(key);
    if (!Files.isReadable(file)) {
      problems.add(file + ": Secret " + name + " key " + key + " is not mounted or not readable");
    }
    return file;
  }
}
