package dev.gantry.toolkit.resolve;

import dev.gantry.crds.v1alpha1.EndpointSpec;
import dev.gantry.crds.v1alpha1.RateLimitKey;
import dev.gantry.crds.v1alpha1.RateLimitSpec;
import dev.gantry.crds.v1alpha1.SecretKeyRef;
import dev.gantry.crds.v1alpha1.SecuritySpec;
import dev.gantry.toolkit.problem.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The checks a CRD schema states (required, enums, ranges, "exactly one of"), applied again to
 * resources read from files, plus what a schema cannot say (durations that parse, URLs that are
 * URLs, Secrets that exist). One problem per mistake, each naming the resource and the field.
 */
final class ResourceValidator {
  private final ResourceSet resources;

  ResourceValidator(ResourceSet resources) {
    this.resources = resources;
  }

  List<Problem> endpoint(String name, Located<?> at, EndpointSpec spec) {
    Check check = new Check(at.source(), "Endpoint/" + name);
    if (spec == null) {
      return check.fail("spec", "is missing").problems;
    }
    boolean hasUrls = spec.getUrls() != null && !spec.getUrls().isEmpty();
    boolean hasImage = spec.getImage() != null && !spec.getImage().isBlank();
    if (hasUrls == hasImage) {
      check.fail("spec", "set either urls or image, not both and not neither");
    }
    if (hasUrls) {
      for (int i = 0; i < spec.getUrls().size(); i++) {
        url(check, "spec.urls[" + i + "]", spec.getUrls().get(i));
      }
    }
    if (spec.getPort() != null && (spec.getPort() < 1 || spec.getPort() > 65535)) {
      check.fail("spec.port", "must be between 1 and 65535, not " + spec.getPort());
    }
    if (spec.getReplicas() != null && spec.getReplicas() < 0) {
      check.fail("spec.replicas", "must not be negative");
    }
    if (spec.getTimeouts() != null) {
      duration(check, "spec.timeouts.connect", spec.getTimeouts().getConnect(), false);
      duration(check, "spec.timeouts.response", spec.getTimeouts().getResponse(), false);
    }
    secret(check, "spec.caSecretRef", spec.getCaSecretRef(), false);
    return check.problems;
  }

  List<Problem> rateLimit(String name, Located<?> at, RateLimitSpec spec) {
    Check check = new Check(at.source(), "RateLimit/" + name);
    if (spec == null) {
      return check.fail("spec", "is missing").problems;
    }
    if (spec.getRequests() == null) {
      check.fail("spec.requests", "is required: how many requests are allowed per window");
    } else if (spec.getRequests() < 1) {
      check.fail("spec.requests", "must be at least 1, not " + spec.getRequests());
    }
    duration(check, "spec.per", spec.getPer(), true);
    if (spec.getBurst() != null && spec.getBurst() < 0) {
      check.fail("spec.burst", "must not be negative, not " + spec.getBurst());
    }
    RateLimitKey key = spec.getKey();
    if (key != null && blank(key.getHeader()) == blank(key.getClaim())) {
      check.fail("spec.key", "set exactly one of header or claim");
    }
    if (key != null && !blank(key.getHeader()) && !key.getHeader().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      check.fail("spec.key.header", "\"" + key.getHeader() + "\" is not a valid HTTP header name");
    }
    return check.problems;
  }

  List<Problem> security(String name, Located<?> at, SecuritySpec spec) {
    Check check = new Check(at.source(), "Security/" + name);
    if (spec == null) {
      return check.fail("spec", "is missing").problems;
    }
    if (spec.getType() == null) {
      return check.fail("spec.type", "is required: one of jwt, oauth2, basic, apikey, mtls").problems;
    }
    switch (spec.getType()) {
      case JWT -> present(check, "spec.jwt", spec.getJwt(), jwt -> {
        required(check, "spec.jwt.issuer", jwt.getIssuer());
        boolean jwks = !blank(jwt.getJwksUrl());
        if (jwks == (jwt.getCertificateSecretRef() != null)) {
          check.fail("spec.jwt", "set exactly one of jwksUrl or certificateSecretRef");
        }
        if (jwks) {
          url(check, "spec.jwt.jwksUrl", jwt.getJwksUrl());
        }
        secret(check, "spec.jwt.certificateSecretRef", jwt.getCertificateSecretRef(), false);
        duration(check, "spec.jwt.clockSkew", jwt.getClockSkew(), false);
      });
      case OAUTH2 -> present(check, "spec.oauth2", spec.getOauth2(), oauth -> {
        if (required(check, "spec.oauth2.introspectionUrl", oauth.getIntrospectionUrl())) {
          url(check, "spec.oauth2.introspectionUrl", oauth.getIntrospectionUrl());
        }
        required(check, "spec.oauth2.clientId", oauth.getClientId());
        secret(check, "spec.oauth2.clientSecretRef", oauth.getClientSecretRef(), true);
        duration(check, "spec.oauth2.cacheTtl", oauth.getCacheTtl(), false);
      });
      case BASIC -> present(check, "spec.basic", spec.getBasic(),
          basic -> secret(check, "spec.basic.credentialsSecretRef", basic.getCredentialsSecretRef(), true));
      case APIKEY -> present(check, "spec.apikey", spec.getApikey(), key -> {
        if (required(check, "spec.apikey.name", key.getName()) && !key.getName().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
          check.fail("spec.apikey.name", "\"" + key.getName() + "\" is not a valid header or query parameter name");
        }
        secret(check, "spec.apikey.keysSecretRef", key.getKeysSecretRef(), true);
      });
      case MTLS -> present(check, "spec.mtls", spec.getMtls(),
          mtls -> secret(check, "spec.mtls.caSecretRef", mtls.getCaSecretRef(), true));
      default -> check.fail("spec.type", "unsupported type " + spec.getType());
    }
    return check.problems;
  }

  private static <T> void present(Check check, String field, T block, Consumer<T> then) {
    if (block == null) {
      check.fail(field, "is required when type is " + field.substring(field.lastIndexOf('.') + 1));
    } else {
      then.accept(block);
    }
  }

  private static boolean required(Check check, String field, String value) {
    if (blank(value)) {
      check.fail(field, "is required");
      return false;
    }
    return true;
  }

  private static void duration(Check check, String field, String value, boolean isRequired) {
    if (value == null) {
      if (isRequired) {
        check.fail(field, "is required: " + DurationParser.describeForm());
      }
    } else if (DurationParser.parse(value).isEmpty()) {
      check.fail(field, "\"" + value + "\" is not a duration: use " + DurationParser.describeForm());
    }
  }

  private static void url(Check check, String field, String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        check.fail(field, "\"" + value + "\" is not an absolute http:// or https:// URL with a host");
      } else if (uri.getUserInfo() != null) {
        check.fail(field, "must not carry credentials: reference a Secret instead");
      }
    } catch (URISyntaxException | NullPointerException e) {
      check.fail(field, "\"" + value + "\" is not a valid URL");
    }
  }

  private void secret(Check check, String field, SecretKeyRef ref, boolean isRequired) {
    if (ref == null) {
      if (isRequired) {
        check.fail(field, "is required: a Secret name and key");
      }
      return;
    }
    if (blank(ref.getName()) || blank(ref.getKey())) {
      check.fail(field, "needs both name and key");
      return;
    }
    if (!resources.secretsKnown()) {
      return; // checked where the Secrets are: at deploy time in the cluster
    }
    resources.secret(ref.getName()).ifPresentOrElse(
        secret -> {
          if (!secret.resource().contains(ref.getKey())) {
            check.fail(field, "Secret \"" + ref.getName() + "\" has no key \"" + ref.getKey() + "\"");
          }
        },
        () -> check.fail(field, "Secret \"" + ref.getName() + "\" not found"));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Problems of one resource, all located at it. */
  private static final class Check {
    private final String source;
    private final String resource;
    private final List<Problem> problems = new ArrayList<>();

    Check(String source, String resource) {
      this.source = source;
      this.resource = resource;
    }

    Check fail(String field, String message) {
      problems.add(Problem.error(source, 0, resource + ": " + field, message));
      return this;
    }
  }
}
