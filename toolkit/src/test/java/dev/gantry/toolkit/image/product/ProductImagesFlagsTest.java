package dev.gantry.toolkit.image.product;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runtime image's JVM flags are the ones bin/gantry runs and bench/gateway.sh measures
 * (runtime-image/jvm.options): a benchmark of other flags would report figures nobody ships.
 */
class ProductImagesFlagsTest {
  @Test
  void theRuntimeImageRunsTheFlagsTheBenchmarkMeasures() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "runtime-image", "jvm.options")).stream()
        .filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
    assertThat(lines).hasSize(1);
    assertThat(ProductImages.RUNTIME_JVM).containsExactlyElementsOf(Arrays.asList(lines.get(0).trim().split("\\s+")));
  }
}
