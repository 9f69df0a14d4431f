package dev.gantry.runtime.upstream;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long one upstream request may wait for its response headers.
 *
 * <p>A Vert.x timer per request (the request idle timeout) is a map entry plus a task on the event
 * loop's scheduler, set and cancelled on every request: about 8% of the gateway's CPU per request
 * (bench/README.md). A shared wheel timer was tried and is worse: it keeps each request reachable
 * until its next tick, long enough to outlive a young GC and fill the old generation. Here each
 * event loop keeps its waiting requests in a linked list (add and remove are a few pointer writes,
 * and an answered request is unlinked at once) and sweeps it every {@value #SWEEP_MILLIS} ms while
 * it is not empty; a deadline fires up to one sweep late. Once the headers are in, a stalled body
 * is cut by the upstream connection's read idle timeout ({@link #bodyIdleMillis}).
 */
public final class ResponseDeadline {
  static final long SWEEP_MILLIS = 25;

  /** The waiting requests of the calling event loop (an event loop thread never changes owner). */
  private static final ThreadLocal<Waiting> LOOPS = new ThreadLocal<>();

  /** What a request that missed its deadline fails with. */
  static final class Missed extends TimeoutException {
    Missed(long millis) {
      super("no response headers within " + millis + " ms");
    }
  }

  private final Waiting list;
  private Exchange request; // null once answered or expired: nothing is kept alive for longer
  private final long deadlineNanos;
  private final long millis;
  private ResponseDeadline previous;
  private ResponseDeadline next;

  private ResponseDeadline(Waiting list, Exchange request, long millis) {
    this.list = list;
    this.request = request;
    this.millis = millis;
    this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** Starts the clock for {@code request}, sent on {@code loop}, the calling thread. */
  static ResponseDeadline start(EventLoop loop, Exchange request, long millis) {
    Waiting list = LOOPS.get();
    if (list == null) {
      list = new Waiting(loop);
      LOOPS.set(list);
    }
    ResponseDeadline deadline = new ResponseDeadline(list, request, millis);
    list.add(deadline);
    return deadline;
  }

  /** The headers arrived or the request failed: the deadline no longer applies. On the request's event loop. */
  void cancel() {
    if (request != null) {
      request = null;
      list.remove(this);
    }
  }

  /**
   * The upstream connection's read idle timeout, which cuts a body that stops coming. Longer than
   * the header deadline by more than a sweep, so that a request still waiting for its headers fails
   * as a timeout (504) here rather than as a closed connection (502).
   */
  public static long bodyIdleMillis(long responseTimeoutMillis) {
    return responseTimeoutMillis + Math.max(1000, responseTimeoutMillis / 2);
  }

  /** One event loop's waiting requests: a doubly linked list behind a sentinel, and its sweep. */
  private static final class Waiting {
    private final EventLoop loop;
    private final ResponseDeadline sentinel = new ResponseDeadline(null, null, 0);
    private boolean sweepScheduled;

    Waiting(EventLoop loop) {
      this.loop = loop;
      sentinel.previous = sentinel;
      sentinel.next = sentinel;
    }

    void add(ResponseDeadline deadline) {
      deadline.previous = sentinel.previous;
      deadline.next = sentinel;
      sentinel.previous.next = deadline;
      sentinel.previous = deadline;
      if (!sweepScheduled) {
        sweepScheduled = true;
        // On Netty's scheduler, not a Vert.x timer: Vert.x cancels a context's timers when its verticle goes.
        loop.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
      }
    }

    void remove(ResponseDeadline deadline) {
      deadline.previous.next = deadline.next;
      deadline.next.previous = deadline.previous;
      deadline.previous = null;
      deadline.next = null;
    }

    private void sweep() {
      long now = System.nanoTime();
      List<ResponseDeadline> overdue = null;
      for (ResponseDeadline d = sentinel.next; d != sentinel; d = d.next) {
        if (now - d.deadlineNanos >= 0) {
          (overdue == null ? overdue = new ArrayList<>() : overdue).add(d);
        }
      }
      if (overdue != null) { // reset after the walk: a reset's callbacks may unlink other entries
        for (ResponseDeadline d : overdue) {
          Exchange request = d.request;
          if (request != null) {
            d.cancel();
            request.missedDeadline(new Missed(d.millis));
          }
        }
      }
      sweepScheduled = sentinel.next != sentinel;
      if (sweepScheduled) {
        loop.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
      }
    }
  }
}
