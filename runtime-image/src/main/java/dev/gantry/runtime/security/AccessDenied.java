package dev.gantry.runtime.security;

import java.util.List;

/**
 * Why {@link SecurityGate} refused a request, as the HTTP answer it calls for: 401 with one
 * {@code WWW-Authenticate} header per challenge, 403 with {@code error="insufficient_scope"}
 * challenges (RFC 6750 §3.1), or 503 when a verifying service was down. The message is a summary
 * of per-scheme reasons, safe to log.
 */
public final class AccessDenied extends RuntimeException {

  private final int status;
  private final List<String> challenges;

  private AccessDenied(int status, List<String> challenges, String reason) {
    super(reason, null, false, false);
    this.status = status;
    this.challenges = List.copyOf(challenges);
  }

  static AccessDenied unauthenticated(List<String> challenges, String reason) {
    return new AccessDenied(401, challenges, reason);
  }

  static AccessDenied insufficientScope(List<String> challenges, String reason) {
    return new AccessDenied(403, challenges, reason);
  }

  static AccessDenied unavailable(String reason) {
    return new AccessDenied(503, List.of(), reason);
  }

  public int status() {
    return status;
  }

  /** Values for {@code WWW-Authenticate}, one header each; empty for 503. */
  public List<String> challenges() {
    return challenges;
  }
}
