package dev.gantry.toolkit.kubectl;

import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.Security;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The petstore sample's Endpoints, RateLimits, Securities and Secrets, created in a (mock) cluster. */
public final class SampleResources {
  public static final Path SAMPLE = Path.of("../samples/petstore");
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("Endpoint", Endpoint.class,
      "RateLimit", RateLimit.class, "Security", Security.class, "Secret", Secret.class);

  private SampleResources() {}

  public static void createIn(KubernetesClient client, String ns) throws IOException {
    for (String file : List.of("endpoints.yaml", "ratelimits.yaml", "security.yaml", "secrets.yaml")) {
      for (String document : Files.readString(SAMPLE.resolve("resources").resolve(file)).split("(?m)^---$")) {
        Map<?, ?> fields = Serialization.unmarshal(document, Map.class);
        if (fields == null) {
          continue;
        }
        HasMetadata resource = Serialization.unmarshal(document, KINDS.get((String) fields.get("kind")));
        resource.getMetadata().setNamespace(ns);
        client.resource(resource).create();
      }
    }
  }
}
