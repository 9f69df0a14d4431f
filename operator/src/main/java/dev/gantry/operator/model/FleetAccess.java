package dev.gantry.operator.model;

import dev.gantry.crds.v1alpha1.FleetSource;
import dev.gantry.crds.v1alpha1.GatewayCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a kubernetes-source fleet's pods may do against the API server, as desired objects: their
 * own ServiceAccount, and in each watched namespace a Role (get, list, watch on configmaps, which is
 * all the runtime's informers do) and a RoleBinding to that account. Namespaced Roles rather than a
 * ClusterRole: a fleet reads only the namespaces its GatewayCluster lists. Pure, like FleetDeployment.
 *
 * <p>Owner references cannot cross namespaces, so only the objects in the fleet's own namespace are
 * owned by the GatewayCluster; those elsewhere carry the {@link #LABEL_FLEET} label, by which the
 * reconciler finds and removes them once the fleet stops watching there.
 */
public final class FleetAccess {
  /** {@code NAMESPACE.NAME} of the GatewayCluster a Role or RoleBinding is for (a label value). */
  public static final String LABEL_FLEET = "gantry.dev/fleet";
  public static final List<String> VERBS = List.of("get", "list", "watch");

  private FleetAccess() {}

  /** Only a kubernetes-source fleet talks to the API server; a repository fleet has no account of its own. */
  public static boolean needed(GatewayCluster fleet) {
    return FleetDeployment.source(fleet) == FleetSource.KUBERNETES;
  }

  public static ServiceAccount serviceAccount(GatewayCluster fleet) {
    return new ServiceAccountBuilder()
        .withMetadata(FleetDeployment.metadata(fleet)
            .withName(Names.fleetServiceAccount(fleet.getMetadata().getName())).build())
        // The token is mounted by the pod spec (automountServiceAccountToken), for the fleet's pods only.
        .withAutomountServiceAccountToken(false)
        .build();
  }

  public static Role role(GatewayCluster fleet, String namespace) {
    return new RoleBuilder()
        .withMetadata(metadata(fleet, namespace).build())
        .addNewRule().withApiGroups("").withResources("configmaps").withVerbs(VERBS).endRule()
        .build();
  }

  public static RoleBinding roleBinding(GatewayCluster fleet, String namespace) {
    String name = Names.fleetBundleReader(fleet.getMetadata().getNamespace(), fleet.getMetadata().getName());
    return new RoleBindingBuilder()
        .withMetadata(metadata(fleet, namespace).build())
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(Names.fleetServiceAccount(fleet.getMetadata().getName()))
          .withNamespace(fleet.getMetadata().getNamespace()).endSubject()
        .build();
  }

  /** The label value that marks this fleet's Roles and RoleBindings. */
  public static String fleetLabel(GatewayCluster fleet) {
    return Names.labelValue(fleet.getMetadata().getNamespace() + "." + fleet.getMetadata().getName());
  }

  private static ObjectMetaBuilder metadata(GatewayCluster fleet, String namespace) {
    Map<String, String> labels = new LinkedHashMap<>(FleetDeployment.labels(fleet));
    labels.put(LABEL_FLEET, fleetLabel(fleet));
    ObjectMetaBuilder metadata = new ObjectMetaBuilder()
        .withName(Names.fleetBundleReader(fleet.getMetadata().getNamespace(), fleet.getMetadata().getName()))
        .withNamespace(namespace)
        .withLabels(labels);
    if (namespace.equals(fleet.getMetadata().getNamespace())) {
      metadata.withOwnerReferences(FleetDeployment.owner(fleet));
    }
    return metadata;
  }
}
