package dev.gantry.toolkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySelectorTest {
  static final Map<String, String> EU = Map.of("zone", "eu", "tier", "shared");
  static final Map<String, String> US = Map.of("zone", "us", "tier", "shared");

  @Test
  void matchLabelsSelectOnlyFleetsWithEveryLabel() {
    GatewaySelector eu = GatewaySelector.parse("zone=eu");
    assertThat(eu.matches(EU)).isTrue();
    assertThat(eu.matches(US)).isFalse();
    assertThat(GatewaySelector.parse("tier=shared").matches(US)).isTrue();
    assertThat(GatewaySelector.parse("zone=eu,tier=dedicated").matches(EU)).isFalse();
  }

  @Test
  void emptySelectsEveryFleetAsInKubernetes() {
    assertThat(GatewaySelector.EVERY_FLEET.matches(US)).isTrue();
    assertThat(GatewaySelector.parse("").matches(Map.of())).isTrue();
  }

  @Test
  void expressionsFollowKubernetesOperators() {
    var in = new GatewaySelector(null, List.of(new GatewaySelector.Requirement("zone", "In", List.of("eu", "ap"))));
    var notIn = new GatewaySelector(null, List.of(new GatewaySelector.Requirement("zone", "NotIn", List.of("eu"))));
    var exists = new GatewaySelector(null, List.of(new GatewaySelector.Requirement("canary", "Exists", null)));
    var absent = new GatewaySelector(null, List.of(new GatewaySelector.Requirement("canary", "DoesNotExist", null)));
    var unknown = new GatewaySelector(null, List.of(new GatewaySelector.Requirement("zone", "Like", List.of("eu"))));
    assertThat(in.matches(EU)).isTrue();
    assertThat(in.matches(US)).isFalse();
    assertThat(notIn.matches(EU)).isFalse();
    assertThat(notIn.matches(US)).isTrue();
    assertThat(exists.matches(EU)).isFalse();
    assertThat(absent.matches(EU)).isTrue();
    assertThat(unknown.matches(EU)).isFalse();
  }

  @Test
  void readsTheJsonOfAKubernetesLabelSelector() throws Exception {
    GatewaySelector selector = new ObjectMapper().readValue("""
        {"matchLabels": {"zone": "eu"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["shared"]}]}
        """, GatewaySelector.class);
    assertThat(selector.matches(EU)).isTrue();
    assertThat(selector.matches(US)).isFalse();
  }

  @Test
  void aMalformedSelectorNamesThePart() {
    assertThatThrownBy(() -> GatewaySelector.parse("zone=eu,tier")).hasMessageContaining("'tier'");
  }
}
