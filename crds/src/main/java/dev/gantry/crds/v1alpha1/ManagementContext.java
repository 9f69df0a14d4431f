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
 * Where the central management repository (PostgreSQL) is, how to log in to it, and which
 * environment of it this cluster publishes to and loads from. Kind {@code ManagementContext}.
 */
@Group(GantryResources.GROUP)
@Version(GantryResources.VERSION)
@Kind("ManagementContext")
@Plural("managementcontexts")
@Singular("managementcontext")
@ShortNames("gmc")
@AdditionalPrinterColumn(name = "Environment", jsonPath = ".spec.environment", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ManagementContext extends CustomResource<ManagementContextSpec, ManagementContextStatus>
    implements Namespaced {

  public ManagementContext() {
  }

  public ManagementContext(String namespace, String name, ManagementContextSpec spec) {
    setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    setSpec(spec);
  }
}
