package dev.gantry.toolkit.cli;

import dev.gantry.toolkit.resolve.ApiResolver;
import dev.gantry.toolkit.resolve.LocalInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that reads an API shares. */
final class InputOptions {
  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "OpenAPI 3.x or Swagger 2.0 definition, YAML or JSON. Repeat for an API split over several files.")
  List<Path> definitions = new ArrayList<>();

  @Option(names = {"-r", "--resources"}, paramLabel = "PATH",
      description = "Files or folders of (multi-document) YAML holding the Endpoint, RateLimit, Security "
          + "and Secret resources the definition names. Repeatable.")
  List<Path> resources = new ArrayList<>();

  @Option(names = "--name", paramLabel = "NAME",
      description = "API name (default: the API resource among the resources, else the file name).")
  String name;

  @Option(names = "--version", paramLabel = "VERSION",
      description = "API version, the image tag (default: the API resource's, else info.version).")
  String version;

  ApiResolver.Resolution resolve() {
    return LocalInputs.resolve(definitions, resources, name, version);
  }
}
