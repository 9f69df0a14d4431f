package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** A backend: either URL(s) of an existing service, or a container image that the operator deploys itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.urls) != has(self.image)", message = "set either urls or image, not both")
public class EndpointSpec {

  @Size(min = 1)
  @JsonPropertyDescription("Base URL(s) of an existing backend (http:// or https://); several URLs are load-balanced. "
      + "Exclusive with image.")
  private List<@Pattern(Patterns.HTTP_URL) String> urls;

  @JsonPropertyDescription("Container image of a backend that the operator deploys (Deployment and Service) itself. "
      + "Exclusive with urls.")
  private String image;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Container port the backend image listens on; only with image. Unset means 8080.")
  private Integer port;

  @Min(0)
  @JsonPropertyDescription("Number of backend pods; only with image. Unset means 1.")
  private Integer replicas;

  @JsonPropertyDescription("CPU and memory requests and limits of the backend container; only with image.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Environment variables of the backend container; only with image.")
  private List<EnvVar> env;

  @JsonPropertyDescription("Protocol the gateway uses towards the backend: http or https. "
      + "Unset means the scheme of the URLs (http for an image).")
  private EndpointProtocol protocol;

  @JsonPropertyDescription("Connect and response time limits of calls to this backend.")
  private Timeouts timeouts;

  @JsonPropertyDescription("Secret key holding the PEM CA bundle used to verify an HTTPS backend's certificate; "
      + "unset uses the gateway's default trust store.")
  private SecretKeyRef caSecretRef;

  public List<String> getUrls() {
    return urls;
  }

  public void setUrls(List<String> urls) {
    this.urls = urls;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public EndpointProtocol getProtocol() {
    return protocol;
  }

  public void setProtocol(EndpointProtocol protocol) {
    this.protocol = protocol;
  }

  public Timeouts getTimeouts() {
    return timeouts;
  }

  public void setTimeouts(Timeouts timeouts) {
    this.timeouts = timeouts;
  }

  public SecretKeyRef getCaSecretRef() {
    return caSecretRef;
  }

  public void setCaSecretRef(SecretKeyRef caSecretRef) {
    this.caSecretRef = caSecretRef;
  }
}
