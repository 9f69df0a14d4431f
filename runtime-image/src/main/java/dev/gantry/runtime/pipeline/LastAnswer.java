package dev.gantry.runtime.pipeline;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.x request whose answer is its connection's last. The answer says {@code Connection: close},
 * and, as RFC 9112 (9.6) asks of a server that says so, the connection is closed once the answer is
 * sent and no request after it is read: Vert.x's graceful close of the connection does both (it reads
 * on to the request's own end, and is cut if that takes longer than {@code within}).
 */
public final class LastAnswer {
  private LastAnswer() {}

  /** Before the answer is sent: from a request handler, on the connection's event loop. */
  public static void on(HttpServerRequest request, Duration within) {
    request.response().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    request.connection().shutdown(Math.max(1, within.toMillis()), TimeUnit.MILLISECONDS);
  }
}
