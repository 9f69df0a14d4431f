package dev.gantry.runtime.vertx;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty channel under a Vert.x connection, where the gateway keeps per-connection state and
 * handlers. It is Vert.x internal API ({@code ConnectionBase}): reached here only, so a Vert.x
 * upgrade that moves it has one place to change.
 */
public final class ConnectionChannel {
  private ConnectionChannel() {}

  /** The channel of {@code request}'s connection, or null where there is none (tests' requests). */
  public static Channel of(HttpServerRequest request) {
    return of(request.connection());
  }

  /** The channel of {@code connection}, or null if it is not one of Vert.x's own. */
  public static Channel of(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }
}
