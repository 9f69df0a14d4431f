package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where the gateways of a GatewayCluster load their APIs from. */
public enum FleetSource {
  /** Bundle ConfigMaps of local APIs in the watched namespaces. */
  @JsonProperty("kubernetes")
  KUBERNETES,
  /** The central management repository named by the fleet's contextRef. */
  @JsonProperty("repository")
  REPOSITORY
}
