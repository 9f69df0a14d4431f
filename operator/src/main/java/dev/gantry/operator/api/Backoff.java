package dev.gantry.operator.api;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Retry delays for transient failures (registry down, a build that died with the node) that end
 * as a status condition rather than an exception: 5 s, 10 s, 20 s… up to 5 min, per API, reset
 * when the API gets through. Framework retries are for exceptions, which these are not.
 */
final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(5);
  static final Duration MAX = Duration.ofMinutes(5);

  private final Map<ResourceID, Integer> attempts = new ConcurrentHashMap<>();

  Duration next(ResourceID id) {
    int attempt = attempts.merge(id, 1, Integer::sum);
    long seconds = FIRST.toSeconds() << Math.min(attempt - 1, 16);
    return Duration.ofSeconds(Math.min(seconds, MAX.toSeconds()));
  }

  void reset(ResourceID id) {
    attempts.remove(id);
  }
}
