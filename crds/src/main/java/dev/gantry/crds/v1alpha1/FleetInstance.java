package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A gateway of a fleet as it registered itself in the central repository (source repository). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FleetInstance {

  @JsonPropertyDescription("The gateway instance (its pod's host name).")
  private String name;

  @JsonPropertyDescription("Zone the gateway registered with.")
  private String zone;

  @JsonPropertyDescription("Where the gateway said clients reach it.")
  private String uri;

  @JsonPropertyDescription("Version of the gateway runtime.")
  private String runtimeVersion;

  @JsonPropertyDescription("Number of APIs the gateway serves.")
  private Integer apis;

  public FleetInstance() {
  }

  public FleetInstance(String name, String zone, String uri, String runtimeVersion, Integer apis) {
    this.name = name;
    this.zone = zone;
    this.uri = uri;
    this.runtimeVersion = runtimeVersion;
    this.apis = apis;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public String getRuntimeVersion() {
    return runtimeVersion;
  }

  public void setRuntimeVersion(String runtimeVersion) {
    this.runtimeVersion = runtimeVersion;
  }

  public Integer getApis() {
    return apis;
  }

  public void setApis(Integer apis) {
    this.apis = apis;
  }
}
