package dev.gantry.operator.model;

import dev.gantry.toolkit.image.ImageLayout;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * What every gateway container has, per-API or fleet: its name, the traffic and management
 * ports, health probes on the management port and a locked-down security context. One place, so
 * the two kinds of gateway cannot drift apart in how hardened or probed they are.
 */
final class GatewayContainer {
  static final String NAME = "gateway";

  private GatewayContainer() {}

  /** The common part; callers add args, env, resources and mounts. */
  static ContainerBuilder of(String image) {
    return new ContainerBuilder()
        .withName(NAME)
        .withImage(image)
        .addNewPort().withName("http").withContainerPort(ImageLayout.TRAFFIC_PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("management").withContainerPort(ImageLayout.MANAGEMENT_PORT).withProtocol("TCP")
          .endPort()
        // Liveness waits for the start: a JVM under a small CPU limit can take longer to come up
        // than three failed liveness checks allow, and would be restarted over and over.
        .withStartupProbe(probe("/health/live", 1, STARTUP_SECONDS))
        .withReadinessProbe(probe("/health/ready", 5, 1))
        .withLivenessProbe(probe("/health/live", 5, 3))
        .withNewSecurityContext()
          .withAllowPrivilegeEscalation(false)
          .withReadOnlyRootFilesystem(true)
          .withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext();
  }

  /**
   * The runtime's connection-bound flags for what a spec sets ({@code maxConnections},
   * {@code maxConnectionsPerClient}); none for what it leaves unset, which keeps the runtime's defaults.
   */
  static List<String> connectionFlags(Integer maxConnections, Integer maxConnectionsPerClient) {
    List<String> flags = new ArrayList<>(2);
    if (maxConnections != null) {
      flags.add("--max-connections=" + maxConnections);
    }
    if (maxConnectionsPerClient != null) {
      flags.add("--max-connections-per-client=" + maxConnectionsPerClient);
    }
    return flags;
  }

  /**
   * What a gateway container asks for when its spec says nothing: CPU autoscaling measures use
   * against the CPU request, and without one the HPA never scales; the memory fits the runtime's
   * fixed heap (128 MiB at most) with its idle footprint (~95 MiB). No limits: a limit too low for a
   * burst would throttle or kill a gateway that the node has room for.
   */
  static final ResourceRequirements DEFAULT_RESOURCES = new ResourceRequirementsBuilder()
      .addToRequests("cpu", new Quantity("250m"))
      .addToRequests("memory", new Quantity("192Mi"))
      .build();

  /** The spec's resources, or {@link #DEFAULT_RESOURCES} when it sets none. */
  static ResourceRequirements resources(ResourceRequirements wanted) {
    return wanted != null ? wanted : new ResourceRequirementsBuilder(DEFAULT_RESOURCES).build();
  }

  /** How long a gateway may take to start (checked every second) before it is restarted. */
  static final int STARTUP_SECONDS = 120;

  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString("management")).endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
