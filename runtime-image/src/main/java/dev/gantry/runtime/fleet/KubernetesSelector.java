package dev.gantry.runtime.fleet;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * Whether an API's {@code spec.gateways} selector (a Kubernetes LabelSelector, as the operator
 * writes it into a bundle ConfigMap's annotation) selects a fleet's labels. The same rule as the
 * central repository's SQL function {@code gantry_selects}: every matchLabels pair and every
 * requirement must hold; an empty selector selects every fleet; an operator this gateway does not
 * know selects nothing, rather than everything. fabric8 has the model but no matcher for it.
 */
final class KubernetesSelector {
  private KubernetesSelector() {}

  /** The annotation's JSON as a selector; throws IllegalArgumentException (with the reason) when it is not one. */
  static LabelSelector parse(String json) {
    try {
      LabelSelector selector = Serialization.unmarshal(json, LabelSelector.class);
      if (selector == null) {
        throw new IllegalArgumentException("empty");
      }
      return selector;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a LabelSelector ({\"matchLabels\":{…},\"matchExpressions\":[…]}): "
          + e.getMessage(), e);
    }
  }

  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (wanted.getValue() == null || !wanted.getValue().equals(labels.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!holds(requirement, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = requirement.getKey() == null ? null : labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    if (requirement.getOperator() == null) {
      return false;
    }
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }
}
