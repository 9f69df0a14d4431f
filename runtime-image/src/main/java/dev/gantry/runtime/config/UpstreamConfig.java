package dev.gantry.runtime.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A backend: its base URLs (balanced), time limits and, for HTTPS, the CA file to verify it with (or null). */
public record UpstreamConfig(String name, List<URI> urls, Duration connectTimeout, Duration responseTimeout,
                             Path caFile) {}
