import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The benchmark's yardstick: the smallest reasonable Vert.x 5 reverse proxy, with no policies at
 * all. One verticle per event loop, each with its own server and its own upstream client, so a
 * request and its upstream connection share a thread. Headers go through as they are (no
 * hop-by-hop filtering), the answer is streamed back with pipe(). Used by bench/gateway.sh
 * (REFERENCE=vertx) to measure the gap between Gantry and bare Vert.x in the same run.
 *
 *   java -cp 'runtime-image/target/gantry-runtime.jar:runtime-image/target/lib/*' bench/MinimalProxy.java \
 *       LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT [INSTANCES]
 */
public class MinimalProxy extends VerticleBase {
  private final int port;
  private final String upstreamHost;
  private final int upstreamPort;
  private HttpClient client;

  MinimalProxy(int port, String upstreamHost, int upstreamPort) {
    this.port = port;
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    String host = args[1];
    int upstreamPort = Integer.parseInt(args[2]);
    int instances = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances).setPreferNativeTransport(true));
    vertx.deployVerticle(() -> new MinimalProxy(port, host, upstreamPort), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("minimal proxy on :" + port + " -> " + host + ":" + upstreamPort
            + ", instances " + instances + ", native transport " + vertx.isNativeTransportEnabled()))
        .onFailure(e -> { e.printStackTrace(); System.exit(1); });
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(256));
    return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)).requestHandler(this::forward)
        .listen(port, "127.0.0.1");
  }

  private void forward(HttpServerRequest request) {
    request.pause();
    client.request(new RequestOptions().setMethod(request.method()).setHost(upstreamHost).setPort(upstreamPort)
            .setURI(request.uri()))
        .compose(upstream -> {
          upstream.headers().addAll(request.headers());
          return upstream.send(request);
        })
        .onSuccess(response -> {
          request.response().setStatusCode(response.statusCode()).headers().addAll(response.headers());
          response.pipe().to(request.response());
        })
        .onFailure(e -> request.response().setStatusCode(502).end());
  }
}
