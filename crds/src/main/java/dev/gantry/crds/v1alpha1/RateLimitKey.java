package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** What identifies a consumer for a per-consumer quota; unset means the authenticated principal. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.header) != has(self.claim)", message = "set exactly one of header or claim")
public class RateLimitKey {

  @JsonPropertyDescription("Request header whose value identifies the consumer, e.g. X-Client-Id. Exclusive with claim.")
  private String header;

  @JsonPropertyDescription("Claim of the authenticated token whose value identifies the consumer, e.g. azp. "
      + "Exclusive with header.")
  private String claim;

  public String getHeader() {
    return header;
  }

  public void setHeader(String header) {
    this.header = header;
  }

  public String getClaim() {
    return claim;
  }

  public void setClaim(String claim) {
    this.claim = claim;
  }
}
