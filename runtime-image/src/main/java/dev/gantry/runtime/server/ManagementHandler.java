package dev.gantry.runtime.server;

import dev.gantry.runtime.pipeline.GatewayHandler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/** The management port: liveness, readiness, Prometheus metrics and what bundle is loaded. */
final class ManagementHandler implements Handler<HttpServerRequest> {
  private final GatewayHandler gateway;
  private final BooleanSupplier ready;

  ManagementHandler(GatewayHandler gateway, BooleanSupplier ready) {
    this.gateway = gateway;
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
          .end(gateway.current().metrics().scrape());
      case "/info" -> {
        var config = gateway.current().config();
        response.putHeader("Content-Type", "application/json").end("{\"api\":\"" + config.api() + "\",\"version\":\""
            + config.version() + "\",\"bundleDigest\":\"" + config.bundleDigest() + "\"}");
      }
      default -> response.setStatusCode(404).end();
    }
  }
}
