package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a request carries its API key. */
public enum ApiKeyLocation {
  @JsonProperty("header")
  HEADER,
  @JsonProperty("query")
  QUERY
}
