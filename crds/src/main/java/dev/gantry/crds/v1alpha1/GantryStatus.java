package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What every Gantry status has: the generation last acted upon and Kubernetes-style conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GantryStatus {

  @JsonPropertyDescription("The metadata.generation of the resource that this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Current state as Kubernetes conditions (type, status True/False/Unknown, reason, message, "
      + "lastTransitionTime, observedGeneration), e.g. Accepted, ResolvedRefs, Built, Deployed, Ready.")
  private List<Condition> conditions;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
