package dev.gantry.runtime.security;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Real loopback HTTP for the tests: a server whose handler runs an authentication function and
 * writes the outcome, and a client to call it. Every wait is a future with a timeout.
 */
final class TestHttp {

  /** What the test server answered: status, body (principal or reason), challenges, and whether
   *  the authentication future was already complete when returned (a cache hit). */
  record Response(int status, String body, List<String> challenges, boolean synchronous) {}

  final Vertx vertx;
  private final HttpClientAgent client;

  TestHttp(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  int serve(Function<HttpServerRequest, Future<Principal>> authenticate) {
    return serve(new HttpServerOptions(), authenticate);
  }

  int serve(HttpServerOptions options, Function<HttpServerRequest, Future<Principal>> authenticate) {
    var server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
      Future<Principal> result;
      try {
        result = authenticate.apply(request);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      boolean synchronous = result.isComplete();
      result.onComplete(outcome -> respond(request, outcome, synchronous));
    });
    return await(server.listen()).actualPort();
  }

  /** Serves a gate for the route security {@code alternatives}. */
  int serve(SecurityGate gate, List<List<dev.gantry.runtime.config.RouteConfig.SchemeRef>> alternatives) {
    return serve(request -> gate.check(request, alternatives));
  }

  Response get(int port, String uri, String... headers) {
    return get(client, "127.0.0.1", port, uri, headers);
  }

  /**
   * {@code headers} are name, value pairs. The exchange runs on a Vert.x context: registered from
   * the test thread, {@code response.body()} could come after a fast response had already ended.
   */
  Response get(HttpClient client, String host, int port, String uri, String... headers) {
    RequestOptions options = new RequestOptions().setHost(host).setPort(port).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    Promise<Response> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(ignored -> client.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> new Response(response.statusCode(), body.toString(),
            response.headers().getAll("WWW-Authenticate"), "true".equals(response.getHeader("x-synchronous")))))
        .onComplete(result));
    return await(result.future());
  }

  private static void respond(HttpServerRequest request, AsyncResult<Principal> outcome, boolean synchronous) {
    var response = request.response().putHeader("x-synchronous", String.valueOf(synchronous));
    if (outcome.succeeded()) {
      Principal p = outcome.result();
      response.end(p == null ? "anonymous" : p.name() + "|" + String.join(" ", new TreeSet<>(p.scopes())) + "|" + p.scheme());
    } else if (outcome.cause() instanceof AccessDenied denied) {
      denied.challenges().forEach(challenge -> response.headers().add("WWW-Authenticate", challenge));
      response.setStatusCode(denied.status()).end(String.valueOf(denied.getMessage()));
    } else if (outcome.cause() instanceof AuthenticationFailure failure) {
      response.setStatusCode(failure.upstreamUnavailable() ? 503 : 401).end(failure.getMessage());
    } else {
      response.setStatusCode(500).end(String.valueOf(outcome.cause()));
    }
  }
}
