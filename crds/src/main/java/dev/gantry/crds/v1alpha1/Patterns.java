package dev.gantry.crds.v1alpha1;

/** Regular expressions shared by the schemas of Gantry resources (besides {@link Durations#PATTERN}). */
public final class Patterns {

  /** A Kubernetes object name: DNS-1123 subdomain (lower case alphanumerics, '-' and '.'). */
  public static final String DNS1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** An image tag, as used for {@code ApiSpec.version}. */
  public static final String IMAGE_TAG = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

  /** An absolute http or https URL. */
  public static final String HTTP_URL = "^https?://.+";

  private Patterns() {
  }
}
