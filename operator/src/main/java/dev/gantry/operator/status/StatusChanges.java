package dev.gantry.operator.status;

import dev.gantry.crds.v1alpha1.GantryStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * One reconcile's condition writes on one status: sets them through {@link Conditions} and keeps
 * the transitions (a condition that is new or whose value or reason changed), so the reconciler can
 * write exactly one Event per transition and none when nothing changed.
 */
public final class StatusChanges {
  /** A condition that changed its value in this reconcile. */
  public record Transition(String type, String value, String reason, String message) {}

  private final Conditions conditions;
  private final GantryStatus status;
  private final long generation;
  private final List<Transition> transitions = new ArrayList<>();

  public StatusChanges(Conditions conditions, GantryStatus status, long generation) {
    this.conditions = conditions;
    this.status = status;
    this.generation = generation;
  }

  public void set(String type, String value, String reason, String message) {
    // A new reason is news too (a different problem, a build that went from Building to failed).
    String before = Conditions.find(status, type).map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
    conditions.set(status, generation, type, value, reason, message);
    if (!(value + "/" + reason).equals(before)) {
      transitions.add(new Transition(type, value, reason, message));
    }
  }

  public void setTrue(String type, String reason, String message) {
    set(type, Conditions.TRUE, reason, message);
  }

  public void setFalse(String type, String reason, String message) {
    set(type, Conditions.FALSE, reason, message);
  }

  public List<Transition> transitions() {
    return List.copyOf(transitions);
  }
}
