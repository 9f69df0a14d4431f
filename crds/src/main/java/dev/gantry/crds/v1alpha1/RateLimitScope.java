package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What one quota bucket counts. */
public enum RateLimitScope {
  /** One bucket for the whole API. */
  @JsonProperty("api")
  API,
  /** One bucket per operation. */
  @JsonProperty("operation")
  OPERATION,
  /** One bucket per consumer (see {@link RateLimitKey}). */
  @JsonProperty("consumer")
  CONSUMER
}
