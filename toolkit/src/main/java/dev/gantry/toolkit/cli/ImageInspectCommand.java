package dev.gantry.toolkit.cli;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.gantry.toolkit.image.ImageLayout;
import dev.gantry.toolkit.image.JibRegistry;
import dev.gantry.toolkit.image.Registry;
import dev.gantry.toolkit.image.RegistryAccessException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", description = "Show the API, version and bundle digest a Gantry image carries.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:shown", "1:no such image, or not a Gantry image", "2:wrong usage", "3:registry error"})
final class ImageInspectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  RegistryOptions registryOptions;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "Image reference, for example 127.0.0.1:5000/petstore:v1.")
  String image;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ImageReference reference;
    Registry registry;
    try {
      reference = ImageReference.parse(image);
      registry = new JibRegistry(registryOptions.access(err));
    } catch (InvalidImageReferenceException e) {
      err.println("error: \"" + image + "\" is not an image reference");
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    Registry.Lookup lookup;
    try {
      lookup = registry.lookup(reference);
    } catch (RegistryAccessException e) {
      err.println("error: " + e.getMessage());
      return 3;
    }
    if (!(lookup instanceof Registry.Present present)) {
      err.println("error: " + reference + " not found in registry " + reference.getRegistry());
      return 1;
    }
    String bundle = present.labels().get(ImageLayout.LABEL_BUNDLE_DIGEST);
    if (bundle == null) {
      err.println("error: " + reference + " is not a Gantry image (no " + ImageLayout.LABEL_BUNDLE_DIGEST + " label)");
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("image: " + reference.getRegistry() + "/" + reference.getRepository() + "@" + present.manifestDigest());
    out.println("api: " + present.labels().getOrDefault(ImageLayout.LABEL_API, ""));
    out.println("version: " + present.labels().getOrDefault(ImageLayout.LABEL_VERSION, ""));
    out.println("bundle-digest: " + bundle);
    out.println("manifest-digest: " + present.manifestDigest());
    return 0;
  }
}
