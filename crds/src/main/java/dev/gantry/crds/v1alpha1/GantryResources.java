package dev.gantry.crds.v1alpha1;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;

/** The custom resource kinds of API group {@value #GROUP}, version {@value #VERSION}. */
public final class GantryResources {

  public static final String GROUP = "gantry.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Every kind, in a stable order, e.g. for registering with a client or generating CRDs. */
  public static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(Api.class, Endpoint.class, RateLimit.class, Security.class, ManagementContext.class,
          GatewayCluster.class);

  private GantryResources() {
  }

  /** Full CRD name of a kind, e.g. {@code apis.gantry.dev}. */
  public static String crdName(Class<? extends HasMetadata> kind) {
    return HasMetadata.getFullResourceName(kind);
  }

  /**
   * Class-path resource holding the generated CRD (apiextensions v1) of a kind, e.g.
   * {@code META-INF/fabric8/apis.gantry.dev-v1.yml}; load it with the class loader to install the CRD.
   */
  public static String crdResource(Class<? extends HasMetadata> kind) {
    return "META-INF/fabric8/" + crdName(kind) + "-v1.yml";
  }
}
