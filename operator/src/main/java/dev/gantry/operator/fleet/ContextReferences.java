package dev.gantry.operator.fleet;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ContextRef;
import dev.gantry.crds.v1alpha1.GatewayCluster;
import dev.gantry.crds.v1alpha1.ManagementContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/** Who points at which ManagementContext: an API's or a GatewayCluster's contextRef, namespace defaulted. */
public final class ContextReferences {
  private ContextReferences() {}

  /** The context an API refers to, if any. */
  public static Optional<ResourceID> of(Api api) {
    return id(api.getSpec() == null ? null : api.getSpec().getContextRef(), api);
  }

  /** The context a GatewayCluster refers to (a set contextRef counts even while source is kubernetes). */
  public static Optional<ResourceID> of(GatewayCluster fleet) {
    return id(fleet.getSpec() == null ? null : fleet.getSpec().getContextRef(), fleet);
  }

  public static boolean refersTo(Optional<ResourceID> reference, ManagementContext context) {
    return reference.map(r -> r.equals(ResourceID.fromResource(context))).orElse(false);
  }

  /** {@code namespace/name}, as messages name resources. */
  public static String display(ResourceID id) {
    return id.getNamespace().map(ns -> ns + "/").orElse("") + id.getName();
  }

  private static Optional<ResourceID> id(ContextRef ref, HasMetadata holder) {
    if (ref == null || ref.getName() == null) {
      return Optional.empty();
    }
    return Optional.of(new ResourceID(ref.getName(), ref.namespaceOr(holder.getMetadata().getNamespace())));
  }
}
