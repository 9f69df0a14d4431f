package dev.gantry.toolkit.kubectl;

import dev.gantry.crds.v1alpha1.Api;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;

/**
 * Sends the ConfigMap and the API to the cluster and says what happened to each, as kubectl does
 * ({@code created}, {@code configured}, {@code unchanged}). The ConfigMap goes first, so the API
 * never names a missing one; it is then owned by the API, so deleting the API removes it.
 */
final class ApiWriter {
  private final KubernetesClient client;
  private final PrintWriter out;

  ApiWriter(KubernetesClient client, PrintWriter out) {
    this.client = client;
    this.out = out;
  }

  void write(ConfigMap desired, Api api, Api existing) {
    String namespace = desired.getMetadata().getNamespace();
    ConfigMap current = client.configMaps().inNamespace(namespace).withName(desired.getMetadata().getName()).get();
    List<OwnerReference> owners = existing == null ? List.of() : List.of(owner(existing));
    report("configmap/" + desired.getMetadata().getName(), writeConfigMap(desired, current, owners));

    String state;
    Api written;
    if (existing == null) {
      written = client.resource(api).create();
      state = "created";
    } else if (sameJson(existing.getSpec(), api.getSpec())) {
      written = existing;
      state = "unchanged";
    } else {
      // api carries existing's resourceVersion: a concurrent change fails with 409 instead of being lost.
      written = client.resource(api).update();
      state = "configured";
    }
    if (existing == null) {
      client.configMaps().inNamespace(namespace).withName(desired.getMetadata().getName())
          .edit(cm -> new io.fabric8.kubernetes.api.model.ConfigMapBuilder(cm).editMetadata()
              .withOwnerReferences(owner(written)).endMetadata().build());
    }
    report("api.gantry.dev/" + api.getMetadata().getName(), state);
  }

  private String writeConfigMap(ConfigMap desired, ConfigMap current, List<OwnerReference> owners) {
    if (current == null) {
      desired.getMetadata().setOwnerReferences(owners);
      client.resource(desired).create();
      return "created";
    }
    boolean sameOwners = owners.isEmpty() || owners.equals(current.getMetadata().getOwnerReferences());
    if (Objects.equals(current.getData(), desired.getData()) && sameOwners) {
      return "unchanged";
    }
    // Keep what others put on the ConfigMap (labels, annotations); replace data and our label.
    var metadata = new ObjectMetaBuilder(current.getMetadata())
        .addToLabels(desired.getMetadata().getLabels());
    if (!owners.isEmpty()) {
      metadata.withOwnerReferences(owners);
    }
    desired.setMetadata(metadata.build());
    desired.setBinaryData(current.getBinaryData());
    client.resource(desired).update();
    return "configured";
  }

  /** The CRD's POJOs have no equals(); their JSON trees do. */
  private static boolean sameJson(Object a, Object b) {
    var mapper = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
    return mapper.valueToTree(a).equals(mapper.valueToTree(b));
  }

  private void report(String object, String state) {
    out.println(object + " " + state);
    out.flush();
  }

  private static OwnerReference owner(Api api) {
    return new OwnerReferenceBuilder().withApiVersion(api.getApiVersion()).withKind(api.getKind())
        .withName(api.getMetadata().getName()).withUid(api.getMetadata().getUid())
        .withBlockOwnerDeletion(true).build();
  }
}
