package dev.gantry.operator.status;

import dev.gantry.crds.v1alpha1.GantryStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One reconcile's condition writes on one status: sets them through {@link Conditions} and keeps
 * the transitions (a condition that is new or whose value or reason changed), so the reconciler can
 * report them in one Event ({@link #summary()}) and write none when nothing changed.
 */
public final class StatusChanges {
  /** The API server refuses Event messages over 1 KiB. */
  public static final int MAX_MESSAGE = 1024;
  private static final String CUT = " …";

  /** A condition that changed its value in this reconcile. */
  public record Transition(String type, String value, String reason, String message) {}

  /** What the one Event of a reconcile says: Warning or Normal, its reason, its message (fits the limit). */
  public record Summary(boolean warning, String reason, String message) {}

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

  /** This reconcile's transitions as one Event; empty when no condition changed. */
  public Optional<Summary> summary() {
    return summarize(transitions);
  }

  /**
   * One Event for a reconcile's transitions, because every Event is a write the API server stores
   * for an hour and a reconcile that deploys an API makes five transitions. A transition to False is
   * what a user must see: the first one gives a Warning its reason, and the message starts with that
   * condition's own message. Otherwise the Event is Normal with the reason of the furthest step
   * reached (the last transition; Unknown, as in Building, is progress). The message names every
   * transition, so nothing the per-transition Events said is lost but the reasons of the others.
   */
  public static Optional<Summary> summarize(List<Transition> transitions) {
    if (transitions.isEmpty()) {
      return Optional.empty();
    }
    Optional<Transition> failed = transitions.stream().filter(t -> Conditions.FALSE.equals(t.value())).findFirst();
    if (transitions.size() == 1) {
      Transition only = transitions.get(0);
      return Optional.of(new Summary(failed.isPresent(), only.reason(), fit(only.type() + ": " + only.message(), "")));
    }
    String names = transitions.stream().map(StatusChanges::name).collect(Collectors.joining(", "));
    if (failed.isPresent()) {
      Transition first = failed.get();
      return Optional.of(new Summary(true, first.reason(),
          fit(first.type() + ": " + first.message(), "\n(this reconcile: " + names + ")")));
    }
    Transition last = transitions.get(transitions.size() - 1);
    return Optional.of(new Summary(false, last.reason(), fit(names + ": " + last.message(), "")));
  }

  /**
   * "Deployed", "Built (AlreadyBuilt)", "Ready=False (PodsNotReady)": the value when it is not True,
   * the reason unless the type already says it (Accepted/Accepted, ResolvedRefs/Resolved).
   */
  static String name(Transition t) {
    String value = Conditions.TRUE.equals(t.value()) ? "" : "=" + t.value();
    return t.type() + value + (t.type().startsWith(t.reason()) ? "" : " (" + t.reason() + ")");
  }

  /** {@code head + tail} within {@link #MAX_MESSAGE}, cutting the head so that the tail survives. */
  static String fit(String head, String tail) {
    if (head.length() + tail.length() <= MAX_MESSAGE) {
      return head + tail;
    }
    if (tail.length() > MAX_MESSAGE / 2) { // not seen: a reconcile makes at most a handful of transitions
      return (head + tail).substring(0, MAX_MESSAGE - CUT.length()) + CUT;
    }
    return head.substring(0, MAX_MESSAGE - CUT.length() - tail.length()) + CUT + tail;
  }
}
