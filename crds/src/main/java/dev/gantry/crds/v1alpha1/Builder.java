package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What turns a gateway bundle into an image. */
public enum Builder {
  /** Jib, in the operator's own process. */
  @JsonProperty("jib")
  JIB,
  /** A Kaniko Job in the cluster. */
  @JsonProperty("kaniko")
  KANIKO
}
