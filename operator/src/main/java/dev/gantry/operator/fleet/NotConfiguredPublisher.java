package dev.gantry.operator.fleet;

import dev.gantry.crds.v1alpha1.ApiState;

/** The publisher of this build: there is no central repository client yet, and the API's status says so. */
public final class NotConfiguredPublisher implements FleetPublisher {
  public static final String REASON = "PublisherNotAvailable";
  public static final String MESSAGE = "central repository publisher not available in this build";

  @Override
  public Outcome publish(Repository repository, Publication publication) {
    return new Outcome.Failed(REASON, MESSAGE, false);
  }

  @Override
  public Outcome setState(Repository repository, String api, String version, ApiState state) {
    return new Outcome.Failed(REASON, MESSAGE, false);
  }
}
