package dev.gantry.runtime.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writing HTTP/1.1 to a raw socket and reading answers off it, for tests that write requests byte by byte. */
public final class RawResponses {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

  private RawResponses() {}

  /** Writes {@code text} (ISO-8859-1, so bytes stay bytes) and flushes it. */
  public static void send(java.net.Socket socket, String text) throws IOException {
    java.io.OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** A head and as many body bytes as its Content-Length says (ISO-8859-1, so bytes stay bytes). */
  public static String read(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[4096];
    for (int n; !complete(text) && (n = in.read(buffer)) > 0; ) {
      text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    }
    return text.toString();
  }

  private static boolean complete(StringBuilder text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    Matcher length = CONTENT_LENGTH.matcher(text.substring(0, end));
    return length.find() && text.length() - end - 4 >= Long.parseLong(length.group(1));
  }
}
