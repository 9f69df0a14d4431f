package dev.gantry.runtime.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a Vert.x client call on an event loop and waits for its result. Called from a test thread,
 * a client's future callbacks are dispatched to the event loop later, so a response's
 * {@code body()} can be set after its first DATA frame arrived, which Vert.x then drops
 * (eclipse-vertx/vert.x#5904); on the loop, they run in the same turn as the response head.
 */
public final class OnEventLoop {
  private OnEventLoop() {}

  public static <T> T call(Vertx vertx, Supplier<Future<T>> call) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> call.get().onComplete(done -> {
      if (done.succeeded()) {
        result.complete(done.result());
      } else {
        result.completeExceptionally(done.cause());
      }
    }));
    return result.get(10, TimeUnit.SECONDS);
  }
}
