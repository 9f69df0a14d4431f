package dev.gantry.toolkit.fleet;

import java.time.Instant;

/** An API as the repository holds it for one environment (without the bundle's bytes). */
public record PublishedApi(String environment, String name, String version, String bundleDigest, ApiState state,
                           GatewaySelector gateways, long revision, Instant updatedAt) {}
