package dev.gantry.runtime.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-event-loop pool over real sockets: its limit, its waiters, and what it refuses at load. */
class UpstreamConnectionsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A waiter that records how it was served. */
  static final class Recorder implements UpstreamConnections.Waiter {
    final CompletableFuture<Channel> channel = new CompletableFuture<>();
    final CompletableFuture<Boolean> reused = new CompletableFuture<>();
    final CompletableFuture<Long> failedAfterMillis = new CompletableFuture<>();
    final long start = System.nanoTime();
    volatile Throwable cause;

    @Override
    public void connected(Channel connection, boolean wasReused) {
      reused.complete(wasReused);
      channel.complete(connection);
    }

    @Override
    public void connectFailed(Throwable failure) {
      cause = failure;
      failedAfterMillis.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
  }

  @Test
  void overTheLimitARequestWaitsForAReleasedConnectionAndGivesUpAfterTheConnectTimeout() throws Exception {
    try (ServerSocket upstream = new ServerSocket(0)) { // accepts (the kernel's backlog) and never answers
      UpstreamConnections connections = new UpstreamConnections(vertx, "backend", null, false, 5000, 1);
      UpstreamPool.Target target = new UpstreamPool.Target("backend",
          URI.create("http://127.0.0.1:" + upstream.getLocalPort()), Duration.ofMillis(300), Duration.ofSeconds(5), null);
      Context context = vertx.getOrCreateContext();
      EventLoop loop = ((ContextInternal) context).nettyEventLoop();
      Recorder first = new Recorder();
      Recorder second = new Recorder();
      Recorder third = new Recorder();
      context.runOnContext(v -> connections.acquire(loop, target, first));
      Channel held = first.channel.get(5, TimeUnit.SECONDS);
      context.runOnContext(v -> connections.acquire(loop, target, second));

      long waited = second.failedAfterMillis.get(5, TimeUnit.SECONDS);
      assertThat(second.cause).isInstanceOf(UpstreamConnections.Busy.class);
      assertThat(waited).isBetween(250L, 2000L);
      assertThat(Proxy.failure(second.cause).status()).isEqualTo(503);

      context.runOnContext(v -> {
        connections.acquire(loop, target, third);
        held.pipeline().get(UpstreamHandler.class).pool.release(held); // the first request is done with it
      });
      assertThat(third.channel.get(5, TimeUnit.SECONDS)).isSameAs(held);
      assertThat(third.reused.get()).isTrue();
      assertThat(third.cause).isNull();
      connections.close();
    }
  }

  @Test
  void aCaFileThatIsNotACertificateFailsAtLoadNamingTheEndpoint(@TempDir Path temp) throws Exception {
    Path ca = Files.writeString(temp.resolve("ca.pem"), "not a certificate");
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
        new UpstreamConnections(vertx, "payments", ca, true, 5000));
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Endpoint payments").hasMessageContaining(ca.toString());
  }
}
