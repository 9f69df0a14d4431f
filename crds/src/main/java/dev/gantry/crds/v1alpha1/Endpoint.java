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

/** A backend that API operations route to, named by the OpenAPI definition's vendor extensions. */
@Group(GantryResources.GROUP)
@Version(GantryResources.VERSION)
@Kind("Endpoint")
@Plural("endpoints")
@Singular("endpoint")
@ShortNames("gep")
@AdditionalPrinterColumn(name = "URLs", jsonPath = ".spec.urls", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Endpoint extends CustomResource<EndpointSpec, EndpointStatus> implements Namespaced {

  public Endpoint() {
  }

  public Endpoint(String namespace, String name, EndpointSpec spec) {
    setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    setSpec(spec);
  }
}
