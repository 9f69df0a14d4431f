package dev.gantry.toolkit.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which fleets serve an API: a Kubernetes label selector (same JSON shape as
 * {@code metav1.LabelSelector}, so the operator stores an API's {@code spec.gateways} as is).
 * Empty selects every fleet, as in Kubernetes. Matching is the repository's SQL function
 * {@code gantry_selects}, which gateways use in their query, so there is one definition of it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewaySelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
  public static final GatewaySelector EVERY_FLEET = new GatewaySelector(Map.of(), List.of());

  public GatewaySelector {
    matchLabels = matchLabels == null ? Map.of() : Map.copyOf(new TreeMap<>(matchLabels));
    matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
  }

  /** {@code operator} is In, NotIn, Exists or DoesNotExist, as in Kubernetes. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Requirement(String key, String operator, List<String> values) {
    public Requirement {
      values = values == null ? List.of() : List.copyOf(values);
    }
  }

  /** {@code zone=eu,tier=shared} (the CLI's {@code --gateways}); empty text selects every fleet. */
  public static GatewaySelector parse(String text) {
    Map<String, String> labels = new TreeMap<>();
    if (text != null && !text.isBlank()) {
      for (String pair : text.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("selector '" + text + "': expected key=value[,key=value…], got '" + pair + "'");
        }
        labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return new GatewaySelector(labels, List.of());
  }
}
