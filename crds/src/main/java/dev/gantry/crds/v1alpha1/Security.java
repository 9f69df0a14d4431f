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

/** An authentication scheme that API definitions apply at API, path or operation level. */
@Group(GantryResources.GROUP)
@Version(GantryResources.VERSION)
@Kind("Security")
@Plural("securities")
@Singular("security")
@ShortNames("gsec")
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Security extends CustomResource<SecuritySpec, SecurityStatus> implements Namespaced {

  public Security() {
  }

  public Security(String namespace, String name, SecuritySpec spec) {
    setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    setSpec(spec);
  }
}
