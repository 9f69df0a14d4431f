package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** API keys sent in a header or query parameter. The JSON property {@code in} is the Java property {@code in} ({@link #getIn()}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiKeySettings {

  @JsonProperty("in")
  @JsonPropertyDescription("Where the key is sent: header or query. Unset means header.")
  private ApiKeyLocation in_;

  @Required
  @JsonPropertyDescription("Name of the header or query parameter carrying the key, e.g. X-API-Key.")
  private String name;

  @Required
  @JsonPropertyDescription("Secret key holding the accepted keys, one per line, optionally as consumer:key "
      + "to name the consumer.")
  private SecretKeyRef keysSecretRef;

  @JsonProperty("in")
  public ApiKeyLocation getIn() {
    return in_;
  }

  @JsonProperty("in")
  public void setIn(ApiKeyLocation in) {
    this.in_ = in;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public SecretKeyRef getKeysSecretRef() {
    return keysSecretRef;
  }

  public void setKeysSecretRef(SecretKeyRef keysSecretRef) {
    this.keysSecretRef = keysSecretRef;
  }
}
