package dev.gantry.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

  @Test
  void requestsLatencyAuthAndQuotaMetricsAreExposedInPrometheusFormat() {
    GatewayMetrics metrics = new GatewayMetrics("shop");

    metrics.request("listItems", 200, 1_500_000);
    metrics.request("listItems", 200, 2_500_000);
    metrics.upstream("backend", 1_000_000);
    metrics.authFailure("getItem", 401);
    metrics.rateLimited("tight");

    assertThat(metrics.scrape()).contains(
        "gantry_requests_total{api=\"shop\",operation=\"listItems\",status=\"200\"} 2",
        "gantry_request_duration_seconds_bucket{api=\"shop\",operation=\"listItems\"",
        "gantry_upstream_duration_seconds_bucket{api=\"shop\",upstream=\"backend\"",
        "gantry_auth_failures_total{api=\"shop\",operation=\"getItem\",status=\"401\"} 1",
        "gantry_rate_limited_total{api=\"shop\",rate_limit=\"tight\"} 1");
  }

  @Test
  void anUnloadedApiLeavesTheSharedRegistryAndComesBackWithFreshMetersWhenPutBack() {
    var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    GatewayMetrics shop = new GatewayMetrics("shop", registry);
    GatewayMetrics pets = new GatewayMetrics("pets", registry);
    shop.request("listItems", 200, 1_000_000);
    shop.upstream("backend", 1_000_000);
    shop.authFailure("listItems", 401);
    shop.rateLimited("tight");
    pets.request("listPets", 200, 1_000_000);

    shop.unregister();
    assertThat(registry.scrape()).doesNotContain("api=\"shop\"").contains("api=\"pets\"");

    GatewayMetrics again = new GatewayMetrics("shop", registry);
    again.request("listItems", 200, 1_000_000);
    assertThat(registry.scrape()).contains("gantry_requests_total{api=\"shop\",operation=\"listItems\",status=\"200\"} 1");
  }
}
