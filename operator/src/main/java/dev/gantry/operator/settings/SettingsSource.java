package dev.gantry.operator.settings;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Supplier;

/**
 * Reads the settings ConfigMap at every reconcile (one GET): an edit takes effect on the next
 * reconcile without a restart, and a missing or wrong ConfigMap is a condition on the APIs, not a
 * crash at start-up.
 */
public final class SettingsSource implements Supplier<SettingsParser.Result> {
  public static final String DEFAULT_NAME = "gantry-operator-settings";

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public SettingsSource(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /** Where the settings live, as the messages name it. */
  public String location() {
    return "ConfigMap " + namespace + "/" + name;
  }

  @Override
  public SettingsParser.Result get() {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null) {
      return SettingsParser.Result.failed(location() + " does not exist; install operator/deploy or create it");
    }
    return SettingsParser.parse(map.getData());
  }
}
