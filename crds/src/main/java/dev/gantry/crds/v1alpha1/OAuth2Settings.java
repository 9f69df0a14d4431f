package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** OAuth 2.0 token introspection (RFC 7662) of opaque bearer tokens. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OAuth2Settings {

  @Required
  @Pattern(Patterns.HTTP_URL)
  @JsonPropertyDescription("The authorization server's token introspection endpoint.")
  private String introspectionUrl;

  @Required
  @JsonPropertyDescription("Client id the gateway authenticates with at the introspection endpoint.")
  private String clientId;

  @Required
  @JsonPropertyDescription("Secret key holding the client secret for the introspection endpoint.")
  private SecretKeyRef clientSecretRef;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("How long an introspection result is cached (never beyond the token's exp), e.g. 60s; "
      + "unset uses the gateway default.")
  private String cacheTtl;

  public String getIntrospectionUrl() {
    return introspectionUrl;
  }

  public void setIntrospectionUrl(String introspectionUrl) {
    this.introspectionUrl = introspectionUrl;
  }

  public String getClientId() {
    return clientId;
  }

  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  public SecretKeyRef getClientSecretRef() {
    return clientSecretRef;
  }

  public void setClientSecretRef(SecretKeyRef clientSecretRef) {
    this.clientSecretRef = clientSecretRef;
  }

  public String getCacheTtl() {
    return cacheTtl;
  }

  public void setCacheTtl(String cacheTtl) {
    this.cacheTtl = cacheTtl;
  }
}
