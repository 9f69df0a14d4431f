package dev.gantry.toolkit.problem;

import java.util.Comparator;
import java.util.Objects;

/**
 * A mistake in what the user wrote, as a value. {@code source} names the file (or the resource,
 * as {@code Kind/name}), {@code line} is 1-based or 0 when unknown, {@code path} is the field path
 * inside it (for example {@code paths./pets/{id}.get.x-gantry-ratelimit}).
 */
public record Problem(Severity severity, String source, int line, String path, String message) {

  public static final Comparator<Problem> ORDER =
      Comparator.comparing(Problem::severity)
          .thenComparing(Problem::source)
          .thenComparingInt(Problem::line)
          .thenComparing(Problem::path)
          .thenComparing(Problem::message);

  /** Longest path and message kept: a problem about a 100k-character value must not repeat it. */
  private static final int MAX_PATH = 300;
  private static final int MAX_MESSAGE = 1000;

  public Problem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    source = source == null ? "" : source;
    path = shorten(path == null ? "" : path, MAX_PATH);
    message = shorten(message, MAX_MESSAGE);
  }

  private static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "… (" + (text.length() - max) + " more characters)";
  }

  public static Problem error(String source, int line, String path, String message) {
    return new Problem(Severity.ERROR, source, line, path, message);
  }

  public static Problem warning(String source, int line, String path, String message) {
    return new Problem(Severity.WARNING, source, line, path, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code file:line: path: message}, leaving out the parts that are unknown. */
  public String location() {
    StringBuilder out = new StringBuilder(source);
    if (line > 0) {
      out.append(':').append(line);
    }
    if (!path.isEmpty()) {
      out.append(out.length() > 0 ? ": " : "").append(path);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    String where = location();
    return severity.label() + ": " + (where.isEmpty() ? "" : where + ": ") + message;
  }
}
