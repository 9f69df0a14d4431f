package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One address at which a GatewayCluster's gateways answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FleetEndpoint {

  @JsonPropertyDescription("What this address serves, e.g. http.")
  private String name;

  @JsonPropertyDescription("The address, e.g. http://edge-fleet.gateways.svc:8080.")
  private String uri;

  public FleetEndpoint() {
  }

  public FleetEndpoint(String name, String uri) {
    this.name = name;
    this.uri = uri;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FleetEndpoint other && Objects.equals(name, other.name) && Objects.equals(uri, other.uri);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, uri);
  }

  @Override
  public String toString() {
    return name + "=" + uri;
  }
}
