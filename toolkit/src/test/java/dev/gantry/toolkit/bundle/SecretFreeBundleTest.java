package dev.gantry.toolkit.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.toolkit.resolve.Fixtures;
import dev.gantry.toolkit.resolve.LocalInputs;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** No value of a referenced Secret may reach the bundle or the environment: only names and keys. */
class SecretFreeBundleTest {

  @Test
  void noSecretValueOfTheSampleReachesTheOutput() {
    ResolvedApi api = LocalInputs.resolve(List.of(Fixtures.SAMPLES.resolve("petstore.yaml")),
        List.of(Fixtures.SAMPLE_RESOURCES), null, null).api().orElseThrow();
    Bundle bundle = new BundleCompiler().compile(api);
    String environment = new String(new EnvironmentCompiler().compile(api), StandardCharsets.UTF_8);
    List<String> values = secretValues();

    assertThat(values).hasSizeGreaterThanOrEqualTo(5);
    // The references themselves are there: the gateway needs them to find the mounted files.
    assertThat(environment).contains("name: petstore-oauth", "key: client-secret", "name: petstore-api-keys");
    for (String value : values) {
      for (String form : List.of(value, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))) {
        bundle.files().forEach((path, bytes) ->
            assertThat(new String(bytes, StandardCharsets.UTF_8)).as(path).doesNotContain(form));
        assertThat(environment).as("environment.yaml").doesNotContain(form);
      }
    }
  }

  /** Every value line of the sample Secrets, each line of multi-line values on its own. */
  private static List<String> secretValues() {
    List<String> values = new ArrayList<>();
    String text = Fixtures.read(Fixtures.SAMPLE_RESOURCES.resolve("secrets.yaml"));
    for (Object document : new Yaml().loadAll(text)) {
      Map<?, ?> secret = (Map<?, ?>) document;
      ((Map<?, ?>) secret.get("stringData")).values().forEach(v ->
          String.valueOf(v).lines().filter(l -> !l.isBlank()).forEach(values::add));
    }
    return values;
  }
}
