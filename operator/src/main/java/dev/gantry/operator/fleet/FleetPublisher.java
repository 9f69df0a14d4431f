package dev.gantry.operator.fleet;

import dev.gantry.crds.v1alpha1.ApiState;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.SortedMap;

/**
 * Publishes APIs with {@code local: false} to the central management repository, from which fleet
 * gateways in any cluster load them. The operator calls it from the API reconcile thread; an
 * implementation does its own I/O (JDBC) and must be idempotent: the same publication twice
 * changes nothing. Errors a user or an operator can fix come back as {@link Outcome.Failed}, not
 * as exceptions.
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
    @Override
    public String toString() {
      return "Repository{" + jdbcUrl + ", user " + username + ", environment " + environment + "}";
    }
  }

  /**
   * One API version's bundle as the fleets load it.
   *
   * @param api             the API's name (metadata.name)
   * @param version         spec.version
   * @param bundleDigest    {@code sha256:…} of the bundle
   * @param files           the bundle's files (Bundle.files(): path → bytes)
   * @param environmentYaml this cluster's environment.yaml (EnvironmentCompiler)
   * @param gateways        spec.gateways: which GatewayClusters (by label) serve it; null means none selected
   * @param state           STARTED or STOPPED
   */
  record Publication(String api, String version, String bundleDigest, SortedMap<String, byte[]> files,
                     byte[] environmentYaml, LabelSelector gateways, ApiState state) {}

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

  /** Starts or stops an API already published, keeping its definition. */
  Outcome setState(Repository repository, String api, String version, ApiState state);
}
