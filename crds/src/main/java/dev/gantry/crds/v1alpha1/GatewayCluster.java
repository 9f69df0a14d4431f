package dev.gantry.crds.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A fleet of shared gateways that serve every API whose {@code gateways} selector matches the
 * fleet's labels, loaded from bundle ConfigMaps or from the central repository. Kind {@code GatewayCluster}.
 */
@Group(GantryResources.GROUP)
@Version(GantryResources.VERSION)
@Kind("GatewayCluster")
@Plural("gatewayclusters")
@Singular("gatewaycluster")
@ShortNames("ggc")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Source", jsonPath = ".spec.source", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Zone", jsonPath = ".spec.zone", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class GatewayCluster extends CustomResource<GatewayClusterSpec, GatewayClusterStatus> implements Namespaced {

  public GatewayCluster() {
  }

  public GatewayCluster(String namespace, String name, GatewayClusterSpec spec) {
    setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    setSpec(spec);
  }
}
