package dev.gantry.toolkit.convert;

import java.util.Locale;

/** WSO2 {@code timeUnit} × {@code unitTime} as a Gantry period ({@code 1m}, {@code 2h}, {@code 7d}). */
final class Wso2Durations {
  private static final long MAX = 999_999_999L;

  private Wso2Durations() {}

  /** The period, or null when it has no fixed length (month, year) or is not a WSO2 unit. */
  static String per(String timeUnit, Integer unitTime) {
    if (timeUnit == null) {
      return null;
    }
    long count = unitTime == null ? 1 : unitTime;
    if (count < 1) {
      return null;
    }
    String unit = switch (timeUnit.toLowerCase(Locale.ROOT)) {
      case "ms", "millisecond", "milliseconds" -> "ms";
      case "s", "sec", "second", "seconds" -> "s";
      case "m", "min", "minute", "minutes" -> "m";
      case "h", "hour", "hours" -> "h";
      case "d", "day", "days" -> "d";
      case "w", "week", "weeks" -> "w";
      default -> null;
    };
    if (unit == null) {
      return null;
    }
    if (unit.equals("w")) {
      count *= 7;
      unit = "d";
    }
    return count > MAX ? null : count + unit;
  }
}
