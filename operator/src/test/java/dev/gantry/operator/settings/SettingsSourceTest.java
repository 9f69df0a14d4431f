package dev.gantry.operator.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsSourceTest {
  final SettingsSource source = new SettingsSource("gantry-system", "gantry-operator-settings");

  static ConfigMap settings(String resourceVersion, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName("gantry-operator-settings").withNamespace("gantry-system")
        .withUid("u1").withResourceVersion(resourceVersion).endMetadata().withData(data).build();
  }

  @Test
  void aMissingConfigMapIsAFailureNamingWhereItShouldBe() {
    SettingsParser.Result result = source.parse(Optional.empty());
    assertThat(result.settings()).isEmpty();
    assertThat(result.errors()).singleElement().asString()
        .contains("ConfigMap gantry-system/gantry-operator-settings does not exist");
  }

  @Test
  void anEditIsParsedAgainAndAnUnchangedConfigMapIsNot() {
    var wrong = source.parse(Optional.of(settings("1", Map.of(SettingsParser.REGISTRY, "https://r.example.com"))));
    assertThat(wrong.settings()).isEmpty();
    assertThat(source.parse(Optional.of(settings("1", Map.of())))).isSameAs(wrong); // same version: same answer

    var fixed = source.parse(Optional.of(settings("2", Map.of(SettingsParser.REGISTRY, "r.example.com/apis",
        SettingsParser.RUNTIME_IMAGE, "r.example.com/gantry/runtime:0.1.0"))));
    assertThat(fixed.settings()).isPresent();
  }
}
