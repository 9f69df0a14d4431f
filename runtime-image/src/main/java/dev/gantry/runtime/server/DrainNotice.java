package dev.gantry.runtime.server;

import dev.gantry.runtime.pipeline.LastAnswer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * While the gateway drains (stopping, it still serves for the drain delay), each connection's first
 * request tells its client to go, so that a client or load balancer keeping a pooled connection to
 * this gateway takes its next request elsewhere, instead of sending it on a connection the shutdown
 * is about to close under it. HTTP/1.x: the answer says {@code Connection: close}, as nginx's graceful
 * shutdown does, and the gateway closes the connection once it is sent and reads no further request
 * from it, as RFC 9112 (9.6) asks of a server that sends it; HTTP/1.0 keep-alive too. HTTP/2: a
 * GOAWAY (NO_ERROR), and the streams the connection already opened, this one too, are served. A
 * WebSocket upgrade is left to its tunnel, whose 101 keeps the connection.
 */
final class DrainNotice implements Handler<HttpServerRequest> {
  private final Handler<HttpServerRequest> next;
  private final Duration closeWithin;
  private volatile boolean draining;
  private final Set<HttpConnection> toldToGo = ConcurrentHashMap.newKeySet(); // only while draining, before the exit

  /** {@code closeWithin}: how long a told connection's requests in flight may take (then it is closed). */
  DrainNotice(Handler<HttpServerRequest> next, Duration closeWithin) {
    this.next = next;
    this.closeWithin = closeWithin;
  }

  /** From now on, answers ask for the connection to close. */
  void start() {
    draining = true;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (draining && toldToGo.add(request.connection())) {
      if (request.version() == HttpVersion.HTTP_2) {
        request.connection().goAway(0); // up to the last stream it opened: new ones are refused
      } else if (!request.headers().contains(HttpHeaderNames.UPGRADE)) {
        LastAnswer.on(request, closeWithin);
      }
    }
    next.handle(request);
  }
}
