package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of a GatewayCluster: phase, pods wanted and ready, where the gateways answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayClusterStatus extends GantryStatus {

  @JsonPropertyDescription("Pending, Running, Degraded or Failed; conditions say why.")
  private FleetPhase phase;

  @JsonPropertyDescription("Number of gateway pods wanted.")
  private Integer replicas;

  @JsonPropertyDescription("Number of gateway pods that are ready.")
  private Integer readyReplicas;

  @JsonPropertyDescription("Ready pods over wanted pods, as n/m.")
  private String ready;

  @JsonPropertyDescription("Addresses at which the fleet's gateways answer.")
  private List<FleetEndpoint> endpoints;

  @JsonPropertyDescription("Source repository: the gateways of this fleet in this cluster that registered in the "
      + "central repository and beat within the last 30 s, by name.")
  private List<FleetInstance> instances;

  public FleetPhase getPhase() {
    return phase;
  }

  public void setPhase(FleetPhase phase) {
    this.phase = phase;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getReady() {
    return ready;
  }

  public void setReady(String ready) {
    this.ready = ready;
  }

  public List<FleetEndpoint> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<FleetEndpoint> endpoints) {
    this.endpoints = endpoints;
  }

  public List<FleetInstance> getInstances() {
    return instances;
  }

  public void setInstances(List<FleetInstance> instances) {
    this.instances = instances;
  }
}
