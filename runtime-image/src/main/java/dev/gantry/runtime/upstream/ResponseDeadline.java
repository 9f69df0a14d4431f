package dev.gantry.runtime.upstream;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.vertx.core.Context;
import io.vertx.core.http.HttpClientRequest;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long one upstream request may wait for its response headers. A Vert.x timer per request (the
 * request idle timeout) is a map entry plus a task on the event loop's scheduler, set and cancelled
 * on every request: measured at about 8% of the gateway's CPU per request (bench/README.md). All
 * deadlines here share one Netty wheel timer: a slot entry each, and one thread that ticks every
 * {@value #TICK_MILLIS} ms, so a deadline fires up to one tick late. Once the headers are in, a
 * stalled body is cut by the upstream connection's read idle timeout ({@link #bodyIdleMillis}).
 */
public final class ResponseDeadline implements TimerTask {
  static final long TICK_MILLIS = 20;

  private static final HashedWheelTimer WHEEL = new HashedWheelTimer(daemon(), TICK_MILLIS, TimeUnit.MILLISECONDS, 512);

  /** What a request that missed its deadline fails with. */
  static final class Missed extends TimeoutException {
    Missed(long millis) {
      super("no response headers within " + millis + " ms");
    }
  }

  private final Context context;
  private final HttpClientRequest request;
  private final long millis;
  private final Timeout timeout;
  private boolean answered; // touched on the request's event loop only

  private ResponseDeadline(Context context, HttpClientRequest request, long millis) {
    this.context = context;
    this.request = request;
    this.millis = millis;
    this.timeout = WHEEL.newTimeout(this, millis, TimeUnit.MILLISECONDS);
  }

  /** Starts the clock for {@code request}, sent from {@code context}'s event loop (null: none, reset from the wheel). */
  static ResponseDeadline start(Context context, HttpClientRequest request, long millis) {
    return new ResponseDeadline(context, request, millis);
  }

  /** The headers arrived or the request failed: the deadline no longer applies. */
  void cancel() {
    answered = true;
    timeout.cancel();
  }

  /**
   * The upstream connection's read idle timeout, which cuts a body that stops coming. Longer than
   * the header deadline by more than a tick, so that a request still waiting for its headers fails
   * as a timeout (504) here rather than as a closed connection (502).
   */
  public static long bodyIdleMillis(long responseTimeoutMillis) {
    return responseTimeoutMillis + Math.max(1000, responseTimeoutMillis / 2);
  }

  @Override
  public void run(Timeout expired) {
    // On the wheel's thread: the reset itself runs on the request's event loop, unless the answer got there first.
    if (context == null) {
      request.reset(0, new Missed(millis));
      return;
    }
    context.runOnContext(v -> {
      if (!answered) {
        answered = true;
        request.reset(0, new Missed(millis));
      }
    });
  }

  private static ThreadFactory daemon() {
    return task -> {
      Thread thread = new Thread(task, "gantry-response-deadlines");
      thread.setDaemon(true);
      return thread;
    };
  }
}
