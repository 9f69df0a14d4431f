package dev.gantry.runtime.config;

/** Request size limits the gateway enforces before anything else. */
public record Limits(int maxHeaderBytes, int maxHeaders, int maxUriLength, long maxBodyBytes) {
  public static final Limits DEFAULT = new Limits(8192, 100, 8192, 10L * 1024 * 1024);
}
