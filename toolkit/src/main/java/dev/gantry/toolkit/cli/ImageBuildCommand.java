package dev.gantry.toolkit.cli;

import dev.gantry.toolkit.image.ImageName;
import dev.gantry.toolkit.image.ImageNameException;
import dev.gantry.toolkit.image.ImagePipeline;
import dev.gantry.toolkit.image.ImageBuilder;
import dev.gantry.toolkit.image.JibImageBuilder;
import dev.gantry.toolkit.image.context.BuildahImageBuilder;
import dev.gantry.toolkit.image.JibRegistry;
import dev.gantry.toolkit.image.RegistryAccess;
import dev.gantry.toolkit.image.RegistryAccessException;
import dev.gantry.toolkit.resolve.ApiResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "build", description = {
    "Compile the API's bundle and build its image <registry>/<api>:<version> on the runtime image, "
        + "unless the registry already holds it.",
    "Skips when the tag's bundle-digest label equals the new bundle's digest; refuses when the tag holds "
        + "other content, unless --override. Prints registry/api@sha256:… on stdout when built or skipped."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:built and pushed", "1:problems in the definition or resources (all listed)",
        "2:wrong usage", "3:registry or I/O error (nothing was pushed over an image we could not see)",
        "4:refused: the tag holds different content (bump the version or use --override)",
        "5:skipped: the identical image is already in the registry"})
final class ImageBuildCommand implements Callable<Integer> {
  static final int REFUSED = 4;
  static final int SKIPPED = 5;

  enum Builder { jib, dockerfile }

  @Spec
  CommandSpec spec;

  @Mixin
  InputOptions inputs;

  @Mixin
  RegistryOptions registryOptions;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--registry", required = true, paramLabel = "HOST[:PORT][/prefix]",
      description = "Registry (and optional repository prefix) to push to, for example 127.0.0.1:5000/apis.")
  String registry;

  @Option(names = "--runtime-image", paramLabel = "REF", defaultValue = "${env:GANTRY_RUNTIME_IMAGE}",
      description = "The gateway runtime image to build on (default: $GANTRY_RUNTIME_IMAGE); tar://PATH also works.")
  String runtimeImage;

  @Option(names = "--override", description = "Replace the tag even when it holds a different bundle.")
  boolean override;

  @Option(names = "--builder", paramLabel = "jib|dockerfile", defaultValue = "jib",
      description = "Who builds: jib (in-process, default) or dockerfile (dockerfiles/Dockerfile with buildah, "
          + "the context a Kaniko Job gets).")
  Builder builder;

  @Option(names = "--toolkit-image", paramLabel = "REF", defaultValue = "${env:GANTRY_TOOLKIT_IMAGE}",
      description = "With --builder dockerfile: the toolkit image of the Dockerfile's first stage "
          + "(default: $GANTRY_TOOLKIT_IMAGE).")
  String toolkitImage;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (runtimeImage == null || runtimeImage.isBlank()) {
      err.println("error: --runtime-image is required (or set GANTRY_RUNTIME_IMAGE), "
          + "for example --runtime-image 127.0.0.1:5000/gantry/runtime:0.1.0-SNAPSHOT");
      return 2;
    }
    if (builder == Builder.dockerfile && (toolkitImage == null || toolkitImage.isBlank())) {
      err.println("error: --builder dockerfile needs --toolkit-image (or GANTRY_TOOLKIT_IMAGE), "
          + "for example --toolkit-image 127.0.0.1:5000/gantry/toolkit:0.1.0-SNAPSHOT");
      return 2;
    }
    ImageName.Target target;
    RegistryAccess access;
    try {
      target = ImageName.Target.parse(registry);
      access = registryOptions.access(err);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    ApiResolver.Resolution resolution = inputs.resolve();
    if (ProblemPrinter.print(resolution.problems(), err)) {
      return 1;
    }
    ImageBuilder imageBuilder = builder == Builder.jib ? new JibImageBuilder(access, null)
        : new BuildahImageBuilder(inputs.definitions, inputs.resources, toolkitImage, access);
    ImagePipeline pipeline = new ImagePipeline(new JibRegistry(access), imageBuilder);
    ImagePipeline.Result result;
    try {
      result = pipeline.run(resolution.api().orElseThrow(),
          new ImagePipeline.Request(target, runtimeImage, override), line -> {
            err.println(line);
            err.flush();
          });
    } catch (ImageNameException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (RegistryAccessException | IOException e) {
      err.println("error: " + e.getMessage());
      return 3;
    }
    result.pinned().filter(p -> result.outcome() != ImagePipeline.Outcome.REFUSED)
        .ifPresent(spec.commandLine().getOut()::println);
    switch (result.outcome()) {
      case BUILT:
        err.println("built: " + result.message());
        return 0;
      case SKIPPED:
        err.println("skipped: " + result.message());
        return SKIPPED;
      default:
        err.println("refused: " + result.message());
        return REFUSED;
    }
  }
}
