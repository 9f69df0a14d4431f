package dev.gantry.toolkit.resolve;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns one YAML document (already a map) into a typed resource, strictly: unknown fields and
 * values of the wrong type are errors, as a real API server with strict field validation says.
 */
final class ResourceReader {
  private static final ObjectMapper STRICT = strictMapper();

  private ResourceReader() {}

  /** Thrown with a user-facing message and the field path it is about. */
  static final class ReadException extends Exception {
    private final String path;

    ReadException(String path, String message) {
      super(message);
      this.path = path;
    }

    String path() {
      return path;
    }
  }

  static <T> T read(Map<?, ?> document, Class<T> type) throws ReadException {
    try {
      return STRICT.convertValue(document, type);
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof JsonMappingException mapping) {
        throw new ReadException(path(mapping), describe(mapping));
      }
      throw new ReadException("", String.valueOf(e.getMessage()));
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String describe(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
          : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      return "unknown field \"" + unknown.getPropertyName() + "\""
          + (known.isEmpty() ? "" : " (known fields: " + String.join(", ", known) + ")");
    }
    if (e instanceof InvalidFormatException format && format.getTargetType() != null
        && format.getTargetType().isEnum()) {
      String allowed = java.util.Arrays.stream(format.getTargetType().getEnumConstants())
          .map(ResourceReader::jsonName).collect(Collectors.joining(", "));
      return "\"" + format.getValue() + "\" is not one of: " + allowed;
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "expected " + typeName(mismatch.getTargetType());
    }
    return String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ");
  }

  private static String jsonName(Object constant) {
    Enum<?> e = (Enum<?>) constant;
    try {
      com.fasterxml.jackson.annotation.JsonProperty property = e.getDeclaringClass()
          .getField(e.name()).getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return property != null ? property.value() : STRICT.convertValue(e, String.class);
    } catch (NoSuchFieldException | IllegalArgumentException ex) {
      return e.name();
    }
  }

  private static String typeName(Class<?> type) {
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping";
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    // As the API server: "10" is not an integer, 10 is not a string, 1.5 is not an integer.
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }
}
