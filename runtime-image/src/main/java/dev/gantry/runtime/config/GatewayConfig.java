package dev.gantry.runtime.config;

import java.util.List;
import java.util.Map;

/** Everything one gateway serves, loaded and checked once at start (or at a hot swap). */
public record GatewayConfig(String api, String version, String bundleDigest, List<RouteConfig> routes,
                            Map<String, RateLimitConfig> rateLimits, Map<String, SecurityConfig> security,
                            Map<String, UpstreamConfig> upstreams, Limits limits, String principalHeader) {}
