package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageNameTest {
  @Test
  void registryPrefixApiAndVersionMakeTheName() {
    ImageName name = ImageName.of("127.0.0.1:5000/teams/payments", "petstore", "v1");

    assertThat(name.toString()).isEqualTo("127.0.0.1:5000/teams/payments/petstore:v1");
    assertThat(name.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(name.repository()).isEqualTo("teams/payments/petstore");
    assertThat(name.reference().toString()).isEqualTo("127.0.0.1:5000/teams/payments/petstore:v1");
    assertThat(name.withDigest("sha256:" + "a".repeat(64)))
        .isEqualTo("127.0.0.1:5000/teams/payments/petstore@sha256:" + "a".repeat(64));
  }

  @Test
  void noPrefixAndTrailingSlashAreFine() {
    assertThat(ImageName.of("registry.example.com/", "petstore", "1.0.0").toString())
        .isEqualTo("registry.example.com/petstore:1.0.0");
  }

  @Test
  void upperCaseIsLoweredInRepositoriesAndHostButKeptInTags() {
    assertThat(ImageName.of("Registry.Example.com/Team", "PetStore", "RC1").toString())
        .isEqualTo("registry.example.com/team/petstore:RC1");
  }

  @Test
  void plusInVersionBecomesUnderscore() {
    assertThat(ImageName.tag("1.0.0+build.7")).isEqualTo("1.0.0_build.7");
    assertThat(ImageName.of("r:5000", "petstore", "1.0.0+build").tag()).isEqualTo("1.0.0_build");
  }

  @Test
  void apiNamesWithSeparatorsInsideAreKept() {
    assertThat(ImageName.of("r:5000", "pet-store_v2.api", "v1").repository()).isEqualTo("pet-store_v2.api");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pet store", "-petstore", "petstore-", "pet--store", "pet/store", "pét", ""})
  void apiNamesNoRuleCanMendAreRefusedNamingValueAndRule(String api) {
    assertThatThrownBy(() -> ImageName.of("r:5000", api, "v1"))
        .isInstanceOf(ImageNameException.class)
        .hasMessageStartingWith("API name \"" + api + "\" cannot be an image repository part")
        .hasMessageContaining(ImageName.COMPONENT_RULE);
  }

  @ParameterizedTest
  @ValueSource(strings = {".v1", "-v1", "v1/beta", "v 1", "v1:2"})
  void versionsNoRuleCanMendAreRefusedNamingValueAndRule(String version) {
    assertThatThrownBy(() -> ImageName.of("r:5000", "petstore", version))
        .isInstanceOf(ImageNameException.class)
        .hasMessageStartingWith("version \"" + version + "\" cannot be an image tag")
        .hasMessageContaining(ImageName.TAG_RULE);
  }

  @Test
  void tagsLongerThan128AreRefused() {
    assertThat(ImageName.tag("v".repeat(128))).hasSize(128);
    assertThatThrownBy(() -> ImageName.tag("v".repeat(129))).isInstanceOf(ImageNameException.class);
  }

  @Test
  void badRegistriesAreRefusedWithTheValue() {
    assertThatThrownBy(() -> ImageName.Target.parse("http://127.0.0.1:5000"))
        .hasMessageContaining("\"http://127.0.0.1:5000\" has a scheme").hasMessageContaining("--insecure");
    assertThatThrownBy(() -> ImageName.Target.parse("my_registry:5000"))
        .hasMessageStartingWith("registry \"my_registry:5000\": \"my_registry:5000\" is not a registry host");
    assertThatThrownBy(() -> ImageName.Target.parse("r:5000/Team Blue"))
        .hasMessageStartingWith("registry prefix part \"Team Blue\" (in \"r:5000/Team Blue\") cannot be an image repository part");
    assertThatThrownBy(() -> ImageName.Target.parse("r:5000//x")).isInstanceOf(ImageNameException.class);
    assertThatThrownBy(() -> ImageName.Target.parse(" ")).hasMessageStartingWith("registry is empty");
  }

  @Test
  void overlongRepositoriesAreRefused() {
    String prefix = "p".repeat(250);
    assertThatThrownBy(() -> ImageName.of("r:5000/" + prefix, "petstore", "v1"))
        .hasMessageContaining("longer than 255");
  }
}
