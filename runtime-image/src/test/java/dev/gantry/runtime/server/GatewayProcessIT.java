package dev.gantry.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry run} as its own JVM, as the image and bin/gantry start it: what its main sets up
 * before any library class loads, which a gateway started inside the test JVM cannot show.
 */
class GatewayProcessIT {
  private static final Pattern SERVING = Pattern.compile("on port (\\d+), management on (\\d+)");

  @TempDir
  Path temp;

  /**
   * Netty's allocator registers JFR events for its chunks, and the first registration loads JFR's whole
   * event metadata into every gateway (~190 classes, ~3 MiB resident), recording or not.
   */
  @Test
  void aServingGatewayLoadsNoFlightRecorderMetadata() throws Exception {
    Vertx vertx = Vertx.vertx();
    int backend = vertx.createHttpServer().requestHandler(request -> request.response().end("done"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    Path out = temp.resolve("build");
    TestBundles.oneOperation(out, "plain", backend);
    Path log = temp.resolve("gateway.log");
    Path classes = temp.resolve("classes.log");
    Process gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx96m", "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"),
        GatewayMain.class.getName(), out.toString(), "--host=127.0.0.1", "--port=0", "--management-port=0",
        "--secrets-dir=" + temp, "--instances=1", "--no-access-log", "--shutdown-grace=1")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Matcher serving = SERVING.matcher("");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> gateway.isAlive() && serving.reset(Files.readString(log)).find());
      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + serving.group(1) + "/plain/v1/work")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("done");
    } finally {
      gateway.destroy();
      gateway.waitFor(20, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    List<String> loaded = Files.readAllLines(classes).stream().map(line -> line.split(" ")[1]).toList();
    assertThat(loaded).as("the request went through Netty's allocator")
        .contains("io.netty.buffer.AdaptivePoolingAllocator");
    assertThat(loaded.stream().filter(name -> name.startsWith("jdk.jfr.internal.Metadata")
        || name.endsWith("ChunkEvent"))).isEmpty();
  }
}
