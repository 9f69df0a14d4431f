package dev.gantry.toolkit.kubectl;

import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.Security;
import dev.gantry.toolkit.resolve.ResourceSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Endpoint, RateLimit and Security resources of a namespace (and the key names of its
 * Secrets, never their values) as a {@link ResourceSet}, so a definition is checked against the
 * cluster with the same resolver and the same messages as {@code gantry validate} on files.
 */
public final class ClusterResources {
  private ClusterResources() {}

  public static ResourceSet load(KubernetesClient client, String namespace) {
    ResourceSet resources = new ResourceSet();
    addAll(resources, client.resources(Endpoint.class).inNamespace(namespace).list().getItems(), namespace);
    addAll(resources, client.resources(RateLimit.class).inNamespace(namespace).list().getItems(), namespace);
    addAll(resources, client.resources(Security.class).inNamespace(namespace).list().getItems(), namespace);
    try {
      for (Secret secret : client.secrets().inNamespace(namespace).list().getItems()) {
        Set<String> keys = new TreeSet<>();
        if (secret.getData() != null) {
          keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
          keys.addAll(secret.getStringData().keySet());
        }
        resources.addSecret(secret.getMetadata().getName(), keys, source(secret, namespace));
      }
      resources.markSecretsKnown();
    } catch (KubernetesClientException e) {
      // Many users may not list Secrets; their references are then checked by the operator.
      if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) {
        throw e;
      }
    }
    return resources;
  }

  private static void addAll(ResourceSet resources, Iterable<? extends HasMetadata> items, String namespace) {
    for (HasMetadata item : items) {
      resources.add(item, item.getMetadata().getName(), source(item, namespace));
    }
  }

  private static String source(HasMetadata item, String namespace) {
    return item.getKind() + "/" + item.getMetadata().getName() + " (namespace " + namespace + ")";
  }
}
