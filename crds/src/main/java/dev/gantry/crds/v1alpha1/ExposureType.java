package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a gateway is reachable. */
public enum ExposureType {
  @JsonProperty("ClusterIP")
  CLUSTER_IP,
  @JsonProperty("NodePort")
  NODE_PORT,
  @JsonProperty("LoadBalancer")
  LOAD_BALANCER,
  @JsonProperty("Ingress")
  INGRESS
}
