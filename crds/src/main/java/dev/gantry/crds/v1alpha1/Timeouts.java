package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Time limits of the gateway's calls to a backend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Timeouts {

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Longest wait to open a connection to the backend, e.g. 5s; unset uses the gateway default.")
  private String connect;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Longest wait for the backend's response after the request was sent, e.g. 30s; "
      + "unset uses the gateway default.")
  private String response;

  public String getConnect() {
    return connect;
  }

  public void setConnect(String connect) {
    this.connect = connect;
  }

  public String getResponse() {
    return response;
  }

  public void setResponse(String response) {
    this.response = response;
  }
}
