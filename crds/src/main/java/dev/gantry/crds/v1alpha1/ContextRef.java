package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A reference to a ManagementContext; its namespace defaults to the referring resource's own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContextRef {

  @Required
  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the ManagementContext.")
  private String name;

  @Pattern(Patterns.DNS1123_LABEL)
  @JsonPropertyDescription("Namespace of the ManagementContext; unset means the namespace of the referring resource.")
  private String namespace;

  public ContextRef() {
  }

  public ContextRef(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  /** The namespace this reference points into, given the namespace of the resource that holds it. */
  public String namespaceOr(String own) {
    return namespace == null || namespace.isBlank() ? own : namespace;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContextRef other && Objects.equals(name, other.name) && Objects.equals(namespace, other.namespace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, namespace);
  }

  @Override
  public String toString() {
    return "ContextRef{" + (namespace == null ? "" : namespace + "/") + name + "}";
  }
}
