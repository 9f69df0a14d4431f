package dev.gantry.crds.v1alpha1;

/** Regular expressions shared by the schemas of Gantry resources (besides {@link Durations#PATTERN}). */
public final class Patterns {

  /** A Kubernetes object name: DNS-1123 subdomain (lower case alphanumerics, '-' and '.'). */
  public static final String DNS1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A DNS-1123 label (at most 63 characters, no dots), e.g. an environment name. */
  public static final String DNS1123_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** A PostgreSQL JDBC URL, as pgjdbc takes it. */
  public static final String POSTGRESQL_JDBC_URL = "^jdbc:postgresql://.+";

  /** An image tag, as used for {@code ApiSpec.version}. */
  public static final String IMAGE_TAG = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

  /** An absolute http or https URL. */
  public static final String HTTP_URL = "^https?://.+";

  private Patterns() {
  }
}
