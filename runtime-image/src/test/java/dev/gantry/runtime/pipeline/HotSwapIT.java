package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.config.ConfigLoader;
import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.server.GatewayServer;
import dev.gantry.runtime.server.ServerSettings;
import dev.gantry.runtime.support.TestBundles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping the whole routing table under load: no request fails, the new routes serve at once. */
class HotSwapIT {
  @TempDir
  Path temp;

  private GatewayConfig bundle(String name, int backendPort, String extraPath) throws Exception {
    Path out = temp.resolve(name);
    TestBundles.build(out, "swap", "v1", """
        openapi: 3.0.3
        info: {title: swap, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /steady: {get: {responses: {"200": {description: ok}}}}
          %s: {get: {responses: {"200": {description: ok}}}}
        """.formatted(extraPath), """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend}
        spec: {urls: ["http://127.0.0.1:%d"]}
        """.formatted(backendPort));
    return new ConfigLoader(Map.of()).load(out.resolve("bundle"), out.resolve("environment.yaml"), temp);
  }

  @Test
  void swapsUnderLoadWithoutAFailedRequest() throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpServer backend = vertx.createHttpServer().requestHandler(r -> r.response().end(r.path()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    GatewayServer gateway = GatewayServer.start(bundle("a", backend.actualPort(), "/old"),
            new ServerSettings("127.0.0.1", 0, 0, null, null, 2, false, Duration.ZERO, Duration.ofSeconds(2)))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI steady = URI.create("http://127.0.0.1:" + gateway.port() + "/swap/v1/steady");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    Map<Integer, Integer> failures = new ConcurrentHashMap<>();
    Thread[] load = new Thread[4];
    for (int i = 0; i < load.length; i++) {
      load[i] = new Thread(() -> {
        while (running.get()) {
          try {
            int status = client.send(HttpRequest.newBuilder(steady).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
            if (status == 200) {
              ok.incrementAndGet();
            } else {
              failures.merge(status, 1, Integer::sum);
            }
          } catch (Exception e) {
            failures.merge(-1, 1, Integer::sum);
          }
        }
      });
      load[i].start();
    }
    GatewayConfig next = bundle("b", backend.actualPort(), "/new");
    for (int swap = 0; swap < 20; swap++) {
      gateway.reload(swap % 2 == 0 ? next : bundle("a" + swap, backend.actualPort(), "/old"))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      Thread.sleep(25);
    }
    gateway.reload(next).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    running.set(false);
    for (Thread t : load) {
      t.join(10_000);
    }
    int newRoute = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
        + "/swap/v1/new")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    int oldRoute = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
        + "/swap/v1/old")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();

    assertThat(failures).as("failed requests by status (-1: I/O error)").isEmpty();
    assertThat(ok.get()).as("requests served while swapping").isGreaterThan(20);
    assertThat(newRoute).isEqualTo(200);
    assertThat(oldRoute).isEqualTo(404);
    gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
