package dev.gantry.toolkit.resolve;

/** A resource together with where it came from (a file, or {@code namespace/Kind/name} in a cluster). */
public record Located<T>(T resource, String source) {}
