package dev.gantry.toolkit.openapi;

import java.nio.charset.StandardCharsets;

/**
 * One OpenAPI or Swagger file as the user gave it: a display name (file path or ConfigMap key)
 * and its text with line endings made LF and any byte-order mark removed, so that the bundle
 * does not change when only an editor's line endings do.
 */
public record DefinitionFile(String name, String text) {

  public static DefinitionFile of(String name, byte[] bytes) {
    return of(name, new String(bytes, StandardCharsets.UTF_8));
  }

  public static DefinitionFile of(String name, String text) {
    String normal = text.startsWith("\uFEFF") ? text.substring(1) : text;
    normal = normal.replace("\r\n", "\n").replace('\r', '\n');
    return new DefinitionFile(name, normal);
  }

  /** The file name without folders, used as the definition's name inside the bundle. */
  public String baseName() {
    String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    return base.isEmpty() ? "openapi.yaml" : base;
  }
}
