package dev.gantry.operator.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Build counters and timers beside JOSDK's reconcile metrics: {@code gantry_builds_total{builder,outcome}}
 * and {@code gantry_build_duration_seconds{builder,outcome}}. Outcomes are the pipeline's
 * (built, skipped, refused) plus error, started (a Kaniko Job created), failed (a Kaniko Job failed).
 */
public final class BuildMetrics {
  private final MeterRegistry registry;

  public BuildMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String builder, String outcome, Duration duration) {
    Counter.builder("gantry.builds").description("Image steps by builder and outcome")
        .tag("builder", builder).tag("outcome", outcome).register(registry).increment();
    Timer.builder("gantry.build.duration").description("Time of image steps (lookup, and the build when one ran)")
        .tag("builder", builder).tag("outcome", outcome).register(registry).record(duration);
  }

  public MeterRegistry registry() {
    return registry;
  }
}
