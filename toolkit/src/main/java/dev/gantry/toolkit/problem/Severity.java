package dev.gantry.toolkit.problem;

/** How bad a {@link Problem} is: errors stop a build, warnings are only reported. */
public enum Severity {
  ERROR,
  WARNING;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
