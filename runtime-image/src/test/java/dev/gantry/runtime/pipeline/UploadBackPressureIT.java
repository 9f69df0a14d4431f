package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import dev.gantry.runtime.support.RawResponses;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload to an upstream that is not reading is held back at the client, not taken into the
 * gateway's memory: the client can only write as far as the socket buffers on the way reach.
 */
class UploadBackPressureIT {
  static final int UPLOAD = 128 * 1024 * 1024;
  static final long BACKEND_PAUSE_MILLIS = 2500;

  @TempDir
  Path temp;

  @Test
  void aClientsUploadWaitsWhileTheUpstreamDoesNotReadAndThenArrivesWhole() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicLong writtenWhenTheBackendStartedReading = new AtomicLong(-1);
    AtomicLong written = new AtomicLong();
    HttpServer backend = vertx.createHttpServer().requestHandler(request -> {
      request.pause(); // reads nothing for a while: its socket buffer fills, then the gateway's
      vertx.setTimer(BACKEND_PAUSE_MILLIS, id -> {
        writtenWhenTheBackendStartedReading.set(written.get());
        long[] received = {0};
        request.handler(chunk -> received[0] += chunk.length());
        request.endHandler(v -> request.response().end(new JsonObject().put("length", received[0]).encode()));
        request.resume();
      });
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    GatewayServer gateway = GatewayServer.start(bundle(backend.actualPort()),
            new ServerSettings("127.0.0.1", 0, 0, null, null, 1, false, Duration.ZERO, Duration.ofSeconds(2)))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /upload/v1/sink HTTP/1.1\r\nHost: x\r\nContent-Length: " + UPLOAD + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      Thread writer = new Thread(() -> {
        byte[] chunk = new byte[64 * 1024];
        try {
          for (long sent = 0; sent < UPLOAD; sent += chunk.length) {
            out.write(chunk);
            written.addAndGet(chunk.length);
          }
        } catch (java.io.IOException e) {
          written.set(-1);
        }
      });
      writer.start();

      String response = RawResponses.read(socket.getInputStream());
      writer.join(10_000);

      assertThat(response).startsWith("HTTP/1.1 200");
      assertThat(new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)).getLong("length"))
          .isEqualTo(UPLOAD);
      // Loopback socket buffers (the client's, the gateway's both ways, the backend's) hold some tens
      // of MB at most; without back-pressure the gateway would have read the whole upload meanwhile.
      assertThat(writtenWhenTheBackendStartedReading.get())
          .as("bytes the client could write while the upstream read nothing")
          .isBetween(1L, 64L * 1024 * 1024);
    } finally {
      gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The bundle: the operation raises its body limit above the upload (the default is 10 MiB). */
  private GatewayConfig bundle(int backendPort) throws Exception {
    Path out = temp.resolve("bundle");
    TestBundles.build(out, "upload", "v1", """
        openapi: 3.0.3
        info: {title: upload, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /sink: {post: {x-gantry-limits: {maxBodySize: 256Mi}, responses: {"200": {description: ok}}}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend}
        spec: {urls: ["http://127.0.0.1:%d"], timeouts: {response: 20s}}
        """.formatted(backendPort));
    return new ConfigLoader(Map.of()).load(out.resolve("bundle"), out.resolve("environment.yaml"), temp);
  }
}
