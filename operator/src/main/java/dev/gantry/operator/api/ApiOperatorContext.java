package dev.gantry.operator.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** What the API reconciler's helpers share: the client, the clock, registry access, build contexts, metrics. */
public record ApiOperatorContext(KubernetesClient client, Clock clock, RegistryClients registries,
                                 BuildContextSource contexts, BuildMetrics metrics) {}
