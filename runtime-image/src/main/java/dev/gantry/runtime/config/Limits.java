package dev.gantry.runtime.config;

/**
 * Request size limits of one API: header bytes, header count and URI length, enforced before
 * routing, and the body limit of routes that set none of their own.
 */
public record Limits(int maxHeaderBytes, int maxHeaders, int maxUriLength, long maxBodyBytes) {
  public static final Limits DEFAULT = new Limits(8192, 100, 8192, 10L * 1024 * 1024);
  /**
   * The largest header and URI limits a bundle may set (the toolkit checks the same bounds). A fleet's
   * HTTP decoder is sized to them, since the APIs it will serve are not known when it starts; each
   * API's own limits are then enforced by its request guard.
   */
  public static final Limits CEILING = new Limits(64 * 1024, 1000, 64 * 1024, Long.MAX_VALUE);
}
