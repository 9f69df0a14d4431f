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

/** A request quota that API definitions apply at API, path or operation level. */
@Group(GantryResources.GROUP)
@Version(GantryResources.VERSION)
@Kind("RateLimit")
@Plural("ratelimits")
@Singular("ratelimit")
@ShortNames("grl")
@AdditionalPrinterColumn(name = "Requests", jsonPath = ".spec.requests", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Per", jsonPath = ".spec.per", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Scope", jsonPath = ".spec.scope", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class RateLimit extends CustomResource<RateLimitSpec, RateLimitStatus> implements Namespaced {

  public RateLimit() {
  }

  public RateLimit(String namespace, String name, RateLimitSpec spec) {
    setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    setSpec(spec);
  }
}
