package dev.gantry.runtime.server;

import dev.gantry.runtime.observe.ConnectionMetrics;
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
  private final ClientTimeouts clientTimeouts;
  private final ConnectionMetrics connectionMetrics;
  private HttpServer server;
  private long sweepTimer = -1;

  TrafficVerticle(HttpServerOptions options, Handler<HttpServerRequest> handler, Duration grace,
                  ClientTimeouts clientTimeouts, ConnectionMetrics connectionMetrics, AtomicInteger boundPort) {
    this.connectionMetrics = connectionMetrics;
    this.options = new HttpServerOptions(options);
    this.handler = handler;
    this.grace = grace;
    this.clientTimeouts = clientTimeouts;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    if (clientTimeouts.requestHeaderMillis() > 0) {
      // Until SlowClientSweeper.watch takes a connection over (its first request head, with h2c on).
      options.setIdleTimeout(clientTimeouts.requestHeaderMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
      // The TLS handshake is part of sending a head, and a dribbled one resets any idle timeout.
      options.setSslHandshakeTimeout(clientTimeouts.requestHeaderMillis())
          .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }
    HttpServer created = vertx.createHttpServer(options).requestHandler(handler);
    if (clientTimeouts.anyOn()) { // this verticle's connections and timer share its event loop
      SlowClientSweeper sweeper = new SlowClientSweeper(clientTimeouts, connectionMetrics);
      created.connectionHandler(sweeper::watch);
      sweepTimer = vertx.setPeriodic(SlowClientSweeper.SWEEP_MILLIS, id -> sweeper.sweep());
    }
    return created.listen().onSuccess(s -> {
      server = s;
      boundPort.set(s.actualPort());
    });
  }

  /** New connections take {@code next} (renewed certificate, key, client CAs); open ones keep what they negotiated. */
  Future<Boolean> reloadTls(io.vertx.core.net.ServerSSLOptions next) {
    return server == null ? Future.succeededFuture(false) : server.updateSSLOptions(next, true);
  }

  /** Stops accepting at once; open requests get the grace period to finish. */
  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer); // shutting down: the grace period, not the client timeouts, bounds what is left
    }
    return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }
}
