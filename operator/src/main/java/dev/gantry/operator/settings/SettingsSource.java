package dev.gantry.operator.settings;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The settings ConfigMap, read from an informer rather than with a GET per reconcile (at a thousand
 * APIs that GET was one API-server request in fifteen). A reconciler that needs settings registers
 * {@link #eventSource} (one watch, on that one ConfigMap by name) and reads them with
 * {@link #get(Context)}. Every change of the ConfigMap wakes every resource of that reconciler: an
 * edit (a wrong registry fixed, a new default exposure) reaches all APIs at once, without a restart,
 * and a missing or wrong ConfigMap is a condition on the APIs, not a crash at start-up.
 */
public final class SettingsSource {
  public static final String DEFAULT_NAME = "gantry-operator-settings";
  /** Name of the event source in each reconciler that registers it. */
  public static final String EVENT_SOURCE = "settings";

  private final String namespace;
  private final String name;
  /** The last parse, by the ConfigMap's uid and resourceVersion: reconciles between two edits share it. */
  private volatile Parsed last;

  private record Parsed(String version, SettingsParser.Result result) {}

  public SettingsSource(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  /** Where the settings live, as the messages name it. */
  public String location() {
    return "ConfigMap " + namespace + "/" + name;
  }

  /** The informer on the settings ConfigMap for one reconciler; a change maps to all of its primaries. */
  public <P extends HasMetadata> InformerEventSource<ConfigMap, P> eventSource(EventSourceContext<P> context,
                                                                              Class<P> primary) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, primary)
        .withName(EVENT_SOURCE)
        .withNamespaces(Set.of(namespace))
        .withFieldSelector(new FieldSelector(new FieldSelector.Field("metadata.name", name)))
        .withSecondaryToPrimaryMapper(map -> context.getPrimaryCache().list()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
  }

  /** The settings as the reconciler's informer holds them now. */
  public SettingsParser.Result get(Context<?> context) {
    @SuppressWarnings("unchecked")
    var source = (InformerEventSource<ConfigMap, ?>) context.eventSourceRetriever()
        .getEventSourceFor(ConfigMap.class, EVENT_SOURCE);
    return parse(source.get(new ResourceID(name, namespace)));
  }

  SettingsParser.Result parse(Optional<ConfigMap> map) {
    if (map.isEmpty()) {
      return SettingsParser.Result.failed(location() + " does not exist; install operator/deploy or create it");
    }
    String version = map.get().getMetadata().getUid() + "/" + map.get().getMetadata().getResourceVersion();
    Parsed known = last;
    if (known != null && known.version().equals(version)) {
      return known.result();
    }
    SettingsParser.Result result = SettingsParser.parse(map.get().getData());
    last = new Parsed(version, result);
    return result;
  }
}
