package dev.gantry.operator.fleet;

import dev.gantry.crds.v1alpha1.FleetInstance;
import dev.gantry.toolkit.fleet.GatewayInstance;
import dev.gantry.toolkit.fleet.ManagementRepository;
import dev.gantry.toolkit.fleet.RepositoryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The gateways of one fleet in this cluster as they registered in the central repository, for
 * the GatewayCluster's status. Only live ones count: a gateway beats every poll interval (5 s by
 * default), so one silent for {@link #FRESH} has gone (or lost the repository).
 */
public final class FleetRegistrations {
  static final Duration FRESH = Duration.ofSeconds(30);

  private final Clock clock;

  public FleetRegistrations(Clock clock) {
    this.clock = clock;
  }

  /** Live gateways of {@code fleet} in {@code cluster}, by instance name. */
  public List<FleetInstance> live(FleetPublisher.Repository repository, String fleet, String cluster)
      throws RepositoryException {
    List<GatewayInstance> all = new ManagementRepository(repository.address()).gateways(repository.environment());
    return live(all, fleet, cluster, clock.instant());
  }

  static List<FleetInstance> live(List<GatewayInstance> all, String fleet, String cluster, Instant now) {
    return all.stream()
        .filter(g -> g.fleet().equals(fleet) && g.cluster().equals(cluster))
        .filter(g -> g.heartbeatAt().isAfter(now.minus(FRESH)))
        .sorted(java.util.Comparator.comparing(GatewayInstance::instance))
        .map(g -> new FleetInstance(g.instance(), g.zone(), g.endpoints().isEmpty() ? null : g.endpoints().get(0).uri(),
            g.runtimeVersion(), g.loaded().size()))
        .toList();
  }
}
