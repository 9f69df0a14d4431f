package dev.gantry.runtime.upstream;

import java.nio.charset.StandardCharsets;

/**
 * The principal as a header value: printable ASCII as it is, anything else (and {@code %}) as
 * percent-encoded UTF-8 (RFC 3986, 2.1). A header carries bytes, not text: Netty writes a char
 * above U+00FF as {@code ?}, so two Cyrillic subjects would reach the upstream as the same
 * {@code CN=????}, and a control character would not be sendable at all. Encoded, every principal
 * arrives intact and distinct; ASCII names such as most token subjects are unchanged.
 */
public final class PrincipalHeader {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PrincipalHeader() {}

  public static String value(String principal) {
    int last = principal.length() - 1;
    for (int i = 0; i <= last; i++) {
      if (!verbatim(principal.charAt(i), i == 0 || i == last)) {
        return encoded(principal);
      }
    }
    return principal;
  }

  /** Visible ASCII but {@code %}; a space only inside, where no header parser trims it. */
  private static boolean verbatim(char c, boolean atAnEnd) {
    return c > 0x20 && c < 0x7f && c != '%' || c == ' ' && !atAnEnd;
  }

  private static String encoded(String principal) {
    byte[] utf8 = principal.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(utf8.length + 16);
    for (int i = 0; i < utf8.length; i++) {
      char c = (char) (utf8[i] & 0xff);
      if (verbatim(c, i == 0 || i == utf8.length - 1)) {
        out.append(c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
