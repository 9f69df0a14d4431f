package dev.gantry.operator.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * Where the {@link Applier} reads an object as it is now, and whom it tells what it wrote. An
 * informer the operator already runs saves the GET before every apply (at a thousand APIs, three
 * requests in fifteen); the API server itself is the fallback for kinds no informer watches.
 */
public interface CurrentObjects<T extends HasMetadata> {
  Optional<T> get(String namespace, String name);

  /** Called with the object about to be sent; @param previous what it will replace, null for a create */
  void beforeWrite(T desired, T previous);

  /** @param previous what the write replaced; null for a create */
  void written(T written, T previous);

  /**
   * From a JOSDK informer. Our own writes go into its temporary cache, so a reconcile that comes
   * before the informer has seen them reads what we wrote, not what was there (which would send a
   * create that fails or an update with an old resourceVersion). The informer's echo of our own
   * write must not wake the reconciler again (at a thousand APIs that was a second, useless
   * reconcile of nearly every one): the temporary cache alone misses the echo that arrives before
   * the write's answer, so the object also carries JOSDK's "previous" annotation, which names this
   * informer and the version replaced, and the informer drops the event it recognises.
   */
  static <T extends HasMetadata> CurrentObjects<T> informer(InformerEventSource<T, ?> source) {
    return new CurrentObjects<>() {
      @Override
      public Optional<T> get(String namespace, String name) {
        return source.get(new ResourceID(name, namespace));
      }

      @Override
      public void beforeWrite(T desired, T previous) {
        source.addPreviousAnnotation(previous == null ? null : previous.getMetadata().getResourceVersion(), desired);
      }

      @Override
      public void written(T written, T previous) {
        if (previous == null) {
          source.handleRecentResourceCreate(ResourceID.fromResource(written), written);
        } else {
          source.handleRecentResourceUpdate(ResourceID.fromResource(written), written, previous);
        }
      }
    };
  }

  /** A GET per read, for kinds without an informer. */
  static <T extends HasMetadata> CurrentObjects<T> server(KubernetesClient client, Class<T> kind) {
    return new CurrentObjects<>() {
      @Override
      public Optional<T> get(String namespace, String name) {
        return Optional.ofNullable(client.resources(kind).inNamespace(namespace).withName(name).get());
      }

      @Override
      public void beforeWrite(T desired, T previous) {
        // No informer to tell.
      }

      @Override
      public void written(T written, T previous) {
        // Nothing remembers it: the next read asks the API server again.
      }
    };
  }
}
