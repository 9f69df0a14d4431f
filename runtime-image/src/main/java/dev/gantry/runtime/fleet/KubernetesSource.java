package dev.gantry.runtime.fleet;

import dev.gantry.runtime.config.ConfigException;
import dev.gantry.runtime.config.ConfigLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Keeps a fleet gateway in step with the bundle ConfigMaps ({@code gantry.dev/bundle=true}) of
 * local APIs in its namespaces: one informer per namespace (a fleet is granted a Role in each,
 * never cluster-wide access), every change handled on one thread by re-reading the informer's
 * store, so what is served follows the current ConfigMaps whatever order events came in.
 *
 * <p>Like the repository source it serves its disk cache first, so a gateway restarted while the
 * API server is unreachable still serves; a bundle that fails to decode, verify or load leaves the
 * previous one serving (and cached). The only class path entry point to fabric8 is
 * {@link #start}: nothing loads it unless a fleet runs with {@code --source kubernetes}.
 */
public final class KubernetesSource implements AutoCloseable {
  private final KubernetesClient client;
  private final Map<String, String> fleetLabels;
  private final FleetGateway gateway;
  private final BundleCache cache;
  private final ConfigLoader loader;
  private final Path secretsDir;
  private final Consumer<String> log;
  private final Map<String, SharedIndexInformer<ConfigMap>> informers = new LinkedHashMap<>();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "gantry-kubernetes");
    thread.setDaemon(true);
    return thread;
  });
  // Only the worker thread touches what follows.
  private final Map<String, String> handledVersions = new HashMap<>(); // ConfigMap key → resourceVersion handled
  private final Map<String, String> apis = new HashMap<>(); // ConfigMap key → gateway key of its API
  private final Set<String> syncedNamespaces = new HashSet<>();
  private final Set<String> failingNamespaces = new HashSet<>();
  private boolean servedFromCache;
  private boolean ready;
  private long revision;

  private KubernetesSource(KubernetesClient client, Map<String, String> fleetLabels, FleetGateway gateway,
                           BundleCache cache, ConfigLoader loader, Path secretsDir, Consumer<String> log) {
    this.client = client;
    this.fleetLabels = Map.copyOf(fleetLabels);
    this.gateway = gateway;
    this.cache = cache;
    this.loader = loader;
    this.secretsDir = secretsDir;
    this.log = log;
  }

  /**
   * Serves the cache, then watches bundle ConfigMaps in {@code namespaces} with the client fabric8
   * configures from the environment (KUBECONFIG, ~/.kube/config, or the pod's service account).
   * Returns at once; the gateway turns ready when every namespace has been listed and loaded, or,
   * when the API server cannot be reached, as soon as it serves its cache.
   */
  public static AutoCloseable start(List<String> namespaces, Map<String, String> fleetLabels, FleetGateway gateway,
                                    BundleCache cache, ConfigLoader loader, Path secretsDir, Consumer<String> log) {
    Config config = Config.autoConfigure(null);
    // The informers reconnect with their own back-off; the client's retries of each request on top
    // (10 by default) only delayed the first "cannot list" by ~20 s, and with it readiness from the cache.
    config.setRequestRetryBackoffLimit(1);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    KubernetesSource source = new KubernetesSource(client, fleetLabels, gateway, cache, loader, secretsDir, log);
    source.serveCache();
    log.accept("watching bundle ConfigMaps in " + String.join(", ", namespaces) + " at "
        + client.getConfiguration().getMasterUrl());
    for (String namespace : namespaces) {
      source.watch(namespace);
    }
    return source;
  }

  private void serveCache() {
    try {
      for (BundleCache.Entry entry : cache.entries()) {
        servedFromCache |= load(entry, null);
      }
    } catch (IOException e) {
      log.accept("cannot read the bundle cache: " + e.getMessage());
    }
  }

  private void watch(String namespace) {
    SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(namespace)
        .withLabel(KubernetesBundle.LABEL_BUNDLE, "true").runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap map) {
        worker.execute(() -> reconcile(Cache.metaNamespaceKeyFunc(map)));
      }

      @Override
      public void onUpdate(ConfigMap before, ConfigMap after) {
        worker.execute(() -> reconcile(Cache.metaNamespaceKeyFunc(after)));
      }

      @Override
      public void onDelete(ConfigMap map, boolean finalStateUnknown) {
        worker.execute(() -> reconcile(Cache.metaNamespaceKeyFunc(map)));
      }
    });
    // Keep retrying whatever the error (the API server may come back, a Role may be granted later),
    // but say so once per outage, with what the user can do about it.
    informer.exceptionHandler((started, error) -> {
      worker.execute(() -> failing(namespace, error));
      return true;
    });
    informers.put(namespace, informer);
    informer.start().whenComplete((ok, error) -> worker.execute(() -> {
      if (error == null) {
        synced(namespace);
      } else {
        failing(namespace, error);
      }
    }));
  }

  /** Makes the gateway serve what the ConfigMap with this key says now (gone: nothing). */
  private void reconcile(String key) {
    try {
      reconcileNow(key);
    } catch (RuntimeException e) {
      // A bug or a ConfigMap shaped like nothing expected: the gateway goes on with what it serves.
      log.accept("cannot handle ConfigMap " + key + ": " + e);
    }
  }

  private void reconcileNow(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    ConfigMap map = informers.get(namespace).getStore().getByKey(key);
    if (map == null) {
      handledVersions.remove(key);
      String api = apis.remove(key);
      if (api != null) {
        unload(api, "its ConfigMap " + key + " was deleted");
      }
      return;
    }
    if (map.getMetadata().getResourceVersion().equals(handledVersions.get(key))) {
      return; // already served, or already known bad: the same version is not retried
    }
    KubernetesBundle.Decoded decoded = KubernetesBundle.decode(map, fleetLabels);
    String previous = apis.put(key, decoded.api());
    if (previous != null && !previous.equals(decoded.api())) {
      unload(previous, "its ConfigMap " + key + " now carries " + decoded.api());
    }
    if (decoded instanceof KubernetesBundle.Serve serve) {
      if (serve(serve, key)) {
        handledVersions.put(key, map.getMetadata().getResourceVersion());
      }
    } else if (decoded instanceof KubernetesBundle.NotServed notServed) {
      handledVersions.put(key, map.getMetadata().getResourceVersion());
      unload(notServed.api(), notServed.why());
    } else if (decoded instanceof KubernetesBundle.Invalid invalid) {
      handledVersions.put(key, map.getMetadata().getResourceVersion());
      log.accept("cannot serve ConfigMap " + key + " (API " + invalid.api() + "), "
          + (gateway.loaded().containsKey(invalid.api()) ? "the previous bundle keeps serving" : "not served")
          + ": " + String.join("; ", invalid.problems()));
    }
  }

  /** Stages, loads and only then caches and serves; true when done or hopeless, false to retry on the next event. */
  private boolean serve(KubernetesBundle.Serve serve, String key) {
    FleetGateway.Loaded current = gateway.loaded().get(serve.api());
    try (BundleCache.Staged staged = cache.stage(serve.release(++revision))) {
      if (load(staged.entry(), key)) {
        staged.commit();
      }
      return true;
    } catch (IOException e) {
      log.accept("cannot cache ConfigMap " + key + " (API " + serve.api() + "): " + e.getMessage()
          + (current != null ? "; the previous bundle keeps serving" : ""));
      return false;
    }
  }

  /** Serves a bundle folder; false (logged, the previous bundle serving) when it cannot be built. */
  private boolean load(BundleCache.Entry entry, String key) {
    String origin = key == null ? " from the cache" : " from ConfigMap " + key;
    try {
      gateway.put(entry.name(), entry.revision(), loader.load(entry.bundleDir(), entry.environmentFile(), secretsDir));
      log.accept("serving " + entry.name() + " " + entry.bundleDigest() + origin);
      return true;
    } catch (ConfigException e) {
      log.accept("cannot serve " + entry.name() + origin + ": " + String.join("; ", e.problems()));
    } catch (RuntimeException e) {
      log.accept("cannot serve " + entry.name() + origin + ": " + e);
    }
    return false;
  }

  private void unload(String api, String why) {
    if (gateway.loaded().containsKey(api)) {
      gateway.remove(api);
      log.accept("unloaded " + api + ": " + why);
    }
    try {
      cache.remove(api);
    } catch (IOException e) {
      log.accept("cannot drop " + api + " from the cache: " + e.getMessage());
    }
  }

  private void synced(String namespace) {
    if (failingNamespaces.remove(namespace)) {
      log.accept("listing bundle ConfigMaps in " + namespace + " works again");
    }
    if (!syncedNamespaces.add(namespace) || syncedNamespaces.size() < informers.size()) {
      return;
    }
    // Every namespace is listed: serve exactly those ConfigMaps, dropping cached APIs whose
    // ConfigMap went away while this gateway was not watching.
    Set<String> present = new HashSet<>();
    informers.values().forEach(informer -> informer.getStore().list().forEach(map -> {
      String key = Cache.metaNamespaceKeyFunc(map);
      reconcile(key);
      present.add(KubernetesBundle.api(map));
    }));
    for (String api : gateway.loaded().keySet()) {
      if (!present.contains(api)) {
        unload(api, "no bundle ConfigMap carries it any more");
      }
    }
    becomeReady("loaded the bundle ConfigMaps of " + String.join(", ", informers.keySet()));
  }

  private void failing(String namespace, Throwable error) {
    if (failingNamespaces.add(namespace)) {
      log.accept("cannot list or watch bundle ConfigMaps in " + namespace + " at "
          + client.getConfiguration().getMasterUrl() + ": " + describe(error)
          + (gateway.loaded().isEmpty() ? "" : "; serving the last known APIs") + "; retrying");
    }
    if (servedFromCache) {
      becomeReady("the API server is not answering; serving " + gateway.loaded().size() + " APIs from the cache");
    }
  }

  private void becomeReady(String why) {
    if (!ready) {
      ready = true;
      gateway.sourceReady();
      log.accept("ready: " + why);
    }
  }

  private static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 403) {
        return "forbidden (" + k.getMessage() + "); the fleet's ServiceAccount needs get, list and watch on "
            + "configmaps in this namespace (the operator grants it with a Role and RoleBinding)";
      }
    }
    // The outermost message says what was tried, the innermost why (often only its class: ConnectException).
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    return root == error || error.getMessage() == null ? why : error.getMessage() + " (" + why + ")";
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::stop);
    worker.shutdownNow();
    client.close();
  }
}
