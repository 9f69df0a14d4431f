package dev.gantry.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class ConnectionMetricsTest {

  @Test
  void aPortsConnectionMetersAreRegisteredOnceAndASecondRegistrationIsRefused() {
    ConnectionMetrics metrics = new ConnectionMetrics();
    metrics.connections("traffic", () -> 3, 10, new LongAdder(), 0, new LongAdder());
    metrics.connections("management", () -> 1, 256, new LongAdder(), 0, new LongAdder());

    // Micrometer would keep the first gauge and log a warning at every start.
    assertThatThrownBy(() -> metrics.connections("traffic", () -> 5, 10, new LongAdder(), 0, new LongAdder()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("traffic");
    assertThat(metrics.scrape()).contains("gantry_client_connections{port=\"traffic\"} 3.0",
        "gantry_client_connections_max{port=\"management\"} 256.0");
  }
}
