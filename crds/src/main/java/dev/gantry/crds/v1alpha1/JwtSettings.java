package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Bearer JWT validation, with keys from a JWKS URL or from a certificate / public key in a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.jwksUrl) != has(self.certificateSecretRef)",
    message = "set exactly one of jwksUrl or certificateSecretRef")
public class JwtSettings {

  @Required
  @JsonPropertyDescription("Required value of the token's iss claim.")
  private String issuer;

  @JsonPropertyDescription("Accepted aud values; the token must name at least one. Unset means aud is not checked.")
  private List<String> audiences;

  @Pattern(Patterns.HTTP_URL)
  @JsonPropertyDescription("URL of the issuer's JWK Set; keys are fetched, cached and refreshed. "
      + "Exclusive with certificateSecretRef.")
  private String jwksUrl;

  @JsonPropertyDescription("Secret key holding a PEM certificate or public key that signs the tokens. "
      + "Exclusive with jwksUrl.")
  private SecretKeyRef certificateSecretRef;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Tolerated clock difference when checking exp and nbf, e.g. 30s; unset uses the gateway default.")
  private String clockSkew;

  @JsonPropertyDescription("Claim that names the authenticated principal (e.g. for per-consumer rate limits); "
      + "unset means sub.")
  private String principalClaim;

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  public List<String> getAudiences() {
    return audiences;
  }

  public void setAudiences(List<String> audiences) {
    this.audiences = audiences;
  }

  public String getJwksUrl() {
    return jwksUrl;
  }

  public void setJwksUrl(String jwksUrl) {
    this.jwksUrl = jwksUrl;
  }

  public SecretKeyRef getCertificateSecretRef() {
    return certificateSecretRef;
  }

  public void setCertificateSecretRef(SecretKeyRef certificateSecretRef) {
    this.certificateSecretRef = certificateSecretRef;
  }

  public String getClockSkew() {
    return clockSkew;
  }

  public void setClockSkew(String clockSkew) {
    this.clockSkew = clockSkew;
  }

  public String getPrincipalClaim() {
    return principalClaim;
  }

  public void setPrincipalClaim(String principalClaim) {
    this.principalClaim = principalClaim;
  }
}
