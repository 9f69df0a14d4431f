package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether fleet gateways serve an API. Stopping unpublishes it; the definition stays. */
public enum ApiState {
  @JsonProperty("STARTED")
  STARTED,
  @JsonProperty("STOPPED")
  STOPPED
}
