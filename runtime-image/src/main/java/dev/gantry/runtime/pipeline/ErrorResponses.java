package dev.gantry.runtime.pipeline;

import io.vertx.core.http.HttpServerResponse;

/**
 * The one shape of every answer the gateway gives itself: a status and a short JSON body
 * {@code {"status":429,"error":"rate_limited","message":"…"}}. Messages are fixed texts, never
 * echoes of request data.
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  public static void send(HttpServerResponse response, int status, String error, String message) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset(); // headers already went out from the upstream: all we can do is abort
      return;
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body(status, error, message));
  }

  /** The JSON body; also for answers written below Vert.x (a client that timed out, see server/ConnectionDeadline). */
  public static String body(int status, String error, String message) {
    return "{\"status\":" + status + ",\"error\":\"" + error + "\",\"message\":\"" + message + "\"}";
  }
}
