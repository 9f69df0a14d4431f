package dev.gantry.runtime.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * While the gateway drains (stopping, it still serves for the drain delay), every HTTP/1.x answer
 * says {@code Connection: close}, as nginx's graceful shutdown does, and an HTTP/2 connection gets a
 * GOAWAY (NO_ERROR) with its first request: a client or load balancer keeping a pooled connection to
 * this gateway takes its next request elsewhere, instead of sending it on a connection the shutdown
 * is about to close under it. The streams the connection already opened, this one too, are served.
 */
final class DrainNotice implements Handler<HttpServerRequest> {
  private final Handler<HttpServerRequest> next;
  private volatile boolean draining;
  private final Set<HttpConnection> toldToGo = ConcurrentHashMap.newKeySet(); // only while draining, before the exit

  DrainNotice(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  /** From now on, answers ask for the connection to close. */
  void start() {
    draining = true;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (draining) {
      if (request.version() != HttpVersion.HTTP_2) {
        request.response().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      } else if (toldToGo.add(request.connection())) {
        request.connection().goAway(0); // up to the last stream it opened: new ones are refused
      }
    }
    next.handle(request);
  }
}
