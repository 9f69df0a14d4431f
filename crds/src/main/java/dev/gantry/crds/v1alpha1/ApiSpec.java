package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** Desired state of an API: its OpenAPI definition(s), version, how the gateway is built, deployed and exposed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = ApiSpec.LOCAL_NEEDS_CONTEXT_RULE, message = ApiSpec.LOCAL_NEEDS_CONTEXT_MESSAGE)
public class ApiSpec {
  /** CEL: an API published to the central repository must say which repository. */
  public static final String LOCAL_NEEDS_CONTEXT_RULE = "!has(self.local) || self.local || has(self.contextRef)";
  public static final String LOCAL_NEEDS_CONTEXT_MESSAGE =
      "local: false needs contextRef: name the ManagementContext that holds the central repository";

  @Required
  @Size(min = 1)
  @JsonPropertyDescription("Names of ConfigMaps in the same namespace holding the OpenAPI (Swagger 2.0 or OpenAPI 3.x) "
      + "file(s) of this API; at least one.")
  private List<@Pattern(Patterns.DNS1123_SUBDOMAIN) String> definitions;

  @Required
  @Pattern(Patterns.IMAGE_TAG)
  @JsonPropertyDescription("Version of the API; it becomes the gateway image tag <registry>/<api>:<version>.")
  private String version;

  @Min(0)
  @Default("1")
  @JsonPropertyDescription("Number of gateway pods; ignored while autoscaling is set. Defaults to 1.")
  private Integer replicas;

  @Default("false")
  @JsonPropertyDescription("If true, rebuild and overwrite the image tag even when the registry already holds that tag "
      + "with a different bundle; if false (the default) such a conflict is reported and nothing is pushed.")
  private Boolean override;

  @JsonPropertyDescription("What builds the gateway image: jib (in the operator) or kaniko (a Job in the cluster). "
      + "Unset uses the operator's default.")
  private Builder builder;

  @JsonPropertyDescription("A prebuilt gateway image to deploy; when set, no image is built.")
  private String image;

  @JsonPropertyDescription("Extra environment variables for the gateway container, e.g. values from Secrets.")
  private List<EnvVar> env;

  @JsonPropertyDescription("How the gateway is reachable: Service type or Ingress. Unset means a ClusterIP Service.")
  private Exposure exposure;

  @JsonPropertyDescription("Horizontal pod autoscaling of the gateway; when set it replaces replicas.")
  private Autoscaling autoscaling;

  @JsonPropertyDescription("CPU and memory requests and limits of the gateway container; unset, it requests 250m CPU "
      + "and 192Mi memory with no limits (CPU autoscaling needs a CPU request).")
  private ResourceRequirements resources;

  @Min(0)
  @JsonPropertyDescription(ConnectionBoundFields.MAX_CONNECTIONS)
  private Integer maxConnections;

  @Min(0)
  @JsonPropertyDescription(ConnectionBoundFields.MAX_CONNECTIONS_PER_CLIENT)
  private Integer maxConnectionsPerClient;

  @JsonPropertyDescription("The ManagementContext of the central repository this API is published to when local is "
      + "false; its namespace defaults to the API's.")
  private ContextRef contextRef;

  @Default("true")
  @JsonPropertyDescription("If true (the default) the API is served from this cluster: its own gateway, or, with "
      + "gateways set, a bundle ConfigMap that fleets load. If false it is published to the central repository of "
      + "contextRef.")
  private Boolean local;

  @Default("STARTED")
  @JsonPropertyDescription("STARTED (the default) or STOPPED: whether fleet gateways serve the API. Stopping "
      + "unpublishes it from the gateways; the definition stays.")
  private ApiState state;

  @JsonPropertyDescription("Selects the GatewayClusters (by their labels) that serve this API. When set, the API "
      + "runs on shared fleet gateways instead of its own gateway Deployment. With local: false, unset selects every "
      + "fleet of the context's environment.")
  private LabelSelector gateways;

  public List<String> getDefinitions() {
    return definitions;
  }

  public void setDefinitions(List<String> definitions) {
    this.definitions = definitions;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public Integer getMaxConnections() {
    return maxConnections;
  }

  public void setMaxConnections(Integer maxConnections) {
    this.maxConnections = maxConnections;
  }

  public Integer getMaxConnectionsPerClient() {
    return maxConnectionsPerClient;
  }

  public void setMaxConnectionsPerClient(Integer maxConnectionsPerClient) {
    this.maxConnectionsPerClient = maxConnectionsPerClient;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Boolean getOverride() {
    return override;
  }

  public void setOverride(Boolean override) {
    this.override = override;
  }

  public Builder getBuilder() {
    return builder;
  }

  public void setBuilder(Builder builder) {
    this.builder = builder;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public Exposure getExposure() {
    return exposure;
  }

  public void setExposure(Exposure exposure) {
    this.exposure = exposure;
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

  public ContextRef getContextRef() {
    return contextRef;
  }

  public void setContextRef(ContextRef contextRef) {
    this.contextRef = contextRef;
  }

  public Boolean getLocal() {
    return local;
  }

  public void setLocal(Boolean local) {
    this.local = local;
  }

  public ApiState getState() {
    return state;
  }

  public void setState(ApiState state) {
    this.state = state;
  }

  public LabelSelector getGateways() {
    return gateways;
  }

  public void setGateways(LabelSelector gateways) {
    this.gateways = gateways;
  }

  /** {@code local} with its default (true) applied: objects built in Java do not get the schema's defaults. */
  public boolean localOrDefault() {
    return local == null || local;
  }

  /** {@code state} with its default (STARTED) applied. */
  public ApiState stateOrDefault() {
    return state == null ? ApiState.STARTED : state;
  }
}
