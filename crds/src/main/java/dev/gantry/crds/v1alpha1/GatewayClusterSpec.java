package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/** Desired state of a GatewayCluster: the runtime image and its pods, the fleet's labels, and where APIs come from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.source) || self.source != 'repository' || has(self.contextRef)",
    message = "source repository needs contextRef: name the ManagementContext that holds the central repository")
public class GatewayClusterSpec {

  @Required
  @JsonPropertyDescription("The gateway runtime image the fleet's pods run (the same runtime per-API images are built on).")
  private String runtimeImage;

  @Min(0)
  @Default("2")
  @JsonPropertyDescription("Number of gateway pods; ignored while autoscaling is set. Defaults to 2.")
  private Integer replicas;

  @JsonPropertyDescription("Horizontal pod autoscaling of the fleet; when set it replaces replicas.")
  private Autoscaling autoscaling;

  @JsonPropertyDescription("CPU and memory requests and limits of each gateway container; unset, each requests 250m "
      + "CPU and 192Mi memory with no limits (CPU autoscaling needs a CPU request).")
  private ResourceRequirements resources;

  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of a kubernetes.io/tls Secret in this namespace; when set the gateways serve TLS "
      + "with its tls.crt and tls.key.")
  private String tlsSecret;

  @Min(0)
  @JsonPropertyDescription(ConnectionBoundFields.MAX_CONNECTIONS)
  private Integer maxConnections;

  @Min(0)
  @JsonPropertyDescription(ConnectionBoundFields.MAX_CONNECTIONS_PER_CLIENT)
  private Integer maxConnectionsPerClient;

  @Pattern(Patterns.DNS1123_LABEL)
  @JsonPropertyDescription("Zone or region the fleet runs in; added to its labels as zone=<zone>.")
  private String zone;

  @JsonPropertyDescription("Labels of the fleet that APIs' spec.gateways selectors match; the operator adds "
      + "zone=<zone> and fleet=<name>.")
  private Map<String, String> labels;

  @Default("kubernetes")
  @JsonPropertyDescription("Where the gateways load APIs from: kubernetes (bundle ConfigMaps of local APIs in "
      + "namespaces) or repository (the central repository of contextRef). Defaults to kubernetes.")
  private FleetSource source;

  @JsonPropertyDescription("The ManagementContext of the central repository; required when source is repository.")
  private ContextRef contextRef;

  @JsonPropertyDescription("Namespaces whose bundle ConfigMaps the gateways load (source kubernetes); empty means "
      + "the fleet's own namespace.")
  private List<@Pattern(Patterns.DNS1123_LABEL) String> namespaces;

  @JsonPropertyDescription("Secrets in this namespace that the served APIs' Security resources reference (API keys, "
      + "htpasswd files, CA certificates), mounted at /etc/gantry/secrets/<name>. A fleet serves many teams' APIs and "
      + "mounts only what is listed; each cluster keeps its own copies.")
  private List<@Pattern(Patterns.DNS1123_SUBDOMAIN) String> secrets;

  public String getRuntimeImage() {
    return runtimeImage;
  }

  public void setRuntimeImage(String runtimeImage) {
    this.runtimeImage = runtimeImage;
  }

  public Integer getMaxConnectionsPerClient() {
    return maxConnectionsPerClient;
  }

  public void setMaxConnectionsPerClient(Integer maxConnectionsPerClient) {
    this.maxConnectionsPerClient = maxConnectionsPerClient;
  }

  public Integer getMaxConnections() {
    return maxConnections;
  }

  public void setMaxConnections(Integer maxConnections) {
    this.maxConnections = maxConnections;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Autoscaling getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(Autoscaling autoscaling) {
    this.autoscaling = autoscaling;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public String getTlsSecret() {
    return tlsSecret;
  }

  public void setTlsSecret(String tlsSecret) {
    this.tlsSecret = tlsSecret;
  }

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public FleetSource getSource() {
    return source;
  }

  public void setSource(FleetSource source) {
    this.source = source;
  }

  public ContextRef getContextRef() {
    return contextRef;
  }

  public void setContextRef(ContextRef contextRef) {
    this.contextRef = contextRef;
  }

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public List<String> getSecrets() {
    return secrets;
  }

  public void setSecrets(List<String> secrets) {
    this.secrets = secrets;
  }
}
