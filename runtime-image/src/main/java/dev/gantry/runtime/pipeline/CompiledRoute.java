package dev.gantry.runtime.pipeline;

import dev.gantry.runtime.config.RouteConfig;
import dev.gantry.runtime.ratelimit.RateLimiter;
import dev.gantry.runtime.upstream.Proxy;

/** A route with everything its requests need, resolved once at load: the proxy and the limiter (or null). */
record CompiledRoute(RouteConfig config, Proxy proxy, RateLimiter limiter) {}
