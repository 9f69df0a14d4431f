package dev.gantry.toolkit.fleet;

import java.util.SortedMap;

/** What a gateway needs to serve a published API: the bundle files and this environment's settings. */
public record ApiRelease(PublishedApi api, SortedMap<String, byte[]> files, byte[] environmentYaml) {}
