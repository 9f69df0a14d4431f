package dev.gantry.operator.api;

import dev.gantry.operator.fleet.FleetPublisher;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * What the API reconciler's helpers share: the client, the clock, registry access, build contexts,
 * metrics, and the publisher of {@code local: false} APIs to the central repository.
 */
public record ApiOperatorContext(KubernetesClient client, Clock clock, RegistryClients registries,
                                 BuildContextSource contexts, BuildMetrics metrics, FleetPublisher publisher) {}
