package dev.gantry.operator.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.Builder;
import dev.gantry.crds.v1alpha1.ExposureType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsParserTest {
  static final Map<String, String> MINIMAL = Map.of("registry", "127.0.0.1:5000/apis", "runtimeImage", "r/runtime:1");

  @Test
  void minimalSettingsGetDocumentedDefaults() {
    OperatorSettings settings = SettingsParser.parse(MINIMAL).settings().orElseThrow();
    assertThat(settings.registry().toString()).isEqualTo("127.0.0.1:5000/apis");
    assertThat(settings.defaultBuilder()).isEqualTo(Builder.JIB);
    assertThat(settings.exposure()).isEqualTo(ExposureType.CLUSTER_IP);
    assertThat(settings.hpa()).isEqualTo(new OperatorSettings.HpaDefaults(1, 5, 75));
    assertThat(settings.kaniko()).as("Kaniko needs a toolkit image").isEmpty();
    assertThat(settings.clusterName()).isEqualTo("default");
  }

  @Test
  void clusterNameIsADnsLabel() {
    var data = new java.util.HashMap<>(MINIMAL);
    data.put("clusterName", "eu-west-1a");
    assertThat(SettingsParser.parse(data).settings().orElseThrow().clusterName()).isEqualTo("eu-west-1a");
    data.put("clusterName", "EU_West");
    assertThat(SettingsParser.parse(data).errors()).singleElement().asString().startsWith("clusterName: \"EU_West\"");
  }

  @Test
  void everyMistakeIsReportedNamingItsKey() {
    SettingsParser.Result result = SettingsParser.parse(Map.of("registry", "https://r.example.com",
        "insecureRegistry", "yes", "defaultBuilder", "docker", "exposure", "Ingress", "hpaMinReplicas", "3",
        "hpaMaxReplicas", "2", "pushSecret", "Not_A_Name", "registy", "typo"));
    assertThat(result.settings()).isEmpty();
    assertThat(result.errors()).anyMatch(e -> e.startsWith("registry: ") && e.contains("scheme"))
        .anyMatch(e -> e.startsWith("runtimeImage: required"))
        .anyMatch(e -> e.startsWith("insecureRegistry: \"yes\""))
        .anyMatch(e -> e.startsWith("defaultBuilder: \"docker\""))
        .anyMatch(e -> e.startsWith("exposure: \"Ingress\""))
        .anyMatch(e -> e.startsWith("hpaMaxReplicas: 2 is less than hpaMinReplicas 3"))
        .anyMatch(e -> e.startsWith("pushSecret: "))
        .anyMatch(e -> e.startsWith("registy: unknown key"));
    assertThat(result.message("ConfigMap gantry-system/s")).startsWith("invalid operator settings in ConfigMap gantry-system/s: ");
  }

  @Test
  void kanikoSettingsCarryTheExecutorPushSecretAndInsecureSwitch() {
    var data = new java.util.HashMap<>(MINIMAL);
    data.putAll(Map.of("toolkitImage", "t/toolkit:1", "kanikoExecutorImage", "fork/executor:2", "pushSecret", "push",
        "insecureRegistry", "true", "defaultBuilder", "kaniko"));
    OperatorSettings settings = SettingsParser.parse(data).settings().orElseThrow();
    var kaniko = settings.kaniko().orElseThrow();
    assertThat(settings.defaultBuilder()).isEqualTo(Builder.KANIKO);
    assertThat(kaniko.executorImage()).isEqualTo("fork/executor:2");
    assertThat(kaniko.toolkitImage()).isEqualTo("t/toolkit:1");
    assertThat(kaniko.pushSecret()).contains("push");
    assertThat(kaniko.insecureRegistry()).isTrue();
  }
}
