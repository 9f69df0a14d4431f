package dev.gantry.operator.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels of a gateway's objects; the selector part never changes, so Deployments stay adoptable. */
public final class GatewayLabels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String VERSION = "app.kubernetes.io/version";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String COMPONENT = "app.kubernetes.io/component";
  /** The {@link #MANAGED_BY} value of everything the operator makes. */
  public static final String OPERATOR = "gantry-operator";

  private GatewayLabels() {}

  public static Map<String, String> selector(String api) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, "gantry");
    labels.put(COMPONENT, "gateway");
    labels.put(INSTANCE, Names.labelValue(api));
    return labels;
  }

  public static Map<String, String> all(String api, String version) {
    Map<String, String> labels = selector(api);
    labels.put(VERSION, Names.labelValue(version));
    labels.put(MANAGED_BY, OPERATOR);
    return labels;
  }
}
