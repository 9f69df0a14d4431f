package dev.gantry.toolkit.fleet;

import java.time.Instant;

/** One entry of an API's history: PUBLISHED, UPDATED, STARTED or STOPPED, with the bundle it concerned. */
public record DeploymentEvent(long id, String environment, String api, String kind, String bundleDigest,
                              long revision, Instant at) {}
