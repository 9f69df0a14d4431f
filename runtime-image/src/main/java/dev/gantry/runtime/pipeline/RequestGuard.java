package dev.gantry.runtime.pipeline;

import dev.gantry.runtime.config.Limits;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Refuses requests that are too big or ambiguous before anything else looks at them: too many or
 * too large headers, over-long URIs, a missing, repeated or malformed Host, HTTP/2 fields HTTP/1.1
 * could not carry (a CR LF in a value, a name that is no token), and the framing tricks
 * behind request smuggling (several different Content-Lengths, a Transfer-Encoding other than
 * chunked; Content-Length beside Transfer-Encoding never gets here: Netty's HTTP/1.1 decoder refuses
 * it, and its HTTP/2 checks reset a stream that sends transfer-encoding). The HTTP decoder has its own bounds
 * first (the API's in a per-API image, the {@link Limits#CEILING} in a fleet). The body limit is
 * the route's, so it is checked once the route is known ({@link #bodyTooLarge}).
 */
final class RequestGuard {
  /**
   * Why a request is refused: status, error code, message. {@code framing}: where its body ends is
   * in doubt, so its connection ends with the answer (RFC 9112 6.3 asks this when chunked is not the
   * last coding; a request read on from an end that a proxy in front saw elsewhere is a smuggled one).
   */
  record Refusal(int status, String error, String message, boolean framing) {
    Refusal(int status, String error, String message) {
      this(status, error, message, false);
    }
  }

  private final Limits limits;

  RequestGuard(Limits limits) {
    this.limits = limits;
  }

  /** The refusal, or null when the request may go on. */
  Refusal check(HttpServerRequest request) {
    String uri = request.uri();
    if (uri.length() > limits.maxUriLength()) {
      return new Refusal(414, "uri_too_long", "The request URI is too long");
    }
    if (!visibleTarget(uri)) {
      return BAD_TARGET_CHARS;
    }
    if (!uri.startsWith("/") && absoluteAuthorityEnd(uri) < 0 && !uri.equals("*")) { // "*": OPTIONS, not routed
      return new Refusal(400, "bad_target", "The request target must be a path or an http(s) URL");
    }
    if (!plainPath(request.path())) {
      return BAD_PATH;
    }
    MultiMap headers = request.headers();
    // One pass over the fields: their number, the Host fields, and whether there is framing to check.
    int fields = 0;
    long bytes = 0;
    int hosts = 0;
    CharSequence host = null;
    boolean framing = false;
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    boolean malformed = false;
    for (Iterator<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> i = fields(headers); i.hasNext();
         fields++) {
      Map.Entry<? extends CharSequence, ? extends CharSequence> field = i.next();
      CharSequence name = field.getKey();
      bytes += name.length() + field.getValue().length() + 4; // as on the wire: ": " and CRLF
      malformed |= http2 && !(token(name) && fieldValue(field.getValue()));
      if (name.length() == 4 && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)) {
        hosts++;
        host = field.getValue();
      } else if (name.length() == 14 && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LENGTH)
          || name.length() == 17 && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING)) {
        framing = true;
      }
    }
    if (fields > limits.maxHeaders()) {
      return new Refusal(431, "too_many_headers", "The request has too many header fields");
    }
    if (bytes > limits.maxHeaderBytes()) {
      return new Refusal(431, "headers_too_large", "The request's header fields are larger than allowed");
    }
    if (malformed) {
      return MALFORMED_FIELD;
    }
    if (!oneHost(request.version(), hosts, host)) {
      return new Refusal(400, "bad_host", "The request must have exactly one valid Host header");
    }
    return framing ? framing(headers) : null;
  }

  /**
   * RFC 9112, 3.2: an HTTP/1.1 request has exactly one Host field, HTTP/1.0 at most one, each a valid
   * authority (empty when the target has none). Two Hosts are how a request can mean one site to the
   * gateway and another behind it. HTTP/2 names its authority in a pseudo-header; a Host beside it is
   * still at most one.
   */
  private static boolean oneHost(HttpVersion version, int hosts, CharSequence host) {
    if (hosts > 1 || hosts == 0 && version == HttpVersion.HTTP_1_1) {
      return false;
    }
    return host == null || validAuthority(host);
  }

  /**
   * {@code host [":" port]} (RFC 3986, 3.2.2): an IPv6 literal in brackets, or a name of unreserved,
   * percent-encoded and sub-delimiter characters; the port, if any, all digits.
   */
  static boolean validAuthority(CharSequence authority) {
    int length = authority.length();
    int i = 0;
    if (length > 0 && authority.charAt(0) == '[') {
      int close = -1;
      for (int j = 1; j < length && close < 0; j++) {
        char c = authority.charAt(j);
        if (c == ']') {
          close = j;
        } else if (!(isHex(c) || c == ':' || c == '.')) { // IPv6, perhaps ending in IPv4
          return false;
        }
      }
      if (close < 2) {
        return false;
      }
      i = close + 1;
    } else {
      for (; i < length && authority.charAt(i) != ':'; i++) {
        char c = authority.charAt(i);
        if (c == '%') {
          if (i + 2 >= length || !isHex(authority.charAt(i + 1)) || !isHex(authority.charAt(i + 2))) {
            return false;
          }
          i += 2;
        } else if (!(c < 128 && NAME_CHARS[c])) {
          return false;
        }
      }
    }
    if (i == length) {
      return true;
    }
    if (authority.charAt(i) != ':') {
      return false;
    }
    for (int j = i + 1; j < length; j++) {
      if (authority.charAt(j) < '0' || authority.charAt(j) > '9') {
        return false;
      }
    }
    return length - i <= 6; // ":" and at most five digits
  }

  private static final Refusal BAD_TARGET_CHARS = new Refusal(400, "bad_target",
      "The request target must not hold spaces or control characters");

  /**
   * No space or control character in the target (RFC 3986 has none; RFC 9112 3.2). HTTP/1.x's
   * request line cannot carry them, an HTTP/2 {@code :path} can: written into the upstream's request
   * line, a CR LF would start a header field of its own, and a NUL ends the target early for some
   * servers.
   */
  static boolean visibleTarget(String uri) {
    for (int i = 0, n = uri.length(); i < n; i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static final Refusal MALFORMED_FIELD = new Refusal(400, "bad_header",
      "A header field name or value holds characters HTTP does not allow");

  /**
   * RFC 9110 5.1 and 5.5, RFC 9113 8.2.1: a field name is a token, a value holds no control
   * characters but tab (so no CR, LF or NUL). HTTP/1.x's decoder refuses others as it parses; HTTP/2
   * carries fields as binary strings, and written into the upstream's HTTP/1.1 request a CR LF would
   * start a field (or a request) of its own. Netty's map refused them too, as a 502 for the
   * client's error; this is the 400.
   */
  static boolean token(CharSequence name) {
    if (name.length() == 0) {
      return false;
    }
    for (int i = 0, n = name.length(); i < n; i++) {
      char c = name.charAt(i);
      if (!(c < 128 && TOKEN_CHARS[c])) {
        return false;
      }
    }
    return true;
  }

  static boolean fieldValue(CharSequence value) {
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }

  /** tchar (RFC 9110 5.6.2). */
  private static final boolean[] TOKEN_CHARS = new boolean[128];

  static {
    for (char c : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN_CHARS[c] = true;
    }
  }

  private static final Refusal BAD_PATH = new Refusal(400, "bad_path",
      "The request path must not hold . or .. segments or a backslash");

  /**
   * Whether the path is free of dot-segments ({@code .} and {@code ..}, percent-encoded or not, also
   * where an encoded slash or backslash ends them) and backslashes. An encoded slash elsewhere is
   * data, as in an id {@code a%2Fb}. Routing matches the path as it is, but an upstream resolves {@code /items/..} to
   * {@code /}: the request would reach another operation than the one whose security and quota let
   * it in (and some servers read a backslash as a slash). Clients resolve dot-segments before they
   * send (RFC 3986, 5.2.4), so a path with one is refused rather than rewritten.
   */
  static boolean plainPath(String path) {
    if (path == null) {
      return true;
    }
    int dots = 0;      // dots in the segment so far, "." or "%2e"
    boolean onlyDots = true;
    for (int i = 0, n = path.length(); i <= n; i++) {
      char c = i == n ? '/' : path.charAt(i);
      if (c == '%' && i + 2 < n && encodedSeparator(path.charAt(i + 1), path.charAt(i + 2))) {
        c = '/'; // "..%2F" is "../" to a server that decodes first
        i += 2;
      }
      if (c == '/' || c == '?') {
        if (onlyDots && (dots == 1 || dots == 2)) {
          return false;
        }
        if (c == '?') {
          return true;
        }
        dots = 0;
        onlyDots = true;
      } else if (c == '\\') {
        return false;
      } else if (c == '.') {
        dots++;
      } else if (c == '%' && i + 2 < n && path.charAt(i + 1) == '2' && (path.charAt(i + 2) | 0x20) == 'e') {
        dots++;
        i += 2;
      } else {
        onlyDots = false;
      }
    }
    return true;
  }

  /** {@code %2F} or {@code %5C}, any case. */
  private static boolean encodedSeparator(char high, char low) {
    return high == '2' && (low | 0x20) == 'f' || high == '5' && (low | 0x20) == 'c';
  }

  /**
   * For a target in absolute form ({@code http://authority/path?query}, RFC 9112 3.2.2): where its
   * authority ends, or -1 when it is not one (another scheme, no or an invalid authority, userinfo).
   */
  static int absoluteAuthorityEnd(String uri) {
    int start = uri.regionMatches(true, 0, "http://", 0, 7) ? 7 : uri.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
    if (start < 0) {
      return -1;
    }
    int end = start;
    while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
      end++;
    }
    return end > start && validAuthority(uri.subSequence(start, end)) ? end : -1;
  }

  /**
   * The target as the upstream gets it: in origin form. A reverse proxy must accept absolute form,
   * whose authority is then the request's (the Host field is ignored); sent on, the client's URL
   * would reach the upstream as a path, or name another host to an upstream that reads it.
   */
  static String originForm(String uri) {
    if (uri.startsWith("/")) {
      return uri;
    }
    int end = absoluteAuthorityEnd(uri);
    return end == uri.length() || uri.charAt(end) == '?' ? "/" + uri.substring(end) : uri.substring(end);
  }

  /** The authority of a target in absolute form, or null for any other (a checked request). */
  static String targetAuthority(String uri) {
    int end = uri.startsWith("/") ? -1 : absoluteAuthorityEnd(uri);
    return end < 0 ? null : uri.substring(uri.indexOf("//") + 2, end);
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /** reg-name characters: unreserved and sub-delims (RFC 3986, 2.2 and 2.3). */
  private static final boolean[] NAME_CHARS = new boolean[128];

  static {
    for (char c : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=".toCharArray()) {
      NAME_CHARS[c] = true;
    }
  }

  /** The smuggling checks, for the requests that declare a length or an encoding at all. */
  private Refusal framing(MultiMap headers) {
    List<String> lengths = headers.getAll("Content-Length");
    List<String> encodings = headers.getAll("Transfer-Encoding");
    if (encodings.size() > 1 || encodings.size() == 1 && !encodings.get(0).trim().equalsIgnoreCase("chunked")) {
      return new Refusal(400, "bad_transfer_encoding", "Only Transfer-Encoding: chunked is accepted", true);
    }
    if (!lengths.isEmpty() && contentLength(lengths) < 0) {
      return new Refusal(400, "bad_content_length", "Content-Length must be one non-negative number", true);
    }
    return null;
  }

  /**
   * 413 when the request declares a longer body than {@code maxBodyBytes} (a checked request: its
   * lengths agree). A body of no declared length is counted as it streams ({@code Exchange}).
   */
  static Refusal bodyTooLarge(HttpServerRequest request, long maxBodyBytes) {
    List<String> lengths = request.headers().getAll(HttpHeaderNames.CONTENT_LENGTH);
    return !lengths.isEmpty() && contentLength(lengths) > maxBodyBytes ? BODY_TOO_LARGE : null;
  }

  private static final Refusal BODY_TOO_LARGE = new Refusal(413, "body_too_large",
      "The request body is larger than allowed");

  /**
   * 417 for a request with a body that expects anything but {@code 100-continue} (RFC 9110, 10.1.1),
   * the one expectation the gateway meets itself ({@code GatewayHandler}, once the request is admitted).
   */
  static Refusal unmetExpectation(HttpServerRequest request) {
    String expect = request.getHeader(HttpHeaderNames.EXPECT);
    return expect == null || expect.trim().equalsIgnoreCase("100-continue") ? null : EXPECTATION_FAILED;
  }

  private static final Refusal EXPECTATION_FAILED = new Refusal(417, "expectation_failed",
      "The only expectation met is 100-continue");

  /** Every header field, as decoded (Vert.x's HTTP/1.x map is Netty's HttpHeaders: no String per field). */
  private static Iterator<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> fields(MultiMap headers) {
    return headers instanceof HttpHeaders decoded ? decoded.iteratorCharSequence() : headers.iterator();
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
