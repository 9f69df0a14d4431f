package dev.gantry.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The Applier with a cache in front of a real-behaving API server (fabric8's mock, CRUD). */
@EnableKubernetesMockClient(crud = true)
class ApplierIT {
  static KubernetesClient client;

  static ConfigMap desired(String name, String value) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
        .withData(Map.of("k", value)).build();
  }

  /** A cache that answers what the test says and remembers what it was told. */
  static final class Cache implements CurrentObjects<ConfigMap> {
    final AtomicReference<ConfigMap> held = new AtomicReference<>();
    ConfigMap lastWritten;

    @Override
    public Optional<ConfigMap> get(String namespace, String name) {
      return Optional.ofNullable(held.get());
    }

    @Override
    public void beforeWrite(ConfigMap desired, ConfigMap previous) {
    }

    @Override
    public void written(ConfigMap written, ConfigMap previous) {
      lastWritten = written;
    }
  }

  @Test
  void aCacheMissForAnExistingObjectIsSettledByTheApiServerAndWritesNothingWhenUnchanged() {
    Applier applier = new Applier(client);
    Cache empty = new Cache();
    assertThat(applier.apply(desired("a", "1"), empty)).isEqualTo(Applier.Result.CREATED);
    assertThat(empty.lastWritten.getMetadata().getResourceVersion()).isNotNull(); // the created object, fed back
    String version = client.configMaps().inNamespace("ns").withName("a").get().getMetadata().getResourceVersion();

    // The cache has not seen the create (or filters it out): the create meets 409 AlreadyExists.
    assertThat(applier.apply(desired("a", "1"), new Cache())).isEqualTo(Applier.Result.UNCHANGED);
    assertThat(client.configMaps().inNamespace("ns").withName("a").get().getMetadata().getResourceVersion())
        .isEqualTo(version);
    assertThat(applier.apply(desired("a", "2"), new Cache())).isEqualTo(Applier.Result.UPDATED);
    assertThat(client.configMaps().inNamespace("ns").withName("a").get().getData()).containsEntry("k", "2");
  }

  @Test
  void anUpdateFromAStaleCacheIsA409ConflictNotALostWrite() {
    Applier applier = new Applier(client);
    applier.apply(desired("b", "1"));
    Cache stale = new Cache();
    stale.held.set(client.configMaps().inNamespace("ns").withName("b").get());
    client.configMaps().inNamespace("ns").withName("b").edit(m -> {
      m.getData().put("other", "writer");
      return m;
    });

    assertThatThrownBy(() -> applier.apply(desired("b", "2"), stale))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.configMaps().inNamespace("ns").withName("b").get().getData()).containsEntry("other", "writer");
  }
}
