package dev.gantry.operator.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which APIs reference which resources, from each API's last reconcile, so that a change to an
 * Endpoint, RateLimit, Security, Secret or definition ConfigMap re-reconciles exactly the APIs that
 * use it, without a periodic full resync.
 *
 * <p>An API whose resolution failed cannot say what it would reference (the definition may not
 * even parse), so it is marked as interested in every resource of its namespace: creating the
 * missing Endpoint then wakes it up. Failing APIs are few; working ones are indexed by name.
 * Entries of deleted APIs stay until the name is reused; a stray event for a deleted API is
 * dropped by the framework, so this costs a little memory, never a wrong reconcile.
 */
public final class ReferenceIndex {
  /** A referenced resource. */
  public record Key(String kind, String namespace, String name) {}

  private final Map<ResourceID, Set<Key>> byApi = new HashMap<>();
  private final Map<Key, Set<ResourceID>> byReference = new HashMap<>();
  private final Map<ResourceID, Set<String>> wholeNamespace = new HashMap<>();

  /** Replaces what {@code api} references; {@code wildcardKinds} are kinds it wants every change of. */
  public synchronized void record(ResourceID api, Set<Key> references, Set<String> wildcardKinds) {
    Set<Key> old = byApi.remove(api);
    if (old != null) {
      for (Key key : old) {
        Set<ResourceID> apis = byReference.get(key);
        if (apis != null && apis.remove(api) && apis.isEmpty()) {
          byReference.remove(key);
        }
      }
    }
    byApi.put(api, Set.copyOf(references));
    references.forEach(key -> byReference.computeIfAbsent(key, k -> new HashSet<>()).add(api));
    if (wildcardKinds.isEmpty()) {
      wholeNamespace.remove(api);
    } else {
      wholeNamespace.put(api, Set.copyOf(wildcardKinds));
    }
  }

  public synchronized Set<ResourceID> apisReferencing(String kind, String namespace, String name) {
    Set<ResourceID> apis = new HashSet<>(byReference.getOrDefault(new Key(kind, namespace, name), Set.of()));
    wholeNamespace.forEach((api, kinds) -> {
      if (kinds.contains(kind) && namespace.equals(api.getNamespace().orElse(null))) {
        apis.add(api);
      }
    });
    return apis;
  }

  /** The mapper an informer of {@code kind} uses to find the APIs to reconcile. */
  public <R extends HasMetadata> SecondaryToPrimaryMapper<R> mapper(String kind) {
    return resource -> apisReferencing(kind, resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }
}
