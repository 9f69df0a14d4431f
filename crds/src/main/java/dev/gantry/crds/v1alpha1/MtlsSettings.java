package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Mutual TLS: callers present a client certificate issued by a trusted CA. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MtlsSettings {

  @Required
  @JsonPropertyDescription("Secret key holding the PEM CA bundle that client certificates must chain to.")
  private SecretKeyRef caSecretRef;

  @Pattern("^(cn|dn|san-dns|san-email|san-uri)$")
  @JsonPropertyDescription("Part of the client certificate that names the principal: cn (subject common name), "
      + "dn (full subject), san-dns, san-email or san-uri (first subjectAltName of that type). Unset means cn.")
  private String principalFrom;

  public SecretKeyRef getCaSecretRef() {
    return caSecretRef;
  }

  public void setCaSecretRef(SecretKeyRef caSecretRef) {
    this.caSecretRef = caSecretRef;
  }

  public String getPrincipalFrom() {
    return principalFrom;
  }

  public void setPrincipalFrom(String principalFrom) {
    this.principalFrom = principalFrom;
  }
}
