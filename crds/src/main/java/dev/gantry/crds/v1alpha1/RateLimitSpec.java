package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A quota: at most {@code requests} per {@code per}, plus {@code burst}, counted per API, operation or consumer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimitSpec {

  @Required
  @Min(1)
  @JsonPropertyDescription("Number of requests allowed per period.")
  private Integer requests;

  @Required
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Length of the period, e.g. 1s, 1m, 1h, 1d.")
  private String per;

  @Min(0)
  @JsonPropertyDescription("Extra requests allowed above the quota in a spike: the bucket holds requests + burst tokens "
      + "and refills at requests per period. Unset means 0.")
  private Integer burst;

  @JsonPropertyDescription("What one bucket counts: api (all calls of the API), operation (each operation separately) "
      + "or consumer (each consumer separately, see key). Unset means api.")
  private RateLimitScope scope;

  @JsonPropertyDescription("What identifies a consumer (scope consumer): a request header or a token claim; "
      + "unset means the authenticated principal.")
  private RateLimitKey key;

  public Integer getRequests() {
    return requests;
  }

  public void setRequests(Integer requests) {
    this.requests = requests;
  }

  public String getPer() {
    return per;
  }

  public void setPer(String per) {
    this.per = per;
  }

  public Integer getBurst() {
    return burst;
  }

  public void setBurst(Integer burst) {
    this.burst = burst;
  }

  public RateLimitScope getScope() {
    return scope;
  }

  public void setScope(RateLimitScope scope) {
    this.scope = scope;
  }

  public RateLimitKey getKey() {
    return key;
  }

  public void setKey(RateLimitKey key) {
    this.key = key;
  }
}
