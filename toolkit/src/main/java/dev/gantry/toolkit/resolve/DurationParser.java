package dev.gantry.toolkit.resolve;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes-style short durations, {@code 250ms 5s 1m 1h 1d}, in the CRDs' one spelling. */
public final class DurationParser {
  private static final Pattern FORM = Pattern.compile(dev.gantry.crds.v1alpha1.Durations.PATTERN);
  /** Longer than any quota window or timeout that makes sense; keeps arithmetic far from overflow. */
  public static final Duration MAX = Duration.ofDays(366);

  private DurationParser() {}

  /** The duration, or empty when {@code text} is not of the form or is zero or above {@link #MAX}. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    return d.isZero() || d.compareTo(MAX) > 0 ? Optional.empty() : Optional.of(d);
  }

  public static String describeForm() {
    return "a whole number above zero and a unit (ms, s, m, h, d), at most 366d, such as 1s, 1m or 1h";
  }
}
