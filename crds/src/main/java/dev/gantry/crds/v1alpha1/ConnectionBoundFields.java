package dev.gantry.crds.v1alpha1;

/**
 * The descriptions of the connection-bound fields an API (its own gateway) and a GatewayCluster
 * (its fleet's pods) both have: the same runtime flags, so the same words.
 */
final class ConnectionBoundFields {
  static final String MAX_CONNECTIONS = "Client connections each gateway pod keeps open at once; more wait in the "
      + "kernel's backlog until one closes (0 = no bound). Unset, the runtime's default, 4096, which bounds the heap "
      + "that half-sent requests can take.";

  static final String MAX_CONNECTIONS_PER_CLIENT = "Client connections one client address may keep open on each "
      + "gateway pod; more are closed as they come, so one client cannot hold every connection (0 or unset = no "
      + "bound). Leave unset behind a load balancer that does not keep client addresses.";

  private ConnectionBoundFields() {}
}
