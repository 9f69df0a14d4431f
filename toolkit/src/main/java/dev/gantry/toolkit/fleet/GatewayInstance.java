package dev.gantry.toolkit.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A gateway process as it registered: its fleet, cluster and zone, the labels APIs select it by,
 * where it listens, and which APIs it serves (name → bundle digest), as of its last heartbeat.
 */
public record GatewayInstance(String instance, String environment, String fleet, String cluster, String zone,
                              Map<String, String> labels, List<Endpoint> endpoints, String runtimeVersion,
                              Map<String, String> loaded, Instant startedAt, Instant heartbeatAt) {

  public record Endpoint(String name, String uri) {}
}
