package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CompiledRouteTest {

  @Test
  void apiKeysInTheQueryNeverGoUpstreamOtherParametersStayAsSent() {
    CompiledRoute route = new CompiledRoute(null, null, null, Set.of("api_key"));

    assertThat(route.forwardedUri("/a?api_key=s3cret&x=1&y=%20")).isEqualTo("/a?x=1&y=%20");
    assertThat(route.forwardedUri("/a?api%5Fkey=s3cret")).isEqualTo("/a");
    assertThat(route.forwardedUri("/a?x=1&api_key=s3cret")).isEqualTo("/a?x=1");
    assertThat(route.forwardedUri("/a")).isEqualTo("/a");
    assertThat(new CompiledRoute(null, null, null, Set.of()).forwardedUri("/a?api_key=k")).isEqualTo("/a?api_key=k");
  }
}
