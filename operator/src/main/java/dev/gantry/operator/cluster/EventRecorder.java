package dev.gantry.operator.cluster;

import dev.gantry.operator.status.StatusChanges;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about a resource, as {@code kubectl describe} shows them. An Event that
 * cannot be written is logged and dropped: it must never fail the reconcile that reports it.
 */
public final class EventRecorder {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  static final String COMPONENT = "gantry-operator";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The one Event of a reconcile whose conditions changed ({@link StatusChanges#summarize}); none otherwise. */
  public void record(HasMetadata about, StatusChanges changes) {
    changes.summary().ifPresent(s -> record(about, s.warning() ? WARNING : NORMAL, s.reason(), s.message()));
  }

  /** {@code message} already fits the API server's limit ({@link StatusChanges#MAX_MESSAGE}). */
  private void record(HasMetadata about, String type, String reason, String message) {
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    var meta = about.getMetadata();
    var event = new EventBuilder()
        .withNewMetadata()
          .withName(meta.getName() + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
          .withNamespace(meta.getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(about.getApiVersion()).withKind(about.getKind())
          .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid())
          .withResourceVersion(meta.getResourceVersion())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} on {}/{}: {}", reason, about.getKind(), meta.getName(), e.getMessage());
    }
  }
}
