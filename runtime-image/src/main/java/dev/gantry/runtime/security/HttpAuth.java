package dev.gantry.runtime.security;

import dev.gantry.runtime.vertx.ConnectionChannel;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/** Reading the Authorization header and writing challenge parameters (RFC 9110 §11). */
final class HttpAuth {

  private HttpAuth() {}

  /** The credentials after {@code scheme} in the Authorization header; the scheme is case-insensitive. */
  static String credentials(HttpServerRequest request, String scheme) {
    return credentials(authorization(request), scheme);
  }

  /** The one Authorization header. */
  private static String authorization(HttpServerRequest request) {
    List<String> values = request.headers().getAll(HttpHeaders.AUTHORIZATION);
    if (values.isEmpty()) {
      throw AuthenticationFailure.missing("no Authorization header");
    }
    if (values.size() > 1) {
      // Intermediaries may disagree on which one counts; refuse rather than guess.
      throw AuthenticationFailure.invalid("more than one Authorization header");
    }
    return values.get(0);
  }

  /** The credentials after {@code scheme} in one Authorization header value. */
  static String credentials(String header, String scheme) {
    String value = header.strip();
    return value.substring(credentialsStart(value, scheme));
  }

  /** Where the credentials start in a stripped Authorization value, after {@code scheme} and whitespace. */
  private static int credentialsStart(String value, String scheme) {
    int space = value.indexOf(' ');
    int givenLength = space < 0 ? value.length() : space;
    if (givenLength != scheme.length() || !value.regionMatches(true, 0, scheme, 0, givenLength)) {
      throw AuthenticationFailure.missing("Authorization is not " + scheme);
    }
    // One copy of the credentials (a JWT is most of the header), not one per substring and strip.
    int start = givenLength;
    while (start < value.length() && Character.isWhitespace(value.charAt(start))) {
      start++;
    }
    if (start == value.length()) {
      throw AuthenticationFailure.invalid("empty " + scheme + " credentials");
    }
    return start;
  }

  /** A quoted-string for an auth-param value. */
  static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /**
   * A bearer token's principal: from {@code cache} when it was checked before (or is being checked
   * on this event loop), else from {@code check}.
   * A missing or malformed Authorization header fails without calling either.
   */
  static io.vertx.core.Future<Principal> bearer(HttpServerRequest request, PrincipalCache cache,
      java.util.function.Function<String, io.vertx.core.Future<Principal>> check) {
    String value;
    int start;
    try {
      value = authorization(request).strip();
      start = credentialsStart(value, "Bearer");
    } catch (AuthenticationFailure failure) {
      return io.vertx.core.Future.failedFuture(failure);
    }
    // A hit, the usual case, is the header this connection sent last time, or is found by hashing
    // the token where it stands in the header: no copy of it either way.
    return cache.lookup(ConnectionChannel.of(request), value, start, check);
  }
}
