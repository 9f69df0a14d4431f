package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the gateway talks to a backend. */
public enum EndpointProtocol {
  @JsonProperty("http")
  HTTP,
  @JsonProperty("https")
  HTTPS
}
