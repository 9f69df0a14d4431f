package dev.gantry.runtime.security;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * Checks one security scheme's credentials on a request. Implementations never block the calling
 * event loop: files are read at construction, crypto and network work run asynchronously.
 */
public interface Authenticator {

  /** Succeeds with the principal, or fails with an {@link AuthenticationFailure}. */
  Future<Principal> authenticate(HttpServerRequest request);

  /**
   * The {@code WWW-Authenticate} challenge for this scheme, e.g. {@code Bearer realm="gantry"}.
   * mTLS has no registered HTTP scheme; it answers {@code ClientCertificate realm="…"}, which only
   * tells a human what is missing.
   */
  String challenge();

  /** Releases HTTP clients, caches and threads; the authenticator must not be used afterwards. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
