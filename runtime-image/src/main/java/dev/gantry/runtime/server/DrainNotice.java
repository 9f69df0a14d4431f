package dev.gantry.runtime.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * While the gateway drains (stopping, it still serves for the drain delay), every HTTP/1.x answer
 * says {@code Connection: close}, as nginx's graceful shutdown does: a client or load balancer
 * keeping a pooled connection to this gateway takes the next request elsewhere, instead of sending
 * it on a connection the shutdown is about to close under it. HTTP/2 connections get their GOAWAY
 * when the shutdown begins.
 */
final class DrainNotice implements Handler<HttpServerRequest> {
  private final Handler<HttpServerRequest> next;
  private volatile boolean draining;

  DrainNotice(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  /** From now on, answers ask for the connection to close. */
  void start() {
    draining = true;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (draining && request.version() != HttpVersion.HTTP_2) {
      request.response().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    next.handle(request);
  }
}
