package dev.gantry.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.FleetInstance;
import dev.gantry.toolkit.fleet.GatewayInstance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetRegistrationsTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  static GatewayInstance gateway(String instance, String fleet, String cluster, Instant beat, int apis) {
    Map<String, String> loaded = new java.util.TreeMap<>();
    for (int i = 0; i < apis; i++) {
      loaded.put("api" + i, "sha256:" + i);
    }
    return new GatewayInstance(instance, "prod", fleet, cluster, "eu", Map.of("zone", "eu"),
        List.of(new GatewayInstance.Endpoint("http", "http://" + instance + ":8080")), "0.1.0", loaded,
        NOW.minusSeconds(3600), beat);
  }

  @Test
  void onlyLiveGatewaysOfThisFleetInThisClusterCountSortedByName() {
    List<FleetInstance> live = FleetRegistrations.live(List.of(
        gateway("shared-b", "shared", "eu", NOW.minusSeconds(2), 3),
        gateway("shared-a", "shared", "eu", NOW.minusSeconds(29), 0),
        gateway("shared-gone", "shared", "eu", NOW.minusSeconds(31), 3),   // silent too long
        gateway("other-fleet", "edge", "eu", NOW, 1),
        gateway("shared-us", "shared", "us", NOW, 1)), "shared", "eu", NOW);
    assertThat(live).extracting(FleetInstance::getName).containsExactly("shared-a", "shared-b");
    assertThat(live.get(1).getApis()).isEqualTo(3);
    assertThat(live.get(1).getUri()).isEqualTo("http://shared-b:8080");
  }
}
