package dev.gantry.operator.fleet;

import dev.gantry.toolkit.fleet.ApiState;
import dev.gantry.toolkit.fleet.GatewaySelector;
import dev.gantry.toolkit.fleet.ManagementRepository;
import dev.gantry.toolkit.fleet.PublishedApi;
import dev.gantry.toolkit.fleet.PublishedElsewhereException;
import dev.gantry.toolkit.fleet.RepositoryException;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The publisher of {@code local: false} APIs: the toolkit's {@link ManagementRepository} on the
 * context's PostgreSQL. The schema is in place: APIs publish only through a Ready context, and
 * the context check migrates it ({@link RepositoryCheck#jdbc}).
 */
public final class RepositoryPublisher implements FleetPublisher {
  public static final String UNAVAILABLE = "RepositoryUnavailable";
  public static final String PUBLISHED_ELSEWHERE = "PublishedElsewhere";

  @Override
  public Outcome publish(Repository repository, Publication publication) {
    ManagementRepository central = new ManagementRepository(repository.address());
    try {
      PublishedApi published = central.publish(repository.environment(), publication.api(), publication.version(),
          publication.bundle(), publication.environmentYaml(), selector(publication.gateways()),
          ApiState.valueOf(publication.state().name()), publication.owner());
      return new Outcome.Published("revision " + published.revision() + ", bundle " + published.bundleDigest());
    } catch (PublishedElsewhereException e) {
      return new Outcome.Failed(PUBLISHED_ELSEWHERE, e.getMessage(), false);
    } catch (RepositoryException e) {
      return new Outcome.Failed(UNAVAILABLE, e.getMessage(), true);
    }
  }

  @Override
  public Outcome remove(Repository repository, String api, String owner) {
    ManagementRepository central = new ManagementRepository(repository.address());
    try {
      return new Outcome.Published(central.remove(repository.environment(), api, owner).isPresent()
          ? "removed from environment " + repository.environment() : "not in environment " + repository.environment());
    } catch (PublishedElsewhereException e) {
      return new Outcome.Failed(PUBLISHED_ELSEWHERE, e.getMessage(), false);
    } catch (RepositoryException e) {
      return new Outcome.Failed(UNAVAILABLE, e.getMessage(), true);
    }
  }

  /** spec.gateways in the repository's form (the same JSON shape); unset selects every fleet of the environment. */
  static GatewaySelector selector(LabelSelector gateways) {
    return gateways == null ? GatewaySelector.EVERY_FLEET
        : Serialization.unmarshal(Serialization.asJson(gateways), GatewaySelector.class);
  }
}
