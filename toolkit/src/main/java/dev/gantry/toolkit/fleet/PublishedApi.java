package dev.gantry.toolkit.fleet;

import java.time.Instant;

/**
 * An API as the repository holds it for one environment (without the bundle's bytes). {@code owner}
 * is who published it ({@code cluster/namespace/name} of an API resource), null when published by hand.
 */
public record PublishedApi(String environment, String name, String version, String bundleDigest, ApiState state,
                           GatewaySelector gateways, long revision, Instant updatedAt, String owner) {}
