package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.gantry.toolkit.image.testing.LocalRegistry;
import dev.gantry.toolkit.image.testing.TestImages;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that goes away between lookups. Found on the operator: its pooled client had learnt
 * that the registry speaks plain HTTP, so Jib's I/O retries applied and a lookup took 58 s to fail,
 * holding a reconcile thread the whole time.
 */
class RegistryDownIT {
  private LocalRegistry registry;

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aLookupFailsAtOnceWhenTheRegistryIsDownAndWorksAgainWhenItIsBack() throws Exception {
    registry = LocalRegistry.start();
    String image = TestImages.pushRuntimeStandIn(registry, "gantry/runtime", "0.1.0");
    JibRegistry lookups = new JibRegistry(RegistryAccess.of(true, null, Map.of()));
    ImageReference reference = ImageReference.parse(image);
    assertThat(lookups.lookup(reference)).isInstanceOf(Registry.Present.class);

    registry.stop();
    long start = System.nanoTime();
    assertThatThrownBy(() -> lookups.lookup(reference)).isInstanceOf(RegistryAccessException.class)
        .hasMessageContaining(registry.host());
    // Jib's retries take about a minute; without them a refused connection is milliseconds.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

    registry.resume();
    assertThat(lookups.lookup(reference)).isInstanceOf(Registry.Present.class);
  }
}
