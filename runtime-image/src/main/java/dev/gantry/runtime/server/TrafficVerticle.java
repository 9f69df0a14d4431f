package dev.gantry.runtime.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One traffic server on one event loop; Vert.x shares the port among all instances. */
final class TrafficVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final Handler<HttpServerRequest> handler;
  private final Duration grace;
  private final AtomicInteger boundPort;
  private HttpServer server;

  TrafficVerticle(HttpServerOptions options, Handler<HttpServerRequest> handler, Duration grace, AtomicInteger boundPort) {
    this.options = new HttpServerOptions(options);
    this.handler = handler;
    this.grace = grace;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(options).requestHandler(handler).listen().onSuccess(s -> {
      server = s;
      boundPort.set(s.actualPort());
    });
  }

  /** Stops accepting at once; open requests get the grace period to finish. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }
}
