package dev.gantry.toolkit.resolve;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads {@code x-gantry-limits}: how large a request may be. The body limit may stand at any level
 * (an upload operation raises it for itself); the header and URI limits only at the top of a
 * definition, because the gateway reads headers and the URI before it knows the operation.
 * Sizes are bytes, written as a number or a Kubernetes quantity ({@code 512Ki}, {@code 10Mi}, {@code 1G}).
 */
final class LimitsExtension {
  static final String BODY_SIZE = "maxBodySize";
  static final String HEADER_SIZE = "maxHeaderSize";
  static final String HEADERS = "maxHeaders";
  static final String URI_LENGTH = "maxUriLength";
  static final Set<String> API_WIDE = Set.of(HEADER_SIZE, HEADERS, URI_LENGTH);
  private static final List<String> KNOWN = List.of(BODY_SIZE, HEADER_SIZE, HEADERS, URI_LENGTH);

  // The bounds keep a typo from disabling a limit: header buffers are held per connection.
  private static final long MIN_HEADER_SIZE = 1024;
  private static final long MAX_HEADER_SIZE = 64 * 1024;
  private static final long MAX_HEADERS = 1000;
  private static final long MIN_URI_LENGTH = 256;
  private static final long MAX_URI_LENGTH = 64 * 1024;

  private LimitsExtension() {}

  /**
   * The API-wide limits a definition declares at its top level, by key (absent keys are not in the
   * map); the body size there is the default of the definition's operations and is read by
   * {@link #bodySize}. Wrong values are reported through {@code error} and left out.
   */
  static Map<String, Long> apiWide(Extensions.Declared declared, BiConsumer<List<String>, String> error,
                                   BiConsumer<List<String>, String> warning) {
    Map<String, Long> out = new LinkedHashMap<>();
    Map<?, ?> map = mapping(declared, error, warning);
    if (map == null) {
      return out;
    }
    if (map.containsKey(BODY_SIZE)) { // checked here too, in case every operation sets its own
      size(map.get(BODY_SIZE), Extensions.append(declared.at(), BODY_SIZE), 0, Long.MAX_VALUE, error);
    }
    for (String key : List.of(HEADER_SIZE, HEADERS, URI_LENGTH)) {
      if (map.containsKey(key)) {
        List<String> at = Extensions.append(declared.at(), key);
        Long value = switch (key) {
          case HEADER_SIZE -> size(map.get(key), at, MIN_HEADER_SIZE, MAX_HEADER_SIZE, error);
          case HEADERS -> count(map.get(key), at, 1, MAX_HEADERS, error);
          default -> count(map.get(key), at, MIN_URI_LENGTH, MAX_URI_LENGTH, error);
        };
        if (value != null) {
          out.put(key, value);
        }
      }
    }
    return out;
  }

  /**
   * The body limit of one operation: {@code maxBodySize} of the most specific {@code x-gantry-limits}
   * that sets it, or null (the gateway's default). Reports API-wide keys set below the top level.
   */
  static Long bodySize(Extensions.Levels levels, BiConsumer<List<String>, String> error,
                       BiConsumer<List<String>, String> warning) {
    Long size = null;
    boolean found = false;
    for (Extensions.Declared declared : levels.all(Extensions.LIMITS)) {
      boolean top = declared.at().size() == 1;
      Map<?, ?> map = top ? asMap(declared) : mapping(declared, error, warning);
      if (map == null) {
        continue;
      }
      if (!top) {
        map.keySet().stream().map(String::valueOf).filter(API_WIDE::contains).sorted().forEach(key ->
            error.accept(Extensions.append(declared.at(), key), "holds for the whole API: set it in "
                + Extensions.LIMITS + " at the top of the definition (the gateway reads headers and the URI "
                + "before it knows the operation)"));
      }
      if (!found && map.containsKey(BODY_SIZE)) {
        found = true;
        size = size(map.get(BODY_SIZE), Extensions.append(declared.at(), BODY_SIZE), 0, Long.MAX_VALUE, error);
      }
    }
    return size;
  }

  /** The declaration as a mapping, its unknown keys warned about; null (reported) when it is not one. */
  private static Map<?, ?> mapping(Extensions.Declared declared, BiConsumer<List<String>, String> error,
                                   BiConsumer<List<String>, String> warning) {
    Map<?, ?> map = asMap(declared);
    if (map == null) {
      error.accept(declared.at(), "must be a mapping such as {" + BODY_SIZE + ": 50Mi}");
      return null;
    }
    map.keySet().stream().map(String::valueOf).filter(key -> !KNOWN.contains(key)).sorted().forEach(key ->
        warning.accept(Extensions.append(declared.at(), key), "unknown limit, ignored; known are "
            + String.join(", ", KNOWN.stream().sorted().toList())));
    return map;
  }

  private static Map<?, ?> asMap(Extensions.Declared declared) {
    return declared.value() instanceof Map<?, ?> map ? map : null;
  }

  /** A number of bytes within the bounds: a whole number, or a quantity such as 10Mi; null (reported) otherwise. */
  static Long size(Object value, List<String> at, long min, long max, BiConsumer<List<String>, String> error) {
    String what = "a size in bytes: a whole number or a quantity such as 512Ki, 10Mi or 1Gi"
        + bounds(min, max, true);
    BigDecimal bytes = null;
    if (value instanceof Integer || value instanceof Long) {
      bytes = BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof String text && !text.isBlank()) {
      try {
        bytes = Quantity.getAmountInBytes(new Quantity(text.strip()));
      } catch (IllegalArgumentException | ArithmeticException notAQuantity) {
        bytes = null;
      }
    }
    if (bytes == null || bytes.signum() < 0 || bytes.stripTrailingZeros().scale() > 0) {
      error.accept(at, "must be " + what);
      return null;
    }
    if (bytes.compareTo(BigDecimal.valueOf(min)) < 0 || bytes.compareTo(BigDecimal.valueOf(max)) > 0) {
      error.accept(at, "is " + bytes.toBigInteger() + " bytes; must be " + what);
      return null;
    }
    return bytes.longValueExact();
  }

  private static Long count(Object value, List<String> at, long min, long max, BiConsumer<List<String>, String> error) {
    if (!(value instanceof Integer || value instanceof Long)
        || ((Number) value).longValue() < min || ((Number) value).longValue() > max) {
      error.accept(at, "must be a whole number" + bounds(min, max, false));
      return null;
    }
    return ((Number) value).longValue();
  }

  private static String bounds(long min, long max, boolean bytes) {
    if (max == Long.MAX_VALUE) {
      return min == 0 ? " (0 or more)" : " (" + min + " or more)";
    }
    return bytes ? " from " + human(min) + " to " + human(max) : " from " + min + " to " + max;
  }

  private static String human(long bytes) {
    return bytes % 1024 == 0 ? bytes / 1024 + "Ki" : Long.toString(bytes);
  }
}
