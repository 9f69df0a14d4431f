package dev.gantry.operator.fleet;

import dev.gantry.crds.v1alpha1.ApiState;
import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.fleet.RepositoryAddress;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Publishes APIs with {@code local: false} to the central management repository, from which fleet
 * gateways in any cluster load them. The operator calls it from the API reconcile thread on every
 * pass (level-based: a repository that lost the API gets it back); an implementation does its own
 * I/O (JDBC) and must be idempotent: the same publication twice changes nothing. Errors a user or
 * an operator can fix come back as {@link Outcome.Failed}, not as exceptions.
 */
public interface FleetPublisher {

  /**
   * Where and as whom to publish, from the API's ManagementContext and its Secret.
   *
   * @param jdbcUrl     {@code jdbc:postgresql://…}
   * @param username    from the context's Secret (usernameKey)
   * @param password    from the context's Secret (passwordKey)
   * @param environment the context's environment name
   */
  record Repository(String jdbcUrl, String username, String password, String environment) {
    public RepositoryAddress address() {
      return new RepositoryAddress(jdbcUrl, username, password);
    }

    @Override
    public String toString() {
      return "Repository{" + jdbcUrl + ", user " + username + ", environment " + environment + "}";
    }
  }

  /**
   * One API version's bundle as the fleets load it.
   *
   * @param api             the API's name (metadata.name)
   * @param owner           who publishes: {@code cluster/namespace/name} of the API resource; the
   *                        repository refuses the name to any other owner
   * @param version         spec.version
   * @param bundle          the compiled bundle
   * @param environmentYaml this cluster's environment.yaml (EnvironmentCompiler)
   * @param gateways        spec.gateways: which GatewayClusters (by label) serve it; null means every
   *                        fleet of the environment
   * @param state           STARTED or STOPPED
   */
  record Publication(String api, String owner, String version, Bundle bundle, byte[] environmentYaml,
                     LabelSelector gateways, ApiState state) {}

  /** What a call did. */
  sealed interface Outcome {
    /** Done; {@code message} goes into the API's Deployed condition. */
    record Published(String message) implements Outcome {}

    /**
     * Not done. {@code reason} is a CamelCase condition reason; {@code retry} says whether the
     * cause may clear by itself (repository down) so the operator should look again.
     */
    record Failed(String reason, String message, boolean retry) implements Outcome {}
  }

  /** Stores the bundle (if the repository lacks this digest) and the API's current version, selector and state. */
  Outcome publish(Repository repository, Publication publication);

  /** Removes the API {@code owner} published (its resource went): gateways unload it. Not there: Published too. */
  Outcome remove(Repository repository, String api, String owner);
}
