package dev.gantry.runtime.security;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/** Reading the Authorization header and writing challenge parameters (RFC 9110 §11). */
final class HttpAuth {

  private HttpAuth() {}

  /** The credentials after {@code scheme} in the Authorization header; the scheme is case-insensitive. */
  static String credentials(HttpServerRequest request, String scheme) {
    List<String> values = request.headers().getAll(HttpHeaders.AUTHORIZATION);
    if (values.isEmpty()) {
      throw AuthenticationFailure.missing("no Authorization header");
    }
    if (values.size() > 1) {
      // Intermediaries may disagree on which one counts; refuse rather than guess.
      throw AuthenticationFailure.invalid("more than one Authorization header");
    }
    String value = values.get(0).strip();
    int space = value.indexOf(' ');
    String given = space < 0 ? value : value.substring(0, space);
    if (!given.equalsIgnoreCase(scheme)) {
      throw AuthenticationFailure.missing("Authorization is not " + scheme);
    }
    String credentials = value.substring(given.length()).strip();
    if (credentials.isEmpty()) {
      throw AuthenticationFailure.invalid("empty " + scheme + " credentials");
    }
    return credentials;
  }

  /** A quoted-string for an auth-param value. */
  static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /**
   * A bearer token's principal: from {@code cache} when it was checked before, else from {@code check}.
   * A missing or malformed Authorization header fails without calling either.
   */
  static io.vertx.core.Future<Principal> bearer(HttpServerRequest request, PrincipalCache cache,
      java.util.function.Function<String, io.vertx.core.Future<Principal>> check) {
    String token;
    try {
      token = credentials(request, "Bearer");
    } catch (AuthenticationFailure failure) {
      return io.vertx.core.Future.failedFuture(failure);
    }
    Principal cached = cache.get(token);
    return cached != null ? io.vertx.core.Future.succeededFuture(cached) : check.apply(token);
  }
}
