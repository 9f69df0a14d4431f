package dev.gantry.toolkit.resolve;

/**
 * The request limits that hold for the whole API: header bytes and count and URI length (from
 * {@code x-gantry-limits} at the top of its definitions), and the body limit of every operation that
 * sets none of its own.
 */
public record ApiLimits(int maxHeaderBytes, int maxHeaders, int maxUriLength, long maxBodyBytes) {
  public static final ApiLimits DEFAULT = new ApiLimits(8192, 100, 8192, 10L * 1024 * 1024);
}
