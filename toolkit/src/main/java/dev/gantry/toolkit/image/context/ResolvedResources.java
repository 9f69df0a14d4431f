package dev.gantry.toolkit.image.context;

import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.Security;
import dev.gantry.toolkit.resolve.ResolvedApi;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The resources a resolved API uses, written back as one multi-document YAML file: only the
 * names and specs, in the resolver's sorted order, so the same API always gives the same bytes.
 * Specs hold Secret references, never Secret values.
 */
final class ResolvedResources {
  private ResolvedResources() {}

  static byte[] yaml(ResolvedApi api) {
    List<HasMetadata> resources = new ArrayList<>();
    api.endpoints().forEach((name, spec) -> {
      Endpoint endpoint = new Endpoint();
      endpoint.setSpec(spec);
      resources.add(named(endpoint, name));
    });
    api.rateLimits().forEach((name, spec) -> {
      RateLimit rateLimit = new RateLimit();
      rateLimit.setSpec(spec);
      resources.add(named(rateLimit, name));
    });
    api.securities().forEach((name, spec) -> {
      Security security = new Security();
      security.setSpec(spec);
      resources.add(named(security, name));
    });
    StringBuilder out = new StringBuilder();
    for (HasMetadata resource : resources) {
      // asYaml starts each document with "---".
      out.append(Serialization.asYaml(resource));
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static HasMetadata named(HasMetadata resource, String name) {
    resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
    return resource;
  }
}
