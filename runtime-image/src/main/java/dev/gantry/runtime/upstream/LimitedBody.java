package dev.gantry.runtime.upstream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A chunked request body, whose size no header announces, counted as it streams: once more than
 * {@code limit} bytes have come it stops and calls {@code onOverflow}, which resets the upstream
 * request. (Failing the stream instead would make the pipe end the upstream request normally, and
 * the upstream would take a truncated body for a whole one.)
 */
final class LimitedBody implements ReadStream<Buffer> {
  /** The body went over the limit. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("request body over the limit", null, false, false);
    }
  }

  private final ReadStream<Buffer> body;
  private final long limit;
  private final Runnable onOverflow;
  private long seen;
  private boolean failed;

  LimitedBody(ReadStream<Buffer> body, long limit, Runnable onOverflow) {
    this.body = body;
    this.limit = limit;
    this.onOverflow = onOverflow;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    body.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      body.handler(null);
      return this;
    }
    body.handler(chunk -> {
      if (failed) {
        return;
      }
      seen += chunk.length();
      if (seen > limit) {
        failed = true;
        body.pause();
        onOverflow.run();
        return;
      }
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    body.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    body.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    body.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    if (endHandler == null) {
      // The pipe clears its handlers when done. Passed as a lambda, the clear reached an ended
      // request as a new handler, which throws (and fills in a stack trace) on every request.
      body.endHandler(null);
      return this;
    }
    body.endHandler(v -> {
      if (!failed) {
        endHandler.handle(v);
      }
    });
    return this;
  }
}
