package dev.gantry.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.ApiStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  final AtomicReference<Instant> time = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00.750Z"));
  final Conditions conditions = new Conditions(new Clock() {
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return time.get(); }
  });

  @Test
  void transitionTimeStaysWhileTheStatusValueStays() {
    ApiStatus status = new ApiStatus();
    assertThat(conditions.set(status, 1, Conditions.BUILT, Conditions.FALSE, "Building", "building v1")).isTrue();
    time.set(Instant.parse("2026-11-23T10:05:00Z"));
    assertThat(conditions.set(status, 2, Conditions.BUILT, Conditions.FALSE, "PushFailed", "registry refused")).isTrue();

    var built = Conditions.find(status, Conditions.BUILT).orElseThrow();
    assertThat(built.getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(built.getReason()).isEqualTo("PushFailed");
    assertThat(built.getObservedGeneration()).isEqualTo(2L);
    assertThat(status.getObservedGeneration()).isEqualTo(2L);

    time.set(Instant.parse("2026-11-23T10:07:00Z"));
    conditions.set(status, 2, Conditions.BUILT, Conditions.TRUE, "Pushed", "pushed");
    assertThat(Conditions.find(status, Conditions.BUILT).orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-11-23T10:07:00Z");
    assertThat(Conditions.isTrue(status, Conditions.BUILT)).isTrue();
  }

  @Test
  void settingTheSameConditionAgainChangesNothing() {
    ApiStatus status = new ApiStatus();
    conditions.set(status, 1, Conditions.READY, Conditions.TRUE, "Ready", "2/2 ready");
    time.set(Instant.parse("2026-11-23T11:00:00Z"));
    assertThat(conditions.set(status, 1, Conditions.READY, Conditions.TRUE, "Ready", "2/2 ready")).isFalse();
    assertThat(status.getConditions()).hasSize(1);
  }

  @Test
  void conditionsOfOtherTypesKeepTheirOrder() {
    ApiStatus status = new ApiStatus();
    conditions.set(status, 1, Conditions.ACCEPTED, Conditions.TRUE, "Accepted", "ok");
    conditions.set(status, 1, Conditions.RESOLVED_REFS, Conditions.FALSE, "MissingReference", "x");
    conditions.set(status, 1, Conditions.ACCEPTED, Conditions.FALSE, "Invalid", "bad");
    assertThat(status.getConditions()).extracting("type").containsExactly(Conditions.ACCEPTED, Conditions.RESOLVED_REFS);
    assertThat(Conditions.isTrue(status, Conditions.ACCEPTED)).isFalse();
  }
}
