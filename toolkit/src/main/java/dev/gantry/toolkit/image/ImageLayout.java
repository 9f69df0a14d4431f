package dev.gantry.toolkit.image;

/**
 * The contract between the images Gantry builds and the runtime inside them: where the bundle
 * sits, which labels every per-API image carries, and the ports. The Jib builder, the Dockerfile
 * path and the operator all read these, so the two builders cannot drift apart.
 */
public final class ImageLayout {
  /** Label holding the bundle digest ({@code sha256:…}); the skip rule compares it. */
  public static final String LABEL_BUNDLE_DIGEST = "dev.gantry.bundle-digest";
  /** Label holding the API name. */
  public static final String LABEL_API = "dev.gantry.api";
  /** Label holding the API version. */
  public static final String LABEL_VERSION = "dev.gantry.version";

  /** Folder of the bundle inside a per-API image; the runtime image's default argument points here. */
  public static final String BUNDLE_DIR = "/gantry/bundle";
  /** Folder of the runtime's (and the toolkit's) jar and libraries inside their images. */
  public static final String APP_DIR = "/gantry/app";
  /** Where a deployment mounts environment.yaml (the per-cluster settings). */
  public static final String ENVIRONMENT_FILE = "/etc/gantry/environment.yaml";
  /** Where a deployment mounts Secrets, one folder per Secret. */
  public static final String SECRETS_DIR = "/etc/gantry/secrets";

  public static final int TRAFFIC_PORT = 8080;
  public static final int MANAGEMENT_PORT = 9090;

  /**
   * Seconds a gateway in a pod keeps serving, reported not-ready, after SIGTERM: Kubernetes takes a
   * terminating pod out of its Service's endpoints while it sends the signal, and kube-proxy and
   * ingress controllers take a few seconds to follow, sending it requests meanwhile. Stopping at
   * once would refuse them. With the runtime's 30 s shutdown grace it fits the pods' 40 s
   * termination grace period.
   */
  public static final int DRAIN_DELAY_SECONDS = 5;

  /** Non-root user the images run as (numeric: the base image need not have a passwd entry). */
  public static final String USER = "65532:65532";

  private ImageLayout() {}
}
