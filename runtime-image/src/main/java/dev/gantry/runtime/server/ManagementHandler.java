package dev.gantry.runtime.server;

import dev.gantry.runtime.observe.ConnectionMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/** The management port: liveness, readiness, Prometheus metrics and what bundle is loaded. */
final class ManagementHandler implements Handler<HttpServerRequest> {
  private final GatewayServer.Served served;
  private final ConnectionMetrics connections;
  private final BooleanSupplier ready;

  ManagementHandler(GatewayServer.Served served, ConnectionMetrics connections, BooleanSupplier ready) {
    this.served = served;
    this.connections = connections;
    this.ready = ready;
  }

  @Override
  public void handle(HttpServerRequest request) {
    var response = request.response();
    switch (request.path()) {
      case "/health/live" -> response.putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
      case "/health/ready" -> {
        boolean isReady = ready.getAsBoolean();
        response.setStatusCode(isReady ? 200 : 503).putHeader("Content-Type", "application/json")
            .end(isReady ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
      }
      case "/metrics" -> response.putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
          .end(served.metrics() + connections.scrape()); // distinct metric names: one exposition
      case "/info" -> response.putHeader("Content-Type", "application/json").end(served.info());
      default -> response.setStatusCode(404).end();
    }
  }
}
