package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Summary state of a GatewayCluster. */
public enum FleetPhase {
  /** Not deployed yet, or pods are starting. */
  @JsonProperty("Pending")
  PENDING,
  /** Every wanted gateway pod is ready. */
  @JsonProperty("Running")
  RUNNING,
  /** Some, but not all, gateway pods are ready. */
  @JsonProperty("Degraded")
  DEGRADED,
  /** Nothing can be deployed until the spec or a referenced resource is fixed (see conditions). */
  @JsonProperty("Failed")
  FAILED
}
