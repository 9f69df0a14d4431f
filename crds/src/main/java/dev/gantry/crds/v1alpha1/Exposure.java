package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** How the gateway of an API is exposed: its Service type, or an Ingress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.type) || self.type != 'Ingress' || has(self.host)",
    message = "exposure type Ingress requires host")
public class Exposure {

  @JsonPropertyDescription("ClusterIP, NodePort or LoadBalancer: the type of the gateway's Service; "
      + "Ingress: a ClusterIP Service plus an Ingress for host. Unset means ClusterIP.")
  private ExposureType type;

  @JsonPropertyDescription("Host name the gateway answers on (Ingress rule host); required when type is Ingress.")
  private String host;

  @JsonPropertyDescription("IngressClass to use for the Ingress; unset uses the cluster's default class.")
  private String ingressClassName;

  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of a kubernetes.io/tls Secret in the same namespace holding the certificate for host; "
      + "unset means no TLS on the Ingress.")
  private String tlsSecretName;

  @JsonPropertyDescription("Annotations added to the Service or Ingress, e.g. for a load balancer or ingress controller.")
  private Map<String, String> annotations;

  public ExposureType getType() {
    return type;
  }

  public void setType(ExposureType type) {
    this.type = type;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public String getIngressClassName() {
    return ingressClassName;
  }

  public void setIngressClassName(String ingressClassName) {
    this.ingressClassName = ingressClassName;
  }

  public String getTlsSecretName() {
    return tlsSecretName;
  }

  public void setTlsSecretName(String tlsSecretName) {
    this.tlsSecretName = tlsSecretName;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
