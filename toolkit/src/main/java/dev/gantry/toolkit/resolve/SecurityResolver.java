package dev.gantry.toolkit.resolve;

import dev.gantry.crds.v1alpha1.ApiKeySettings;
import dev.gantry.crds.v1alpha1.SecuritySpec;
import dev.gantry.crds.v1alpha1.SecurityType;
import dev.gantry.toolkit.openapi.LoadedDefinition;
import dev.gantry.toolkit.problem.Problem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Resolves OpenAPI {@code security} requirements: each scheme name is the name of a Security
 * resource; scopes are kept for JWT and OAuth2, the only types that can enforce them; and a
 * {@code components.securitySchemes} entry of the same name must agree with the resource's type.
 */
final class SecurityResolver {
  private final References references;
  private final List<Problem> out;

  SecurityResolver(References references, List<Problem> out) {
    this.references = references;
    this.out = out;
  }

  /** The alternatives of one operation; empty when it is public. */
  List<List<SchemeRequirement>> resolve(LoadedDefinition definition, List<SecurityRequirement> requirements,
                                        List<String> at) {
    List<List<SchemeRequirement>> alternatives = new ArrayList<>();
    if (requirements == null) {
      return alternatives;
    }
    for (int i = 0; i < requirements.size(); i++) {
      SecurityRequirement requirement = requirements.get(i);
      List<SchemeRequirement> all = new ArrayList<>();
      if (requirement != null) {
        for (Map.Entry<String, List<String>> scheme : requirement.entrySet()) {
          List<String> where = Extensions.append(Extensions.append(at, String.valueOf(i)), scheme.getKey());
          List<String> scopes = scheme.getValue() == null ? List.of() : scheme.getValue();
          SchemeRequirement checked = scheme(definition, scheme.getKey(), scopes, where);
          if (checked != null) {
            all.add(checked);
          }
        }
      }
      alternatives.add(all);
    }
    return alternatives;
  }

  private SchemeRequirement scheme(LoadedDefinition definition, String name, List<String> scopes, List<String> at) {
    SecuritySpec spec = references.security(definition, name, at);
    if (spec == null || spec.getType() == null) {
      return null;
    }
    SecurityType type = spec.getType();
    if (!scopes.isEmpty() && type != SecurityType.JWT && type != SecurityType.OAUTH2) {
      error(definition, at, "scopes " + scopes + " cannot be enforced: Security \"" + name + "\" is of type "
          + typeName(type) + "; only jwt and oauth2 carry scopes");
    }
    checkDeclaredScheme(definition, name, spec);
    return new SchemeRequirement(name, scopes.stream().distinct().sorted().toList());
  }

  /** A {@code components.securitySchemes} entry must not say something the resource contradicts. */
  private void checkDeclaredScheme(LoadedDefinition definition, String name, SecuritySpec spec) {
    var components = definition.model().getComponents();
    if (components == null || components.getSecuritySchemes() == null) {
      return;
    }
    SecurityScheme declared = components.getSecuritySchemes().get(name);
    if (declared == null || declared.getType() == null) {
      return;
    }
    List<String> at = List.of("components", "securitySchemes", name, "type");
    String declaredType = describe(declared);
    Set<SecurityType> compatible = compatibleTypes(declared);
    if (compatible == null) {
      error(definition, at, "unsupported scheme type " + declaredType
          + "; Gantry enforces apiKey (header or query), http basic, http bearer, oauth2, openIdConnect and mutualTLS");
      return;
    }
    if (!compatible.contains(spec.getType())) {
      error(definition, at, "declares " + declaredType + " but Security \"" + name + "\" is of type "
          + typeName(spec.getType()));
      return;
    }
    ApiKeySettings apiKey = spec.getApikey();
    if (declared.getType() == SecurityScheme.Type.APIKEY && apiKey != null) {
      String in = apiKey.getIn() == null ? "header" : apiKey.getIn().name().toLowerCase(Locale.ROOT);
      boolean sameIn = declared.getIn() == null || declared.getIn().toString().equals(in);
      boolean sameName = declared.getName() == null || apiKey.getName() == null
          || (in.equals("header") ? declared.getName().equalsIgnoreCase(apiKey.getName())
              : declared.getName().equals(apiKey.getName()));
      if (!sameIn || !sameName) {
        error(definition, List.of("components", "securitySchemes", name), "declares the key in " + declared.getIn()
            + " \"" + declared.getName() + "\" but Security \"" + name + "\" reads it from " + in + " \""
            + apiKey.getName() + "\"");
      }
    }
  }

  /** Resource types a declared scheme may be enforced by; null when Gantry cannot enforce it. */
  private static Set<SecurityType> compatibleTypes(SecurityScheme declared) {
    return switch (declared.getType()) {
      case APIKEY -> declared.getIn() == null || declared.getIn() != SecurityScheme.In.COOKIE
          ? Set.of(SecurityType.APIKEY) : null;
      case HTTP -> switch (String.valueOf(declared.getScheme()).toLowerCase(Locale.ROOT)) {
        case "basic" -> Set.of(SecurityType.BASIC);
        case "bearer" -> Set.of(SecurityType.JWT, SecurityType.OAUTH2);
        default -> null;
      };
      case OAUTH2 -> Set.of(SecurityType.JWT, SecurityType.OAUTH2);
      case OPENIDCONNECT -> Set.of(SecurityType.JWT);
      case MUTUALTLS -> Set.of(SecurityType.MTLS);
    };
  }

  private static String describe(SecurityScheme declared) {
    String type = declared.getType().toString();
    if (declared.getType() == SecurityScheme.Type.HTTP) {
      return type + " (scheme " + declared.getScheme() + ")";
    }
    if (declared.getType() == SecurityScheme.Type.APIKEY && declared.getIn() != null) {
      return type + " (in " + declared.getIn() + ")";
    }
    return type;
  }

  static String typeName(SecurityType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  private void error(LoadedDefinition definition, List<String> at, String message) {
    out.add(Problem.error(definition.file().name(), definition.lineOf(at), String.join(".", at), message));
  }
}
