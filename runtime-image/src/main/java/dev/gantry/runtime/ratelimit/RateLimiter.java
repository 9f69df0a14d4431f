package dev.gantry.runtime.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gantry.runtime.config.RateLimitConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One RateLimit as token buckets (Bucket4j): a single bucket for scope api, one per operation,
 * or one per consumer (bounded, idle ones forgotten). Tokens are refilled all at once at the end
 * of each period, not trickled, so no period admits more than {@code requests + burst}.
 */
public final class RateLimiter {
  private static final int MAX_CONSUMERS = 100_000;

  private final RateLimitConfig config;
  private final Bucket apiBucket;
  private final ConcurrentMap<String, Bucket> operationBuckets = new ConcurrentHashMap<>();
  private final Cache<String, Bucket> consumerBuckets;
  private final String limitHeader;

  /** Whether a request may pass, and what to tell the client about the quota. */
  public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

  public RateLimiter(RateLimitConfig config) {
    this.config = config;
    this.limitHeader = Long.toString(config.requests());
    this.apiBucket = config.scope() == RateLimitConfig.Scope.API ? newBucket() : null;
    // Maintenance on the calling event loop: Caffeine's default (the common pool) wakes another
    // thread every few hundred lookups, which costs more than the clean-up itself (bench/README.md).
    this.consumerBuckets = Caffeine.newBuilder().maximumSize(MAX_CONSUMERS).executor(Runnable::run)
        .expireAfterAccess(config.period().multipliedBy(2).plus(Duration.ofSeconds(1))).build();
  }

  public RateLimitConfig config() {
    return config;
  }

  /** The RateLimit-Limit value, the same on every response: made once. */
  public String limitHeader() {
    return limitHeader;
  }

  /** Whether {@link #tryConsume} counts by consumer, so that the caller works the consumer out only then. */
  public boolean perConsumer() {
    return config.scope() == RateLimitConfig.Scope.CONSUMER;
  }

  /** Takes one token from the bucket that counts this request; {@code consumer} only matters {@link #perConsumer}. */
  public Decision tryConsume(String operation, String consumer) {
    Bucket bucket = switch (config.scope()) {
      case API -> apiBucket;
      case OPERATION -> operationBuckets.computeIfAbsent(operation, k -> newBucket());
      case CONSUMER -> consumerBuckets.get(consumer, k -> newBucket());
    };
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    long reset = seconds(probe.isConsumed() ? probe.getNanosToWaitForReset() : probe.getNanosToWaitForRefill());
    return new Decision(probe.isConsumed(), config.requests(), probe.getRemainingTokens(), reset,
        probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill())));
  }

  private Bucket newBucket() {
    Bandwidth bandwidth = Bandwidth.builder()
        .capacity(config.requests() + config.burst())
        .refillIntervally(config.requests(), config.period())
        .initialTokens(config.requests() + config.burst())
        .build();
    return Bucket.builder().addLimit(bandwidth).build();
  }

  private static long seconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
