package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAccessTest {
  @TempDir
  Path temp;

  @Test
  void dockerConfigEnvironmentVariableIsUsedWhenNoFileIsGiven() throws Exception {
    Path config = Files.writeString(temp.resolve("config.json"), "{\"auths\": {}}");
    assertThat(RegistryAccess.of(false, null, Map.of("DOCKER_CONFIG", temp.toString())).dockerConfig()).contains(config);
  }

  @Test
  void explicitFileWinsAndMustExist() throws Exception {
    Path explicit = Files.writeString(temp.resolve("mine.json"), "{}");
    assertThat(RegistryAccess.of(true, explicit, Map.of("DOCKER_CONFIG", "/nowhere")).dockerConfig()).contains(explicit);
    assertThatThrownBy(() -> RegistryAccess.of(true, temp.resolve("missing.json"), Map.of()))
        .hasMessage("docker config " + temp.resolve("missing.json") + " does not exist or is not a file");
  }

  @Test
  void credentialsComeFromAuthsForTheImagesRegistryOnly() throws Exception {
    String auth = Base64.getEncoder().encodeToString("gantry:s3cret".getBytes());
    Path config = Files.writeString(temp.resolve("config.json"),
        "{\"auths\": {\"127.0.0.1:5000\": {\"auth\": \"" + auth + "\"}}}");
    RegistryAccess access = RegistryAccess.of(true, config, Map.of());

    assertThat(access.credential(ImageReference.parse("127.0.0.1:5000/petstore:v1")))
        .contains(Credential.from("gantry", "s3cret"));
    assertThat(access.credential(ImageReference.parse("127.0.0.1:6000/petstore:v1"))).isEmpty();
  }

  @Test
  void missingCredentialHelperIsReportedAsAWarningAndAccessIsAnonymous() throws Exception {
    Path config = Files.writeString(temp.resolve("config.json"),
        "{\"credHelpers\": {\"127.0.0.1:5000\": \"gantry-no-such-helper\"}}");
    List<String> warnings = new ArrayList<>();
    RegistryAccess access = RegistryAccess.of(true, config, Map.of()).withWarnings(warnings::add);

    assertThat(access.credential(ImageReference.parse("127.0.0.1:5000/petstore:v1"))).isEmpty();
    assertThat(warnings).anyMatch(w -> w.contains("docker-credential-gantry-no-such-helper"));
  }

  @Test
  void lookupCallsShareOneConnectionPoolInsteadOfOnePerRequest() throws Exception {
    var server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("{}".getBytes());
      exchange.close();
    });
    server.start();
    var http = RegistryAccess.of(true, null, Map.of()).httpClient(log -> { });
    try {
      java.net.URL url = new java.net.URL("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/");
      for (int i = 0; i < 3; i++) {
        try (var response = http.get(url, com.google.cloud.tools.jib.http.Request.builder().build())) {
          assertThat(response.getStatusCode()).isEqualTo(200);
        }
      }
      // Jib records every transport a call took: the same one three times, not three.
      assertThat(http.getTransportsCreated()).hasSize(3).containsOnly(http.getTransportsCreated().peekFirst());
    } finally {
      http.shutDown();
      server.stop(0);
    }
  }
}
