package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Observed state of an Endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointStatus extends GantryStatus {
}
