package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** HTTP Basic authentication against an htpasswd-style file. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BasicSettings {

  @Required
  @JsonPropertyDescription("Secret key holding an htpasswd-style file: one user:password-hash line per user, "
      + "as written by htpasswd -B (bcrypt).")
  private SecretKeyRef credentialsSecretRef;

  @JsonPropertyDescription("Realm sent in the WWW-Authenticate challenge; unset uses the API's name.")
  private String realm;

  public SecretKeyRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretKeyRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public String getRealm() {
    return realm;
  }

  public void setRealm(String realm) {
    this.realm = realm;
  }
}
