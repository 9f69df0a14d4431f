package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a Security resource authenticates callers. */
public enum SecurityType {
  @JsonProperty("jwt")
  JWT,
  @JsonProperty("oauth2")
  OAUTH2,
  @JsonProperty("basic")
  BASIC,
  @JsonProperty("apikey")
  APIKEY,
  @JsonProperty("mtls")
  MTLS
}
