package dev.gantry.runtime.config;

import java.time.Duration;

/** A quota: {@code requests} per {@code period} plus {@code burst}, counted per API, operation or consumer. */
public record RateLimitConfig(String name, long requests, Duration period, long burst, Scope scope, String keyHeader,
                              String keyClaim) {
  public enum Scope { API, OPERATION, CONSUMER }
}
