package dev.gantry.runtime.fleet;

import java.util.Map;

/**
 * Who a fleet gateway is: the environment it serves, its fleet, cluster and zone, the labels APIs
 * select fleets by (including {@code fleet} and {@code zone}), and where clients reach it (name → URI).
 */
public record FleetIdentity(String instance, String environment, String fleet, String cluster, String zone,
                            Map<String, String> labels, Map<String, String> endpoints, String runtimeVersion) {}
