package dev.gantry.runtime.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The gateway's Prometheus metrics: requests by operation and status, request and upstream latency
 * histograms, authentication failures and rate-limited requests. Meters are looked up once per
 * label set and kept, so the request path does no registry work after warm-up.
 */
public final class GatewayMetrics {
  private final PrometheusMeterRegistry registry;
  private final String api;
  private final ConcurrentMap<String, OperationMeters> operations = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> upstreamLatency = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> authFailures = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> rateLimited = new ConcurrentHashMap<>();

  public GatewayMetrics(String api) {
    this(api, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Meters of one API in a registry several APIs share (a fleet gateway): the api tag tells them apart. */
  public GatewayMetrics(String api, PrometheusMeterRegistry registry) {
    this.api = api;
    this.registry = registry;
  }

  public void request(String operation, int status, long nanos) {
    OperationMeters meters = operations.computeIfAbsent(operation, OperationMeters::new);
    meters.requests(status).increment();
    meters.latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * An operation's meters; request counters by status in an array, so that counting a request
   * builds no map key (a status has three digits, or is 0 if the client went away).
   */
  private final class OperationMeters {
    private final String operation;
    private final Timer latency;
    private final AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(1000);

    OperationMeters(String operation) {
      this.operation = operation;
      this.latency = Timer.builder("gantry.request.duration")
          .description("Time from request to the end of the response").tags("api", api, "operation", operation)
          .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    }

    Counter requests(int status) {
      int index = status >= 0 && status < 1000 ? status : 0;
      Counter counter = byStatus.get(index);
      if (counter == null) {
        counter = Counter.builder("gantry.requests").description("Requests answered, by operation and status")
            .tags("api", api, "operation", operation, "status", Integer.toString(index)).register(registry);
        byStatus.set(index, counter); // the registry returns the same counter if two threads race here
      }
      return counter;
    }
  }

  public void upstream(String upstream, long nanos) {
    upstreamLatency.computeIfAbsent(upstream, k -> Timer.builder("gantry.upstream.duration")
        .description("Time from sending upstream to the upstream's response headers").tags("api", api,
            "upstream", upstream).publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Changed mounted secret files (security schemes', Endpoint CAs) were taken up ({@code applied})
   * or refused, the previous ones kept.
   */
  public void secretsReloaded(boolean applied) {
    Counter.builder("gantry.secrets.reloads")
        .description("Changes to the API's mounted secret files (security schemes, Endpoint CAs): "
            + "applied, or refused (the previous ones kept)")
        .tags("api", api, "result", applied ? "applied" : "refused").register(registry).increment();
  }

  public void authFailure(String operation, int status) {
    authFailures.computeIfAbsent(operation + '\u0000' + status, k -> Counter.builder("gantry.auth.failures")
        .description("Requests refused by security").tags("api", api, "operation", operation,
            "status", Integer.toString(status)).register(registry)).increment();
  }

  public void rateLimited(String rateLimit) {
    rateLimited.computeIfAbsent(rateLimit, k -> Counter.builder("gantry.rate.limited")
        .description("Requests refused for quota").tags("api", api, "rate_limit", rateLimit).register(registry))
        .increment();
  }

  /**
   * Takes this API's meters out of the registry (a fleet gateway unloaded it), so /metrics does not
   * report an API no longer served. Requests still finishing on it count into detached meters.
   */
  public void unregister() {
    registry.getMeters().stream().filter(m -> api.equals(m.getId().getTag("api"))).toList().forEach(registry::remove);
    operations.clear();
    upstreamLatency.clear();
    authFailures.clear();
    rateLimited.clear();
  }

  /** Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }
}
