package dev.gantry.toolkit.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import java.util.List;

/**
 * A parsed definition: the file, the OpenAPI 3 model (Swagger 2.0 converted), the version the
 * user wrote ("2.0", "3.0.3", "3.1.0") and the line map used to place problems.
 */
public record LoadedDefinition(DefinitionFile file, OpenAPI model, String specVersion, SourceMap lines) {

  public int lineOf(List<String> path) {
    return lines.lineOf(path);
  }

  public boolean isSwagger2() {
    return specVersion.startsWith("2");
  }
}
