package dev.gantry.runtime.pipeline;

import dev.gantry.runtime.config.Limits;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Refuses requests that are too big or ambiguous before anything else looks at them: too many
 * headers, over-long URIs, bodies over the limit, and the framing tricks behind request smuggling
 * (Content-Length beside Transfer-Encoding, several different Content-Lengths, a Transfer-Encoding
 * other than chunked). Header bytes and line length are limited by the HTTP server itself.
 */
final class RequestGuard {
  /** Why a request is refused: status, error code, message. */
  record Refusal(int status, String error, String message) {}

  private final Limits limits;

  RequestGuard(Limits limits) {
    this.limits = limits;
  }

  /** The refusal, or null when the request may go on. */
  Refusal check(HttpServerRequest request) {
    if (request.uri().length() > limits.maxUriLength()) {
      return new Refusal(414, "uri_too_long", "The request URI is too long");
    }
    MultiMap headers = request.headers();
    if (count(headers) > limits.maxHeaders()) {
      return new Refusal(431, "too_many_headers", "The request has too many header fields");
    }
    List<String> lengths = headers.getAll("Content-Length");
    List<String> encodings = headers.getAll("Transfer-Encoding");
    if (!lengths.isEmpty() && !encodings.isEmpty()) {
      return new Refusal(400, "ambiguous_framing", "Content-Length and Transfer-Encoding must not both be sent");
    }
    if (encodings.size() > 1 || encodings.size() == 1 && !encodings.get(0).trim().equalsIgnoreCase("chunked")) {
      return new Refusal(400, "bad_transfer_encoding", "Only Transfer-Encoding: chunked is accepted");
    }
    if (!lengths.isEmpty()) {
      long length = contentLength(lengths);
      if (length < 0) {
        return new Refusal(400, "bad_content_length", "Content-Length must be one non-negative number");
      }
      if (length > limits.maxBodyBytes()) {
        return new Refusal(413, "body_too_large", "The request body is larger than allowed");
      }
    }
    return null;
  }

  /** Header fields, repeated names counted each time (MultiMap.size() counts names, and builds a set to do it). */
  private static int count(MultiMap headers) {
    int[] count = {0};
    headers.forEach((name, value) -> count[0]++);
    return count[0];
  }

  /** The one length all Content-Length values agree on, or -1. */
  private static long contentLength(List<String> values) {
    long length = -1;
    for (String value : values) {
      for (String part : value.split(",")) {
        String digits = part.trim();
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
          return -1;
        }
        long parsed = Long.parseLong(digits);
        if (length >= 0 && parsed != length) {
          return -1;
        }
        length = parsed;
      }
    }
    return length;
  }
}
