package dev.gantry.runtime.server;

import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.config.Limits;
import dev.gantry.runtime.observe.AccessLog;
import dev.gantry.runtime.observe.ConnectionMetrics;
import dev.gantry.runtime.observe.GatewayMetrics;
import dev.gantry.runtime.pipeline.CompiledGateway;
import dev.gantry.runtime.pipeline.GatewayHandler;
import dev.gantry.runtime.security.MtlsAuthenticator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running gateway: the traffic port (one server per event loop, all sharing one handler) and
 * the management port. {@link #stop()} drains: not ready first, then no new connections, then
 * in-flight requests finish within the grace period.
 */
public final class GatewayServer {
  /** What each HTTP/2 client connection may have open at once; more are refused (REFUSED_STREAM, the client retries). */
  public static final int MAX_HTTP2_STREAMS = 128;
  /** Connections the management port keeps open at once: probes and scrapers need few; each costs heap. */
  public static final int MANAGEMENT_MAX_CONNECTIONS = 256;
  private static final ConnectionBounds MANAGEMENT_CONNECTIONS = new ConnectionBounds(MANAGEMENT_MAX_CONNECTIONS, 0);
  private final Vertx vertx;
  private final Served served;
  private final GatewayHandler handler; // null for a fleet, whose APIs come and go through its source
  private final ServerSettings settings;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final DrainNotice drainNotice; // the traffic handler
  private final AccessLog accessLog;
  private final ConnectionMetrics connectionMetrics = new ConnectionMetrics();
  private final ConnectionLimits connectionLimits;
  private final EarlyTimeouts earlyTimeouts;
  private String deployment;
  private SecretRotation rotation;
  private HttpServer management;
  private int port;

  private GatewayServer(Vertx vertx, Served served, GatewayHandler handler, ServerSettings settings,
                        AccessLog accessLog, ConnectionLimits connectionLimits, EarlyTimeouts earlyTimeouts) {
    this.connectionLimits = connectionLimits;
    this.earlyTimeouts = earlyTimeouts;
    this.vertx = vertx;
    this.served = served;
    // A told connection's answers in flight have until the shutdown's own grace ends, as the server's.
    this.drainNotice = new DrainNotice(served.traffic(), settings.drainDelay().plus(settings.shutdownGrace()));
    this.handler = handler;
    this.settings = settings;
    this.accessLog = accessLog;
  }

  /** What a server serves: the traffic handler, and what its management port shows. */
  public interface Served {
    Handler<HttpServerRequest> traffic();

    String metrics();

    /** JSON for {@code /info}. */
    String info();

    Future<Void> close();

    /** The APIs' handlers now, whose security files are watched for rotation. */
    default java.util.Collection<GatewayHandler> handlers() {
      return List.of();
    }

    /** Whether what is served is complete enough to take traffic (a fleet: its source has loaded). */
    default boolean ready() {
      return true;
    }
  }

  /** Builds the gateway from {@code config} and listens; fails (nothing left running) when it cannot. */
  public static Future<GatewayServer> start(GatewayConfig config, ServerSettings settings) {
    List<Path> clientCas = MtlsAuthenticator.caFiles(config.security().values());
    return start(settings, config.limits(), clientCas, (vertx, accessLog) -> {
      GatewayHandler handler = new GatewayHandler(CompiledGateway.build(config, vertx, new GatewayMetrics(config.api())),
          accessLog);
      return new SingleApi(handler);
    });
  }

  private static final FileSystemOptions NO_FILE_RESOLVING = new FileSystemOptions().setFileCachingEnabled(false)
      .setClassPathResolvingEnabled(false);

  /**
   * Starts a server for whatever {@code served} builds on the server's Vert.x (a fleet's changing set
   * of APIs); {@code limits} bound the HTTP decoder, {@code clientCas} enable mTLS client certificates.
   */
  public static Future<GatewayServer> start(ServerSettings settings, Limits limits, List<Path> clientCas,
                                            BiFunction<Vertx, AccessLog, Served> served) {
    // Native epoll where its jar and the OS allow it (else NIO): measured in bench/README.md, NIO's
    // selector and buffer copies cost a large share of each request. The transport is wrapped to put
    // the connection bounds' gate in each server channel, which only the transport can place.
    // Workers only verify JWT signatures (CPU-bound; a JWKS fetch is rare and single-flight in
    // nimbus), so more of them than twice the CPUs buys nothing but stacks; Vert.x's default is 20.
    // The gateway reads its files itself (bundle, secrets): Vert.x's class-path resolving and its
    // cache directory (/tmp/vertx-cache-*, left behind whenever the process is killed) serve nothing.
    ConnectionLimits connectionLimits = new ConnectionLimits();
    EarlyTimeouts earlyTimeouts = new EarlyTimeouts();
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(Math.max(1, settings.instances()))
            .setWorkerPoolSize(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()))
            .setFileSystemOptions(NO_FILE_RESOLVING))
        .withTransport(new GatedTransport(GatedTransport.chosen(Boolean.getBoolean("gantry.nio")), connectionLimits,
            earlyTimeouts))
        .build();
    try {
      AccessLog accessLog = new AccessLog(settings.accessLog());
      Served built = served.apply(vertx, accessLog);
      GatewayServer server = new GatewayServer(vertx, built, built instanceof SingleApi single ? single.handler() : null,
          settings, accessLog, connectionLimits, earlyTimeouts);
      vertx.setPeriodic(1000, id -> accessLog.flush());
      // Failed first, then closed: a future of the failed listen's context could never report, since
      // that event loop is gone once Vert.x is closed (the caller waited out its timeout instead).
      Promise<GatewayServer> started = Promise.promise();
      server.listen(limits, clientCas).onComplete(result -> {
        if (result.succeeded()) {
          started.complete(result.result());
        } else {
          started.fail(result.cause());
          vertx.close();
        }
      });
      return started.future();
    } catch (RuntimeException e) {
      return vertx.close().transform(v -> Future.failedFuture(e));
    }
  }

  /** One API, as a per-API image serves it. */
  private record SingleApi(GatewayHandler handler) implements Served {
    @Override
    public Handler<HttpServerRequest> traffic() {
      return handler;
    }

    @Override
    public String metrics() {
      return handler.current().metrics().scrape();
    }

    @Override
    public String info() {
      var config = handler.current().config();
      return "{\"api\":\"" + config.api() + "\",\"version\":\"" + config.version() + "\",\"bundleDigest\":\""
          + config.bundleDigest() + "\"}";
    }

    @Override
    public Future<Void> close() {
      return handler.current().close();
    }

    @Override
    public java.util.Collection<GatewayHandler> handlers() {
      return List.of(handler);
    }
  }

  private Future<GatewayServer> listen(Limits limits, List<Path> clientCas) {
    int instances = Math.max(1, settings.instances());
    HttpServerOptions options = new HttpServerOptions()
        .setHost(settings.host())
        // Port 0 with several instances: Vert.x shares one random port only when asked with -1.
        .setPort(settings.port() == 0 && instances > 1 ? -1 : settings.port())
        .setTcpNoDelay(true)
        // Room above the header and URI limits, so that RequestGuard answers 431 or 414 with its JSON
        // error rather than the decoder a bare one; the room still bounds what a connection buffers.
        .setMaxHeaderSize(2 * limits.maxHeaderBytes())
        .setMaxInitialLineLength(2 * limits.maxUriLength() + 64)
        // HTTP/2's own bound on a header block; Vert.x's default, 8 KiB, would cap an API that allows more.
        // Streams per connection: Vert.x's default is unlimited, so one connection could hold as many
        // upstream requests as it liked; nginx allows 128 (RFC 9113 asks for no fewer than 100).
        .setInitialSettings(new io.vertx.core.http.Http2Settings().setMaxHeaderListSize(2 * limits.maxHeaderBytes())
            .setMaxConcurrentStreams(MAX_HTTP2_STREAMS))
        .setHandle100ContinueAutomatically(false)
        // Every response is written on its connection's event loop (security's blocking work and
        // clients complete there), so writes skip Vert.x's cross-thread queue (experimental in 5.0;
        // an off-loop write would throw IllegalStateException, which the ITs would show).
        .setStrictThreadMode(true);
    if (settings.tlsCert() != null) {
      options.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(settings.tlsCert().toString()).setKeyPath(settings.tlsKey().toString()));
      if (!clientCas.isEmpty()) {
        PemTrustOptions trust = new PemTrustOptions();
        clientCas.forEach(ca -> trust.addCertPath(ca.toString()));
        options.setTrustOptions(trust).setClientAuth(ClientAuth.REQUEST);
      }
    }
    DeploymentOptions deployment = new DeploymentOptions().setInstances(instances);
    AtomicInteger boundPort = new AtomicInteger();
    if (settings.port() > 0) { // bounded from the first connection; a random port (tests) once it is known
      connectionLimits.limit(settings.port(), settings.connections());
    }
    if (settings.managementPort() > 0) {
      connectionLimits.limit(settings.managementPort(), MANAGEMENT_CONNECTIONS);
    }
    List<TrafficVerticle> trafficServers = new java.util.concurrent.CopyOnWriteArrayList<>();
    SecretRotation.ServerTls tls = settings.tlsCert() == null ? null : serverTls(options, clientCas, trafficServers);
    return vertx.deployVerticle(() -> {
          TrafficVerticle verticle = new TrafficVerticle(options, drainNotice, settings.shutdownGrace(),
              settings.clientTimeouts(), connectionMetrics, boundPort);
          trafficServers.add(verticle);
          return verticle;
        }, deployment)
        .recover(e -> Future.failedFuture(cannotListen("traffic", settings.port(), e)))
        .compose(id -> {
          this.deployment = id;
          return vertx.createHttpServer(managementOptions())
              .requestHandler(new ManagementHandler(served, connectionMetrics, () -> ready.get() && served.ready()))
              .listen(settings.managementPort())
              .recover(e -> Future.failedFuture(cannotListen("management", settings.managementPort(), e)));
        })
        .map(managementServer -> {
          this.management = managementServer;
          this.port = boundPort.get();
          limitConnections("traffic", port, settings.connections());
          earlyTimeouts.count(port, connectionMetrics); // the traffic port's clients; not the management port's
          limitConnections("management", managementServer.actualPort(), MANAGEMENT_CONNECTIONS);
          rotation = new SecretRotation(vertx, served::handlers, tls, settings.shutdownGrace(), System.err::println);
          rotation.start(settings.secretsPollInterval());
          ready.set(true);
          return this;
        });
  }

  /**
   * The TLS server's files as the servers about to listen read them, and how to give them renewed
   * ones: read and checked once, then the same options to every traffic server.
   */
  private SecretRotation.ServerTls serverTls(HttpServerOptions options, List<Path> cas,
                                             List<TrafficVerticle> servers) {
    List<Path> files = java.util.stream.Stream.concat(
        java.util.stream.Stream.of(settings.tlsCert(), settings.tlsKey()), cas.stream()).toList();
    return new SecretRotation.ServerTls(files, dev.gantry.runtime.security.SecretFingerprint.of(files), () -> {
      io.vertx.core.net.ServerSSLOptions next = ServerTlsFiles.read(settings.tlsCert(), settings.tlsKey(), cas)
          .sslOptions(options.getSslOptions(), vertx);
      return Future.all(servers.stream().map(server -> server.reloadTls(next)).toList());
    });
  }

  /**
   * Bounds a bound port's open connections (0: none), or takes the bound set before it listened
   * (the limit is the port's), and shows them on /metrics: once per port.
   */
  private void limitConnections(String which, int boundPort, ConnectionBounds bounds) {
    ConnectionLimits.Limit limit = connectionLimits.limit(boundPort, bounds);
    if (limit != null) {
      connectionMetrics.connections(which, limit::open, limit.max, limit.reached, limit.perClient,
          limit.refusedPerClient);
    }
  }

  /**
   * The management port speaks HTTP/1.1 only, which is all that probes and scrapers use: no h2c
   * upgrade to get wrong (the JDK client's default upgrade once hung a test's scrape). A connection
   * that sends nothing for the request-head timeout is closed, so idle or half-sent connections do
   * not pile up on a port that is often reachable from the whole cluster network.
   */
  HttpServerOptions managementOptions() {
    return new HttpServerOptions().setHost(settings.host()).setHttp2ClearTextEnabled(false)
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout(settings.clientTimeouts().requestHeaderMillis());
  }

  /** Names the port a bind failed on: Netty's own message ("bind(..) failed ... Address already in use") does not. */
  private IllegalStateException cannotListen(String which, int port, Throwable cause) {
    return new IllegalStateException("cannot listen on " + settings.host() + ":" + port + " (" + which + " port): "
        + cause.getMessage(), cause);
  }

  public Served served() {
    return served;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return port;
  }

  public int managementPort() {
    return management.actualPort();
  }

  public boolean ready() {
    return ready.get() && served.ready();
  }

  public GatewayHandler handler() {
    return handler;
  }

  /**
   * Serves {@code next} from now on, atomically: each request runs wholly on the bundle it started
   * with. The old bundle's connection pools are closed once requests on it have had the shutdown
   * grace period to finish. Fails, leaving the current bundle serving, when {@code next} cannot be built.
   */
  public Future<Void> reload(GatewayConfig next) {
    if (handler == null) {
      return Future.failedFuture(new IllegalStateException("a fleet gateway reloads through its source"));
    }
    CompiledGateway compiled;
    try {
      compiled = CompiledGateway.build(next, vertx, handler.current().metrics());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    CompiledGateway previous = handler.swap(compiled);
    vertx.setTimer(Math.max(1, settings.shutdownGrace().toMillis()), id -> previous.close());
    return Future.succeededFuture();
  }

  /** Not ready → wait the drain delay → stop accepting → let in-flight requests finish → close. */
  public Future<Void> stop() {
    ready.set(false);
    drainNotice.start();
    if (rotation != null) {
      rotation.stop();
    }
    long delay = Math.max(1, settings.drainDelay().toMillis());
    return Future.<Void>future(p -> vertx.setTimer(delay, id -> p.complete()))
        .compose(v -> vertx.undeploy(deployment))
        .compose(v -> management.close())
        .eventually(() -> {
          accessLog.flush();
          return served.close().eventually(vertx::close);
        });
  }

  /** For the shutdown hook: waits for {@link #stop()} with the grace period plus a margin. */
  public void stopAndWait() {
    try {
      stop().toCompletionStage().toCompletableFuture()
          .get(settings.drainDelay().plus(settings.shutdownGrace()).toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("gantry: shutdown did not complete cleanly: " + e);
    }
  }
}
