package dev.gantry.runtime.security;

/**
 * A request's credentials for one scheme are missing or invalid, or could not be checked because
 * the verifying service (JWKS, introspection) is unavailable. The message is a short reason that
 * is safe to log: it never contains the credential.
 */
public final class AuthenticationFailure extends RuntimeException {

  public enum Reason { MISSING, INVALID, UNAVAILABLE }

  private final Reason reason;

  private AuthenticationFailure(Reason reason, String message, Throwable cause) {
    // No stack trace: failures are routine and hot, the message says all that matters.
    super(loggable(message), cause, false, false);
    this.reason = reason;
  }

  /** Library messages may quote token content (e.g. a claim value): keep it short and on one line. */
  private static String loggable(String message) {
    if (message == null) {
      return "credentials rejected";
    }
    String oneLine = message.replaceAll("\\p{Cntrl}", " ");
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }

  public static AuthenticationFailure missing(String message) {
    return new AuthenticationFailure(Reason.MISSING, message, null);
  }

  public static AuthenticationFailure invalid(String message) {
    return new AuthenticationFailure(Reason.INVALID, message, null);
  }

  /** The credential may be fine; the service that vouches for it did not answer (maps to 503). */
  public static AuthenticationFailure unavailable(String message, Throwable cause) {
    return new AuthenticationFailure(Reason.UNAVAILABLE, message, cause);
  }

  public Reason reason() {
    return reason;
  }

  public boolean upstreamUnavailable() {
    return reason == Reason.UNAVAILABLE;
  }
}
