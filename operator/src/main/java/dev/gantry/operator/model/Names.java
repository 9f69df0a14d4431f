package dev.gantry.operator.model;

import java.util.Locale;

/**
 * Names of every object the operator creates, in one place. Build objects carry a prefix of the
 * bundle digest, so a restarted operator finds the build it already started for the same content
 * instead of starting a second one, and a new bundle never reuses an old build's Job.
 */
public final class Names {
  /** Kubernetes object names (DNS-1123 labels) are at most 63 characters. */
  static final int MAX_NAME = 63;
  /** Hex characters of the bundle digest kept in build object names and labels. */
  static final int DIGEST_PREFIX = 12;

  private Names() {}

  /** {@code petstore-build-0123456789ab}: the Kaniko Job for one API and bundle digest. */
  public static String buildJob(String api, String bundleDigest) {
    return withSuffix(api, "-build-" + digestPrefix(bundleDigest));
  }

  /** {@code petstore-context-0123456789ab}: the ConfigMap holding that build's context tarball. */
  public static String buildContext(String api, String bundleDigest) {
    return withSuffix(api, "-context-" + digestPrefix(bundleDigest));
  }

  /** {@code petstore-gateway}: the gateway's Deployment, Service, HPA and Ingress. */
  public static String gateway(String api) {
    return withSuffix(api, "-gateway");
  }

  /** {@code petstore-gateway-env}: the ConfigMap with this cluster's environment.yaml. */
  public static String gatewayEnvironment(String api) {
    return withSuffix(api, "-gateway-env");
  }

  /** {@code edge-fleet}: a GatewayCluster's Deployment, Service and HPA. */
  public static String fleet(String gatewayCluster) {
    return withSuffix(gatewayCluster, "-fleet");
  }

  /** {@code edge-fleet}: the ServiceAccount a GatewayCluster's pods run as (source kubernetes). */
  public static String fleetServiceAccount(String gatewayCluster) {
    return fleet(gatewayCluster);
  }

  /**
   * {@code gateways.edge-fleet-bundles}: the Role and RoleBinding that let fleet {@code edge} of
   * namespace {@code gateways} read bundle ConfigMaps in a namespace it watches. The fleet's
   * namespace is part of the name because fleets of two namespaces may watch the same one; a
   * namespace has no '.', so the first '.' always ends it.
   */
  public static String fleetBundleReader(String fleetNamespace, String gatewayCluster) {
    return withSuffix(fleetNamespace + "." + gatewayCluster, "-fleet-bundles");
  }

  /** {@code petstore-bundle}: the ConfigMap through which fleet gateways load a local API. */
  public static String bundle(String api) {
    return withSuffix(api, "-bundle");
  }

  /** The first hex characters of {@code sha256:…}; they fit in a label value. */
  public static String digestPrefix(String bundleDigest) {
    String hex = bundleDigest.startsWith("sha256:") ? bundleDigest.substring("sha256:".length()) : bundleDigest;
    if (hex.length() < DIGEST_PREFIX || !hex.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException("not a sha256 digest: " + bundleDigest);
    }
    return hex.substring(0, DIGEST_PREFIX);
  }

  /** A label value (at most 63 characters) for an object name that may be longer. */
  public static String labelValue(String name) {
    String value = name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    return value.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
  }

  /** Shortens the API part (never the suffix, which makes the name unique) to fit 63 characters. */
  private static String withSuffix(String api, String suffix) {
    String base = api.toLowerCase(Locale.ROOT);
    int room = MAX_NAME - suffix.length();
    if (base.length() > room) {
      base = base.substring(0, room).replaceAll("[-.]+$", "");
    }
    return base + suffix;
  }
}
