package dev.gantry.runtime.pipeline;

import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.config.RouteConfig;
import dev.gantry.runtime.config.UpstreamConfig;
import dev.gantry.runtime.observe.GatewayMetrics;
import dev.gantry.runtime.ratelimit.RateLimiter;
import dev.gantry.runtime.routing.RouteTable;
import dev.gantry.runtime.security.Authenticator;
import dev.gantry.runtime.security.Authenticators;
import dev.gantry.runtime.security.SecretFingerprint;
import dev.gantry.runtime.security.SecurityGate;
import dev.gantry.runtime.upstream.UpstreamConnections;
import dev.gantry.runtime.upstream.Proxy;
import dev.gantry.runtime.upstream.UpstreamPool;
import io.netty.util.AsciiString;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One loaded bundle, ready to serve: the route table, a connection pool per upstream, the rate
 * limiters and the security gate. Immutable once built, so the gateway swaps a whole one in
 * atomically (hot reload) and a request sees either the old or the new, never a mix.
 */
public final class CompiledGateway {
  private static final Duration EJECT_FOR = Duration.ofSeconds(10);

  private final GatewayConfig config;
  private final RouteTable<CompiledRoute> routes;
  private final SecurityGate security;
  private final RequestGuard guard;
  private final GatewayMetrics metrics;
  private final List<UpstreamConnections> clients;
  private final List<Authenticator> authenticators;
  private final SecretFingerprint secrets; // what the mounted files held just before they were read
  private final AsciiString principalHeader; // its hash made once: taken off and set on every forwarded request

  private CompiledGateway(GatewayConfig config, RouteTable<CompiledRoute> routes, SecurityGate security,
                          RequestGuard guard, GatewayMetrics metrics, List<UpstreamConnections> clients,
                          List<Authenticator> authenticators, SecretFingerprint secrets) {
    this.config = config;
    this.routes = routes;
    this.security = security;
    this.guard = guard;
    this.metrics = metrics;
    this.clients = clients;
    this.authenticators = authenticators;
    this.secrets = secrets;
    this.principalHeader = AsciiString.cached(config.principalHeader());
  }

  /** Builds everything; throws with a clear message when a security setting cannot be used. */
  public static CompiledGateway build(GatewayConfig config, Vertx vertx, GatewayMetrics metrics) {
    SecretFingerprint secrets = SecretFingerprint.of(SecretFingerprint.files(config));
    Map<String, Authenticator> authenticators = Authenticators.createAll(config.security(), vertx);
    Map<String, UpstreamConnections> clients = new HashMap<>();
    config.upstreams().forEach((name, upstream) -> clients.put(name, new UpstreamConnections(vertx, name,
        upstream.caFile(), upstream.urls().stream().anyMatch(u -> "https".equalsIgnoreCase(u.getScheme())),
        upstream.responseTimeout().toMillis())));
    Map<String, RateLimiter> limiters = new HashMap<>();
    config.rateLimits().forEach((name, limit) -> limiters.put(name, new RateLimiter(limit)));
    Map<List<String>, Proxy> proxies = new HashMap<>();
    List<CompiledRoute> compiled = new ArrayList<>();
    for (RouteConfig route : config.routes()) {
      Proxy proxy = proxies.computeIfAbsent(route.upstreams(), names -> proxy(names, config, clients));
      compiled.add(new CompiledRoute(route, proxy, route.rateLimit() == null ? null : limiters.get(route.rateLimit()),
          credentialParameters(route, config)));
    }
    RouteTable<CompiledRoute> table = RouteTable.of(compiled, r -> r.config().method(), r -> r.config().path());
    SecurityGate gate = new SecurityGate(authenticators);
    config.routes().forEach(route -> gate.requireKnownSchemes(route.security()));
    return new CompiledGateway(config, table, gate, new RequestGuard(config.limits()), metrics,
        List.copyOf(clients.values()), List.copyOf(authenticators.values()), secrets);
  }

  /**
   * This gateway with its mounted files read again, which held {@code read} just before (a rotated
   * Secret): security schemes built anew, so their verified-credential caches start empty and a
   * revoked key is refused at once, and Endpoint CAs for new upstream connections. Routes, quota
   * buckets, upstream pools and their health carry over. Throws, changing nothing, as {@link #build}
   * does when a file cannot be used.
   */
  public CompiledGateway withSecretsReread(Vertx vertx, SecretFingerprint read) {
    Map<String, Authenticator> rebuilt = Authenticators.createAll(config.security(), vertx);
    List<Runnable> trustRenewed = new ArrayList<>();
    try {
      for (UpstreamConnections client : clients) {
        Runnable renew = client.rereadCa();
        if (renew != null) {
          trustRenewed.add(renew);
        }
      }
    } catch (RuntimeException e) {
      Authenticators.closeAll(rebuilt.values());
      throw e;
    }
    trustRenewed.forEach(Runnable::run); // all read: none of it applied unless all of it could be
    return new CompiledGateway(config, routes, new SecurityGate(rebuilt), guard, metrics, clients,
        List.copyOf(rebuilt.values()), read);
  }

  /** What the mounted files (security schemes', Endpoint CAs) held when this gateway read them. */
  public SecretFingerprint secrets() {
    return secrets;
  }

  /** Releases only the security clients (JWKS, introspection) of a gateway whose security was rebuilt. */
  public io.vertx.core.Future<Void> closeSecurity() {
    return Authenticators.closeAll(authenticators);
  }

  private static java.util.Set<String> credentialParameters(RouteConfig route, GatewayConfig config) {
    return route.security().stream().flatMap(List::stream)
        .map(ref -> config.security().get(ref.scheme()))
        .filter(s -> s != null && s.apikey() != null && "query".equals(s.apikey().in()))
        .map(s -> s.apikey().name())
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** Routes naming several Endpoints balance over all their URLs; each Endpoint keeps its own pool and TLS. */
  private static Proxy proxy(List<String> names, GatewayConfig config, Map<String, UpstreamConnections> clients) {
    List<UpstreamPool.Target> targets = new ArrayList<>();
    for (String name : names) {
      UpstreamConfig upstream = config.upstreams().get(name);
      upstream.urls().forEach(url -> targets.add(new UpstreamPool.Target(name, url, upstream.connectTimeout(),
          upstream.responseTimeout(), upstream.caFile())));
    }
    UpstreamPool pool = new UpstreamPool(targets, EJECT_FOR, System::nanoTime);
    return new Proxy(clients::get, pool);
  }

  public GatewayConfig config() {
    return config;
  }

  /** The header the authenticated principal goes upstream in ({@link GatewayConfig#principalHeader}). */
  AsciiString principalHeader() {
    return principalHeader;
  }

  RouteTable<CompiledRoute> routes() {
    return routes;
  }

  SecurityGate security() {
    return security;
  }

  RequestGuard guard() {
    return guard;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Releases what a swapped-out gateway holds: upstream connection pools, JWKS and introspection clients. */
  public io.vertx.core.Future<Void> close() {
    clients.forEach(UpstreamConnections::close);
    return Authenticators.closeAll(authenticators);
  }
}
