package dev.gantry.runtime.pipeline;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * An answer a connection's deadline wrote below Vert.x (the 408 of a stalled HTTP/1.x body), kept
 * on the connection's channel so that the request it ended is counted and access-logged with the
 * status its client got, not as a client that went away (status 0).
 */
public final class DeadlineAnswer {
  private static final AttributeKey<Integer> STATUS = AttributeKey.valueOf("gantry.deadlineAnswer");

  private DeadlineAnswer() {}

  /** Before the answer is written: the request then ends as its client having gone. */
  public static void record(Channel channel, int status) {
    channel.attr(STATUS).set(status);
  }

  /** The status a deadline answered {@code request} with, or 0. Asked only of requests that ended without one. */
  static int status(HttpServerRequest request) {
    if (!(request.connection() instanceof ConnectionBase connection)) {
      return 0;
    }
    Integer status = connection.channel().attr(STATUS).get(); // Vert.x internal: the connection's Netty channel
    return status == null ? 0 : status;
  }
}
