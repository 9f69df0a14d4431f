package dev.gantry.runtime.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.config.RateLimitConfig;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void tenfoldOverloadFromManyThreadsAdmitsNoMoreThanTheQuotaInOneWindow() throws Exception {
    RateLimiter limiter = new RateLimiter(new RateLimitConfig("q", 500, Duration.ofSeconds(2), 0,
        RateLimitConfig.Scope.API, null, null));
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 5000; i++) {
      pool.execute(() -> {
        if (limiter.tryConsume("op", "c").allowed()) {
          admitted.incrementAndGet();
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(admitted.get()).isBetween(500, 501);
  }

  @Test
  void refusalsSayWhenToRetryAndHeadersCountDown() {
    RateLimiter limiter = new RateLimiter(new RateLimitConfig("q", 2, Duration.ofMinutes(1), 1,
        RateLimitConfig.Scope.API, null, null));

    RateLimiter.Decision first = limiter.tryConsume("op", "c");
    limiter.tryConsume("op", "c");
    limiter.tryConsume("op", "c");
    RateLimiter.Decision refused = limiter.tryConsume("op", "c");

    assertThat(first.allowed()).isTrue();
    assertThat(first.limit()).isEqualTo(2);
    assertThat(first.remaining()).isEqualTo(2);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterSeconds()).isBetween(55L, 60L);
  }

  @Test
  void scopesCountSeparatelyPerOperationAndPerConsumer() {
    RateLimiter perOperation = new RateLimiter(new RateLimitConfig("o", 1, Duration.ofMinutes(1), 0,
        RateLimitConfig.Scope.OPERATION, null, null));
    RateLimiter perConsumer = new RateLimiter(new RateLimitConfig("c", 1, Duration.ofMinutes(1), 0,
        RateLimitConfig.Scope.CONSUMER, null, null));

    assertThat(perOperation.tryConsume("a", "x").allowed()).isTrue();
    assertThat(perOperation.tryConsume("b", "x").allowed()).isTrue();
    assertThat(perOperation.tryConsume("a", "y").allowed()).isFalse();
    assertThat(perConsumer.tryConsume("a", "x").allowed()).isTrue();
    assertThat(perConsumer.tryConsume("b", "y").allowed()).isTrue();
    assertThat(perConsumer.tryConsume("b", "x").allowed()).isFalse();
  }
}
