package dev.gantry.runtime.observe;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One JSON line per request on standard output. Written through a buffer and flushed on a timer
 * (and at shutdown), so that logging does not put a system call on every request.
 */
public final class AccessLog {
  private final PrintStream out;
  private final boolean enabled;

  public AccessLog(boolean enabled) {
    this(enabled, new FileOutputStream(FileDescriptor.out));
  }

  AccessLog(boolean enabled, OutputStream target) {
    this.enabled = enabled;
    this.out = new PrintStream(new BufferedOutputStream(target, 64 * 1024), false, StandardCharsets.UTF_8);
  }

  public boolean enabled() {
    return enabled;
  }

  /** One entry; strings are escaped, so request data cannot forge log lines. */
  public void log(String requestId, String method, String path, int status, long nanos, String operation,
                  String principal, String upstream, String client) {
    if (!enabled) {
      return;
    }
    StringBuilder line = new StringBuilder(224).append("{\"time\":\"").append(Instant.now()).append('"');
    field(line, "requestId", requestId);
    field(line, "method", method);
    field(line, "path", path);
    line.append(",\"status\":").append(status).append(",\"durationMs\":").append(nanos / 1_000_000.0);
    field(line, "operation", operation);
    field(line, "principal", principal);
    field(line, "upstream", upstream);
    field(line, "client", client);
    line.append('}');
    synchronized (out) {
      out.println(line);
    }
  }

  public void flush() {
    synchronized (out) {
      out.flush();
    }
  }

  private static void field(StringBuilder line, String name, String value) {
    if (value == null) {
      return;
    }
    line.append(",\"").append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        default -> {
          if (c < 0x20) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }
}
