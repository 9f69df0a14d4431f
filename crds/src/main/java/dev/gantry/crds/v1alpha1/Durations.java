package dev.gantry.crds.v1alpha1;

/** The one accepted spelling of a duration in Gantry resources, e.g. {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}. */
public final class Durations {

  /** A positive whole number (at most 9 digits) followed by one unit: ms, s, m, h or d. */
  public static final String PATTERN = "^([1-9][0-9]{0,8})(ms|s|m|h|d)$";

  private Durations() {
  }
}
