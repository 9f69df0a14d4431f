package dev.gantry.operator.model;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Autoscaling;
import dev.gantry.crds.v1alpha1.Exposure;
import dev.gantry.crds.v1alpha1.ExposureType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The API as the model classes should see it: the operator's defaults filled into what the API
 * leaves out (exposure type, autoscaling bounds). A copy; the user's resource is never changed. Pure.
 */
public final class ApiDefaults {
  private ApiDefaults() {}

  public static Api apply(Api api, ExposureType exposure, int minReplicas, int maxReplicas, int targetCpu) {
    Api copy = Serialization.clone(api);
    if (copy.getSpec().getExposure() == null) {
      copy.getSpec().setExposure(new Exposure());
    }
    if (copy.getSpec().getExposure().getType() == null) {
      copy.getSpec().getExposure().setType(exposure);
    }
    Autoscaling autoscaling = copy.getSpec().getAutoscaling();
    if (autoscaling != null) {
      if (autoscaling.getMinReplicas() == null) {
        autoscaling.setMinReplicas(minReplicas);
      }
      if (autoscaling.getMaxReplicas() == null) {
        autoscaling.setMaxReplicas(Math.max(maxReplicas, autoscaling.getMinReplicas()));
      }
      if (autoscaling.getTargetCPUUtilizationPercentage() == null) {
        autoscaling.setTargetCPUUtilizationPercentage(targetCpu);
      }
    }
    return copy;
  }
}
