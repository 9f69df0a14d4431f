package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Observed state of a Security. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecurityStatus extends GantryStatus {
}
