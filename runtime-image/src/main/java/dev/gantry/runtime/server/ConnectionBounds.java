package dev.gantry.runtime.server;

/**
 * How many client connections the traffic port keeps open: {@code total} at once (more wait in the
 * kernel's backlog), and {@code perClient} from one client address (more are closed as they come,
 * so that one client cannot hold every slot). 0 means no bound.
 */
public record ConnectionBounds(int total, int perClient) {
  /**
   * At ~8 KB of heap each while a head is half-sent, 4096 connections take ~32 MB of the 128 MB
   * heap. No per-client bound by default: behind a load balancer that does not keep client
   * addresses, every client has its address.
   */
  public static final ConnectionBounds DEFAULT = new ConnectionBounds(ServerSettings.DEFAULT_MAX_CONNECTIONS, 0);

  public ConnectionBounds {
    if (total < 0) {
      throw new IllegalArgumentException("a connection bound is 0 (none) or positive, not " + total);
    }
    if (perClient < 0) {
      throw new IllegalArgumentException("a per-client connection bound is 0 (none) or positive, not " + perClient);
    }
  }
}
