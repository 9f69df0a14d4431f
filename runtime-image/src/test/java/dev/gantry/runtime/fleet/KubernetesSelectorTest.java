package dev.gantry.runtime.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The selector rule, case by case as the repository's gantry_selects has it. */
class KubernetesSelectorTest {
  static final Map<String, String> EU_SHARED = Map.of("fleet", "edge", "zone", "eu", "tier", "shared");

  static boolean selects(String json) {
    return KubernetesSelector.selects(KubernetesSelector.parse(json), EU_SHARED);
  }

  @Test
  void anEmptySelectorSelectsEveryFleet() {
    assertThat(selects("{}")).isTrue();
    assertThat(selects("{\"matchLabels\":{},\"matchExpressions\":[]}")).isTrue();
  }

  @Test
  void matchLabelsNeedEveryPair() {
    assertThat(selects("{\"matchLabels\":{\"zone\":\"eu\"}}")).isTrue();
    assertThat(selects("{\"matchLabels\":{\"zone\":\"eu\",\"tier\":\"shared\"}}")).isTrue();
    assertThat(selects("{\"matchLabels\":{\"zone\":\"eu\",\"tier\":\"private\"}}")).isFalse();
    assertThat(selects("{\"matchLabels\":{\"region\":\"eu\"}}")).as("a label the fleet lacks").isFalse();
  }

  @Test
  void inAndNotIn() {
    assertThat(selects(expression("zone", "In", "[\"eu\",\"us\"]"))).isTrue();
    assertThat(selects(expression("zone", "In", "[\"us\"]"))).isFalse();
    assertThat(selects(expression("region", "In", "[\"eu\"]"))).as("In on a missing label").isFalse();
    assertThat(selects(expression("zone", "NotIn", "[\"us\"]"))).isTrue();
    assertThat(selects(expression("zone", "NotIn", "[\"eu\"]"))).isFalse();
    assertThat(selects(expression("region", "NotIn", "[\"eu\"]"))).as("NotIn on a missing label").isTrue();
  }

  @Test
  void existsAndDoesNotExist() {
    assertThat(selects(expression("tier", "Exists", null))).isTrue();
    assertThat(selects(expression("region", "Exists", null))).isFalse();
    assertThat(selects(expression("region", "DoesNotExist", null))).isTrue();
    assertThat(selects(expression("tier", "DoesNotExist", null))).isFalse();
  }

  @Test
  void labelsAndExpressionsMustAllHold() {
    assertThat(selects("{\"matchLabels\":{\"zone\":\"eu\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":"
        + "\"In\",\"values\":[\"private\"]}]}")).isFalse();
  }

  @Test
  void anOperatorThisGatewayDoesNotKnowSelectsNothing() {
    assertThat(selects(expression("zone", "Gt", "[\"1\"]"))).isFalse();
    assertThat(selects("{\"matchExpressions\":[{\"key\":\"zone\"}]}")).as("no operator").isFalse();
  }

  @Test
  void textThatIsNotASelectorIsRefusedWithTheReason() {
    assertThatThrownBy(() -> KubernetesSelector.parse("zone=eu")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a LabelSelector");
    assertThatThrownBy(() -> KubernetesSelector.parse("{\"matchLabels\":[1]}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static String expression(String key, String operator, String values) {
    return "{\"matchExpressions\":[{\"key\":\"" + key + "\",\"operator\":\"" + operator + "\""
        + (values == null ? "" : ",\"values\":" + values) + "}]}";
  }
}
