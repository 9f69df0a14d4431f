package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Observed state of a ManagementContext: condition {@code Ready} (reasons SecretNotFound,
 * Unreachable, Connected, InUse) and the generation it describes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagementContextStatus extends GantryStatus {
}
