package dev.gantry.runtime.fleet;

import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.config.RouteConfig;
import dev.gantry.runtime.observe.AccessLog;
import dev.gantry.runtime.observe.GatewayMetrics;
import dev.gantry.runtime.pipeline.CompiledGateway;
import dev.gantry.runtime.pipeline.ErrorResponses;
import dev.gantry.runtime.pipeline.GatewayHandler;
import dev.gantry.runtime.pipeline.RequestId;
import dev.gantry.runtime.routing.RouteMatch;
import dev.gantry.runtime.routing.RouteTable;
import dev.gantry.runtime.server.GatewayServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fleet gateway's set of APIs, each a {@link GatewayHandler} of its own bundle, behind one port.
 * A request goes to the API whose route templates match its path; that API's handler then does
 * everything a per-API gateway does (method, security, quota, proxy).
 *
 * <p>Changes come from a source thread and never stop traffic: an updated API swaps its compiled
 * bundle inside its handler (a request runs wholly on the bundle it started with), and the path
 * table is an immutable snapshot replaced atomically. A replaced or removed bundle's connection
 * pools close after the grace period, when requests on it have finished.
 */
public final class FleetGateway implements GatewayServer.Served, Handler<HttpServerRequest> {
  private final Vertx vertx;
  private final AccessLog accessLog;
  private final Duration grace;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Loaded> apis = new TreeMap<>(); // guarded by this; name order decides path conflicts
  private final AtomicReference<RouteTable<PathOwner>> paths = new AtomicReference<>(RouteTable.of(List.of(),
      r -> ANY, PathOwner::path));

  private static final String ANY = "*";
  private volatile boolean sourceReady; // false until the source has loaded what it serves

  /** A route template and the API that serves it. */
  private record PathOwner(String path, GatewayHandler handler) {}

  /** One served API: the source's revision of it and its handler. */
  public record Loaded(String name, long revision, String bundleDigest, GatewayHandler handler) {}

  public FleetGateway(Vertx vertx, AccessLog accessLog, Duration grace) {
    this.vertx = vertx;
    this.accessLog = accessLog;
    this.grace = grace;
  }

  /**
   * Serves {@code config} as API {@code name} from now on, replacing what was served under that
   * name. Throws, leaving the previous bundle serving, when the bundle cannot be built.
   */
  public synchronized void put(String name, long revision, GatewayConfig config) {
    Loaded previous = apis.get(name);
    CompiledGateway compiled = CompiledGateway.build(config, vertx, previous != null
        ? previous.handler().current().metrics() : new GatewayMetrics(name, registry));
    if (previous != null) {
      CompiledGateway old = previous.handler().swap(compiled);
      closeLater(old);
      apis.put(name, new Loaded(name, revision, config.bundleDigest(), previous.handler()));
    } else {
      apis.put(name, new Loaded(name, revision, config.bundleDigest(), new GatewayHandler(compiled, accessLog)));
    }
    publishPaths();
  }

  /** The source has loaded its initial set of APIs (or its cache): readiness may turn true. */
  public void sourceReady() {
    sourceReady = true;
  }

  @Override
  public boolean ready() {
    return sourceReady;
  }

  /** Stops serving API {@code name} (404 for its paths from now on). */
  public synchronized void remove(String name) {
    Loaded removed = apis.remove(name);
    if (removed != null) {
      publishPaths();
      // At once, not after the grace period: the API may be put back before that, with new meters.
      removed.handler().current().metrics().unregister();
      closeLater(removed.handler().current());
    }
  }

  public synchronized Map<String, Loaded> loaded() {
    return Map.copyOf(apis);
  }

  @Override
  public synchronized java.util.Collection<GatewayHandler> handlers() {
    return apis.values().stream().map(Loaded::handler).toList();
  }

  /** API name → bundle digest, for registration. */
  public synchronized Map<String, String> digests() {
    Map<String, String> digests = new TreeMap<>();
    apis.forEach((name, loaded) -> digests.put(name, loaded.bundleDigest()));
    return digests;
  }

  private void publishPaths() {
    List<PathOwner> owners = new ArrayList<>();
    apis.values().forEach(api -> {
      for (RouteConfig route : api.handler().current().config().routes()) {
        owners.add(new PathOwner(route.path(), api.handler()));
      }
    });
    paths.set(RouteTable.of(owners, e -> ANY, PathOwner::path)); // first API by name keeps a contested path
  }

  private void closeLater(CompiledGateway old) {
    vertx.setTimer(Math.max(1, grace.toMillis()), id -> old.close());
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    if (paths.get().match(ANY, request.path()) instanceof RouteMatch.Found<PathOwner> found) {
      found.route().handler().handle(request);
      return;
    }
    String requestId = RequestId.assign(request);
    ErrorResponses.send(request.response(), 404, "not_found", "No API on this gateway serves this path");
    GatewayHandler.stopUnwantedBody(request);
    accessLog.log(requestId, request.method().name(), request.path(), 404, System.nanoTime() - start, "-", null, null,
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
  }

  @Override
  public Handler<HttpServerRequest> traffic() {
    return this;
  }

  @Override
  public String metrics() {
    return registry.scrape();
  }

  @Override
  public synchronized String info() {
    StringBuilder json = new StringBuilder("{\"apis\":[");
    String separator = "";
    for (Loaded api : apis.values()) {
      var config = api.handler().current().config();
      json.append(separator).append("{\"api\":\"").append(config.api()).append("\",\"version\":\"")
          .append(config.version()).append("\",\"bundleDigest\":\"").append(config.bundleDigest()).append("\"}");
      separator = ",";
    }
    return json.append("]}").toString();
  }

  @Override
  public synchronized Future<Void> close() {
    return Future.all(apis.values().stream().map(a -> a.handler().current().close()).toList()).mapEmpty();
  }
}
