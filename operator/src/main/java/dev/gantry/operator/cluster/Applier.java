package dev.gantry.operator.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Creates or updates one desired object, and writes nothing when it is already as desired.
 *
 * <p>Why a hash annotation instead of comparing specs: a real API server fills defaults into what
 * we send (Deployment strategy, Service clusterIP, probes' timeouts…), so a field-by-field compare
 * would see a difference every time and rewrite every object at every reconcile. The hash of what
 * we last sent says whether our intent changed. Server-side apply would do this for us, but the
 * test API server (fabric8's mock) does not support it, and the operator must run unchanged on both.
 */
public final class Applier {
  public static final String ANNOTATION_DESIRED = "gantry.dev/desired-sha256";

  private final KubernetesClient client;

  public Applier(KubernetesClient client) {
    this.client = client;
  }

  /** What apply did, for tests and logs. */
  public enum Result { CREATED, UPDATED, UNCHANGED }

  /** Reads the current object from the API server (a GET); see {@link #apply(HasMetadata, CurrentObjects)}. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> Result apply(T desired) {
    return apply(desired, CurrentObjects.server(client, (Class<T>) desired.getClass()));
  }

  /** Creates or updates {@code desired}, reading what is there now from {@code current}. */
  public <T extends HasMetadata> Result apply(T desired, CurrentObjects<T> current) {
    String hash = hash(desired);
    desired.getMetadata().getAnnotations().put(ANNOTATION_DESIRED, hash);
    var meta = desired.getMetadata();
    Optional<T> existing = current.get(meta.getNamespace(), meta.getName());
    if (existing.isEmpty()) {
      try {
        current.beforeWrite(desired, null);
        current.written(client.resource(desired).create(), null);
        return Result.CREATED;
      } catch (KubernetesClientException e) {
        // 409 AlreadyExists: the cache is behind the API server, or does not hold the object (an
        // informer filtered by our labels, an object made without them). The API server decides.
        existing = e.getCode() == HttpURLConnection.HTTP_CONFLICT
            ? Optional.ofNullable(client.resource(desired).get()) : Optional.empty();
        if (existing.isEmpty()) {
          throw e;
        }
      }
    }
    var annotations = existing.get().getMetadata().getAnnotations();
    if (annotations != null && hash.equals(annotations.get(ANNOTATION_DESIRED))) {
      return Result.UNCHANGED;
    }
    // Optimistic lock on what we read: a concurrent writer (or a cache behind the API server) makes
    // this fail (409) and the reconcile is retried, instead of one of the two writes being lost.
    meta.setResourceVersion(existing.get().getMetadata().getResourceVersion());
    current.beforeWrite(desired, existing.get());
    current.written(client.resource(desired).update(), existing.get());
    return Result.UPDATED;
  }

  /** Deletes the object if it exists (an HPA or Ingress the API no longer asks for). */
  public void deleteIfPresent(Class<? extends HasMetadata> kind, String namespace, String name) {
    client.resources(kind).inNamespace(namespace).withName(name).delete();
  }

  static String hash(HasMetadata desired) {
    if (desired.getMetadata().getAnnotations() == null) {
      desired.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
    }
    desired.getMetadata().getAnnotations().remove(ANNOTATION_DESIRED);
    byte[] bytes = Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
