package dev.gantry.runtime.pipeline;

import io.netty.util.AsciiString;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code X-Request-Id}, which ties a request's access log line, its upstream's logs and what the
 * client saw together: the one the client (or a proxy in front) sent when it is a plain token, else
 * a new one. It goes upstream, back to the client on every answer, and into the access log.
 */
public final class RequestId {
  public static final AsciiString HEADER = AsciiString.cached("x-request-id");
  private static final int MAX_LENGTH = 200;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestId() {}

  /** The request's id, set on the request (for the upstream) and on its response. */
  public static String assign(HttpServerRequest request) {
    String sent = request.getHeader(HEADER);
    String id = sent != null && plain(sent) ? sent : generate();
    if (id != sent) {
      request.headers().set(HEADER, id);
    }
    request.response().headers().set(HEADER, id);
    return id;
  }

  /** Visible ASCII only, so it cannot split a header or a log line. */
  static boolean plain(String id) {
    if (id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** 128 random bits as 32 hex digits; unique, not secret (ThreadLocalRandom: no lock, no entropy wait). */
  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[32];
    for (int half = 0; half < 2; half++) {
      long bits = random.nextLong();
      for (int i = 0; i < 16; i++) {
        id[half * 16 + i] = HEX[(int) (bits >>> (60 - 4 * i)) & 0xf];
      }
    }
    return new String(id);
  }
}
