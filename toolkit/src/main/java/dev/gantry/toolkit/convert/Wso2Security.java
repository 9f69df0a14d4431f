package dev.gantry.toolkit.convert;

import dev.gantry.crds.v1alpha1.ApiKeyLocation;
import dev.gantry.crds.v1alpha1.ApiKeySettings;
import dev.gantry.crds.v1alpha1.BasicSettings;
import dev.gantry.crds.v1alpha1.JwtSettings;
import dev.gantry.crds.v1alpha1.OAuth2Settings;
import dev.gantry.crds.v1alpha1.SecretKeyRef;
import dev.gantry.crds.v1alpha1.Security;
import dev.gantry.crds.v1alpha1.SecuritySpec;
import dev.gantry.crds.v1alpha1.SecurityType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A WSO2 Security (type JWT, Oauth, basic or apiKey, with a list {@code securityConfig}) as Gantry
 * Security resources. A Gantry Security holds one issuer or server, so each further
 * {@code securityConfig} entry becomes another resource, {@code <name>-2}, {@code <name>-3}…
 */
final class Wso2Security {
  /** The key WSO2 deployments mounted certificates under when nothing else is known. */
  static final String DEFAULT_CERTIFICATE_KEY = "server.pem";
  static final String HTPASSWD_KEY = "htpasswd";
  static final String API_KEYS_KEY = "keys";
  static final String API_KEY_HEADER = "apikey";
  private static final Set<String> CONFIG_FIELDS = Set.of("issuer", "audience", "certificate", "jwksURL",
      "validateSubscription", "credentials", "endpoint");

  private final Wso2Document doc;
  private final Map<String, Set<String>> secretKeys;

  Wso2Security(Wso2Document doc, Map<String, Set<String>> secretKeys) {
    this.doc = doc;
    this.secretKeys = secretKeys;
  }

  void convert(List<HasMetadata> out) {
    doc.warnUnknown(Set.of("type", "securityConfig"), "spec");
    String type = doc.string("spec", "type");
    SecurityType gantryType = type == null ? null : switch (type.toLowerCase(Locale.ROOT)) {
      case "jwt" -> SecurityType.JWT;
      case "oauth" -> SecurityType.OAUTH2;
      case "basic" -> SecurityType.BASIC;
      case "apikey" -> SecurityType.APIKEY;
      default -> null;
    };
    if (gantryType == null) {
      doc.error(new String[] {"spec", "type"}, "must be JWT, Oauth, basic or apiKey");
      return;
    }
    List<?> configs = doc.list("spec", "securityConfig");
    int count = Math.max(1, configs.size());
    for (int i = 0; i < count; i++) {
      String index = String.valueOf(i);
      String name = i == 0 ? doc.name() : doc.name() + "-" + (i + 1);
      doc.warnUnknown(CONFIG_FIELDS, "spec", "securityConfig", index);
      SecuritySpec spec = new SecuritySpec();
      spec.setType(gantryType);
      boolean usable = switch (gantryType) {
        case JWT -> jwt(spec, index);
        case OAUTH2 -> oauth2(spec, index);
        case BASIC -> basic(spec, index);
        default -> apiKey(spec, index, name);
      };
      if (!usable) {
        continue;
      }
      if (i > 0) {
        doc.warning(new String[] {"spec", "securityConfig", index}, "became Security \"" + name + "\": a definition's "
            + "`security: [{" + doc.name() + ": []}]` accepts only the first entry; add `{" + name + ": []}` as "
            + "another alternative to accept this one too");
      }
      Security security = new Security();
      security.setSpec(spec);
      out.add(Wso2Converter.named(security, name));
    }
  }

  private boolean jwt(SecuritySpec spec, String i) {
    JwtSettings jwt = new JwtSettings();
    jwt.setIssuer(doc.string("spec", "securityConfig", i, "issuer"));
    if (jwt.getIssuer() == null) {
      doc.error(new String[] {"spec", "securityConfig", i, "issuer"}, "is missing: Gantry checks the token's iss");
      return false;
    }
    String audience = doc.string("spec", "securityConfig", i, "audience");
    jwt.setAudiences(audience == null ? null : List.of(audience));
    String jwks = doc.string("spec", "securityConfig", i, "jwksURL");
    String certificate = doc.string("spec", "securityConfig", i, "certificate");
    if (jwks != null) {
      jwt.setJwksUrl(jwks);
      if (certificate != null) {
        doc.warning(new String[] {"spec", "securityConfig", i, "certificate"}, "not used: jwksURL is also set and a "
            + "Gantry JWT Security takes keys from one of the two");
      }
    } else if (certificate != null) {
      jwt.setCertificateSecretRef(new SecretKeyRef(certificate, certificateKey(certificate, i)));
    } else {
      doc.error(new String[] {"spec", "securityConfig", i}, "needs jwksURL or certificate to verify tokens");
      return false;
    }
    if (Boolean.TRUE.equals(doc.bool("spec", "securityConfig", i, "validateSubscription"))) {
      doc.warning(new String[] {"spec", "securityConfig", i, "validateSubscription"}, "not mapped: Gantry has no API "
          + "Manager subscriptions; any valid token of the issuer is admitted (use scopes or audience to narrow)");
    }
    spec.setJwt(jwt);
    return true;
  }

  private boolean oauth2(SecuritySpec spec, String i) {
    String endpoint = doc.string("spec", "securityConfig", i, "endpoint");
    if (endpoint == null) {
      doc.error(new String[] {"spec", "securityConfig", i, "endpoint"}, "is missing: the key manager's URL is needed");
      return false;
    }
    OAuth2Settings oauth2 = new OAuth2Settings();
    oauth2.setIntrospectionUrl(endpoint.replaceAll("/+$", "") + "/oauth2/introspect");
    doc.warning(new String[] {"spec", "securityConfig", i, "endpoint"}, "Gantry introspects tokens with RFC 7662 at "
        + oauth2.getIntrospectionUrl() + " (WSO2 API Manager's introspection path); change introspectionUrl if "
        + "your key manager serves it elsewhere");
    String credentials = doc.string("spec", "securityConfig", i, "credentials");
    if (credentials != null) {
      oauth2.setClientSecretRef(new SecretKeyRef(credentials, "password"));
      doc.warning(new String[] {"spec", "securityConfig", i, "credentials"}, "clientSecretRef is the key `password` "
          + "of Secret \"" + credentials + "\"; spec.oauth2.clientId must be written as text: set it to that Secret's "
          + "username (the converter never reads Secret values)");
    } else {
      doc.warning(new String[] {"spec", "securityConfig", i}, "no credentials: set spec.oauth2.clientId and "
          + "clientSecretRef for the introspection endpoint");
    }
    if (doc.get("spec", "securityConfig", i, "certificate") != null) {
      doc.warning(new String[] {"spec", "securityConfig", i, "certificate"}, "not mapped: the gateway trusts the "
          + "introspection server through its JVM trust store (GANTRY_JAVA_OPTS=-Djavax.net.ssl.trustStore=…)");
    }
    spec.setOauth2(oauth2);
    return true;
  }

  private boolean basic(SecuritySpec spec, String i) {
    String credentials = doc.string("spec", "securityConfig", i, "credentials");
    if (credentials == null) {
      doc.error(new String[] {"spec", "securityConfig", i, "credentials"}, "is missing: the Secret with the users");
      return false;
    }
    String secret = credentials + "-" + HTPASSWD_KEY;
    BasicSettings basic = new BasicSettings();
    basic.setCredentialsSecretRef(new SecretKeyRef(secret, HTPASSWD_KEY));
    spec.setBasic(basic);
    doc.warning(new String[] {"spec", "securityConfig", i, "credentials"}, "Secret \"" + credentials + "\" holds a "
        + "plain username and password; Gantry reads bcrypt htpasswd lines, from Secret \"" + secret + "\" key `"
        + HTPASSWD_KEY + "`. Make it with: kubectl create secret generic " + secret + " --from-literal="
        + HTPASSWD_KEY + "=\"$(htpasswd -nbB USER PASSWORD)\"");
    return true;
  }

  private boolean apiKey(SecuritySpec spec, String i, String name) {
    ApiKeySettings apiKey = new ApiKeySettings();
    apiKey.setIn(ApiKeyLocation.HEADER);
    apiKey.setName(API_KEY_HEADER);
    String secret = name + "-" + API_KEYS_KEY;
    apiKey.setKeysSecretRef(new SecretKeyRef(secret, API_KEYS_KEY));
    spec.setApikey(apiKey);
    doc.warning(new String[] {"spec", "securityConfig", i}, "WSO2 API keys are JWTs issued by API Manager; Gantry API "
        + "keys are opaque keys listed in Secret \"" + secret + "\" key `" + API_KEYS_KEY + "` (one per line, "
        + "consumer:key), sent in header `" + API_KEY_HEADER + "`. Issue keys and create that Secret; "
        + "certificate, issuer and audience of this entry are not used");
    return true;
  }

  /** The Secret's only key when the Secret is among the inputs, else WSO2's usual {@value #DEFAULT_CERTIFICATE_KEY}. */
  private String certificateKey(String secret, String i) {
    Set<String> keys = secretKeys.get(secret);
    if (keys != null && keys.size() == 1) {
      return keys.iterator().next();
    }
    doc.warning(new String[] {"spec", "securityConfig", i, "certificate"}, "Gantry needs the key inside Secret \""
        + secret + "\" too: `" + DEFAULT_CERTIFICATE_KEY + "` is assumed" + (keys == null ? " (the Secret is not "
        + "among the inputs)" : " (it has " + keys.size() + " keys)") + "; change certificateSecretRef.key if needed");
    return DEFAULT_CERTIFICATE_KEY;
  }
}
