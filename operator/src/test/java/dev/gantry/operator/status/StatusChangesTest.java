package dev.gantry.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.ApiStatus;
import dev.gantry.operator.status.StatusChanges.Summary;
import dev.gantry.operator.status.StatusChanges.Transition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule that turns one reconcile's condition transitions into its one Event. */
class StatusChangesTest {
  static final Transition ACCEPTED = new Transition("Accepted", "True", "Accepted", "the operator handles this API");
  static final Transition RESOLVED = new Transition("ResolvedRefs", "True", "Resolved", "1 operations, every reference found");
  static final Transition SKIPPED = new Transition("Built", "True", "AlreadyBuilt", "r/api:1 holds this bundle");
  static final Transition DEPLOYED = new Transition("Deployed", "True", "Deployed", "Deployment api-gateway runs r/api@sha256:1");
  static final Transition NOT_READY = new Transition("Ready", "False", "PodsNotReady", "0/1 pods ready");

  @Test
  void noTransitionNoEvent() {
    assertThat(StatusChanges.summarize(List.of())).isEmpty();
  }

  @Test
  void oneTransitionReadsAsItsOwnEventDid() {
    assertThat(StatusChanges.summarize(List.of(DEPLOYED))).contains(
        new Summary(false, "Deployed", "Deployed: Deployment api-gateway runs r/api@sha256:1"));
    assertThat(StatusChanges.summarize(List.of(NOT_READY))).contains(
        new Summary(true, "PodsNotReady", "Ready: 0/1 pods ready"));
  }

  @Test
  void aReconcileThatGetsFurtherIsNormalWithTheReasonOfTheLastStepAndNamesEveryStep() {
    assertThat(StatusChanges.summarize(List.of(ACCEPTED, RESOLVED, SKIPPED, DEPLOYED))).contains(new Summary(false,
        "Deployed", "Accepted, ResolvedRefs, Built (AlreadyBuilt), Deployed: Deployment api-gateway runs r/api@sha256:1"));
  }

  @Test
  void anUnknownStepIsProgressNotAWarning() {
    Transition building = new Transition("Built", "Unknown", "Building", "Kaniko Job api-build-1 is running");
    assertThat(StatusChanges.summarize(List.of(ACCEPTED, RESOLVED, building))).contains(new Summary(false,
        "Building", "Accepted, ResolvedRefs, Built=Unknown (Building): Kaniko Job api-build-1 is running"));
  }

  @Test
  void anyFalseMakesAWarningWithTheFirstFalseReasonAndItsMessageFirst() {
    Transition badSettings = new Transition("Accepted", "False", "InvalidSettings", "settings: registry is missing");
    Transition notBuilt = new Transition("Built", "False", "InvalidSettings", "settings: registry is missing");
    assertThat(StatusChanges.summarize(List.of(badSettings, notBuilt))).contains(new Summary(true, "InvalidSettings",
        "Accepted: settings: registry is missing\n"
            + "(this reconcile: Accepted=False (InvalidSettings), Built=False (InvalidSettings))"));

    assertThat(StatusChanges.summarize(List.of(ACCEPTED, RESOLVED, SKIPPED, DEPLOYED, NOT_READY))).contains(
        new Summary(true, "PodsNotReady", "Ready: 0/1 pods ready\n"
            + "(this reconcile: Accepted, ResolvedRefs, Built (AlreadyBuilt), Deployed, Ready=False (PodsNotReady))"));
  }

  @Test
  void aLongMessageIsCutToTheApiServersLimitAndKeepsTheListOfTransitions() {
    Transition invalid = new Transition("ResolvedRefs", "False", "InvalidDefinition", "api.yaml:3: x\n".repeat(200));
    Summary summary = StatusChanges.summarize(List.of(ACCEPTED, invalid)).orElseThrow();
    assertThat(summary.message()).hasSize(StatusChanges.MAX_MESSAGE).startsWith("ResolvedRefs: api.yaml:3: x\n")
        .endsWith(" …\n(this reconcile: Accepted, ResolvedRefs=False (InvalidDefinition))");

    Transition longDeployed = new Transition("Deployed", "True", "Deployed", "y".repeat(2000));
    assertThat(StatusChanges.summarize(List.of(ACCEPTED, longDeployed)).orElseThrow().message())
        .hasSize(StatusChanges.MAX_MESSAGE).startsWith("Accepted, Deployed: yyy").endsWith("y …");
    assertThat(StatusChanges.summarize(List.of(longDeployed)).orElseThrow().message())
        .hasSize(StatusChanges.MAX_MESSAGE).endsWith("y …");
  }

  @Test
  void transitionsAreWhatChangedInThisReconcileOnly() {
    Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    ApiStatus status = new ApiStatus();
    new Conditions(clock).set(status, 1, "Accepted", "True", "Accepted", "the operator handles this API");
    StatusChanges changes = new StatusChanges(new Conditions(clock), status, 1);
    changes.setTrue("Accepted", "Accepted", "the operator handles this API"); // unchanged: no transition
    changes.setTrue("Deployed", "Deployed", "Deployment api-gateway runs r/api@sha256:1");
    assertThat(changes.summary()).contains(
        new Summary(false, "Deployed", "Deployed: Deployment api-gateway runs r/api@sha256:1"));
  }
}
