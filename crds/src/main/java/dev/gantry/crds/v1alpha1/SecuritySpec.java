package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How callers authenticate: the settings block named by {@code type} must be present. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'jwt' || has(self.jwt)", message = "type jwt requires the jwt settings")
@ValidationRule(value = "self.type != 'oauth2' || has(self.oauth2)", message = "type oauth2 requires the oauth2 settings")
@ValidationRule(value = "self.type != 'basic' || has(self.basic)", message = "type basic requires the basic settings")
@ValidationRule(value = "self.type != 'apikey' || has(self.apikey)", message = "type apikey requires the apikey settings")
@ValidationRule(value = "self.type != 'mtls' || has(self.mtls)", message = "type mtls requires the mtls settings")
public class SecuritySpec {

  @Required
  @JsonPropertyDescription("Authentication scheme: jwt, oauth2, basic, apikey or mtls; the block of the same name "
      + "holds its settings.")
  private SecurityType type;

  @JsonPropertyDescription("Settings of type jwt: bearer JWTs checked against a JWKS URL or a certificate.")
  private JwtSettings jwt;

  @JsonPropertyDescription("Settings of type oauth2: opaque bearer tokens checked by token introspection.")
  private OAuth2Settings oauth2;

  @JsonPropertyDescription("Settings of type basic: HTTP Basic authentication against an htpasswd file.")
  private BasicSettings basic;

  @JsonPropertyDescription("Settings of type apikey: a key in a header or query parameter.")
  private ApiKeySettings apikey;

  @JsonPropertyDescription("Settings of type mtls: client certificates issued by a trusted CA.")
  private MtlsSettings mtls;

  public SecurityType getType() {
    return type;
  }

  public void setType(SecurityType type) {
    this.type = type;
  }

  public JwtSettings getJwt() {
    return jwt;
  }

  public void setJwt(JwtSettings jwt) {
    this.jwt = jwt;
  }

  public OAuth2Settings getOauth2() {
    return oauth2;
  }

  public void setOauth2(OAuth2Settings oauth2) {
    this.oauth2 = oauth2;
  }

  public BasicSettings getBasic() {
    return basic;
  }

  public void setBasic(BasicSettings basic) {
    this.basic = basic;
  }

  public ApiKeySettings getApikey() {
    return apikey;
  }

  public void setApikey(ApiKeySettings apikey) {
    this.apikey = apikey;
  }

  public MtlsSettings getMtls() {
    return mtls;
  }

  public void setMtls(MtlsSettings mtls) {
    this.mtls = mtls;
  }
}
