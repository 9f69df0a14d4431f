package dev.gantry.operator.status;

import dev.gantry.crds.v1alpha1.GantryStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sets Kubernetes-style conditions on a status. A condition keeps its lastTransitionTime while
 * its status stays the same (only reason or message changed), as the API conventions ask; every
 * write stamps the generation it describes. Time comes from an injected clock so tests are exact.
 */
public final class Conditions {
  public static final String ACCEPTED = "Accepted";
  public static final String RESOLVED_REFS = "ResolvedRefs";
  public static final String BUILT = "Built";
  public static final String DEPLOYED = "Deployed";
  public static final String READY = "Ready";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = clock;
  }

  /** Sets (adds or replaces) the condition of this type; returns true if anything changed. */
  public boolean set(GantryStatus status, long generation, String type, String value, String reason, String message) {
    List<Condition> conditions = status.getConditions() == null ? new ArrayList<>() : new ArrayList<>(status.getConditions());
    Optional<Condition> existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    String transition = existing.filter(c -> value.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElseGet(this::now);
    Condition condition = new ConditionBuilder()
        .withType(type).withStatus(value).withReason(reason).withMessage(message)
        .withObservedGeneration(generation).withLastTransitionTime(transition)
        .build();
    if (existing.isPresent() && existing.get().equals(condition)) {
      return false;
    }
    existing.ifPresentOrElse(old -> conditions.set(conditions.indexOf(old), condition), () -> conditions.add(condition));
    status.setConditions(conditions);
    status.setObservedGeneration(generation);
    return true;
  }

  public static Optional<Condition> find(GantryStatus status, String type) {
    return status.getConditions() == null ? Optional.empty()
        : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(GantryStatus status, String type) {
    return find(status, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  /** RFC 3339 in whole seconds, as Kubernetes writes metav1.Time. */
  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
  }
}
