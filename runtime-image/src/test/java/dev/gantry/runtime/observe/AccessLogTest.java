package dev.gantry.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccessLogTest {
  @Test
  void aLineIsOneJsonObjectWithTheRequestIdAndRequestDataCannotForgeAnother() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = new AccessLog(true, out);

    log.log("4f1c", "GET", "/a\"},{\"status\":200\n", 401, 1_500_000, "getItem", "CN=Zoë", null, "10.0.0.1");
    log.flush();

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).hasSize(1);
    JsonObject line = new JsonObject(text);
    assertThat(line.getString("requestId")).isEqualTo("4f1c");
    assertThat(line.getString("path")).isEqualTo("/a\"},{\"status\":200\n");
    assertThat(line.getInteger("status")).isEqualTo(401);
    assertThat(line.getDouble("durationMs")).isEqualTo(1.5);
    assertThat(line.getString("principal")).isEqualTo("CN=Zoë");
    assertThat(line.containsKey("upstream")).isFalse();
  }
}
