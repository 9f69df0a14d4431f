package dev.gantry.toolkit.cli;

import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.bundle.BundleWriter;
import dev.gantry.toolkit.bundle.EnvironmentCompiler;
import dev.gantry.toolkit.resolve.ApiResolver;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "build", description = {"Compile a definition and its resources into a gateway bundle; print its digest.",
        "OUT receives bundle/ (the bundle), bundle.sha256 (its digest) and environment.yaml "
            + "(the per-cluster settings, not part of the bundle)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:built", "1:problems found (all listed), nothing written", "2:wrong usage",
        "3:the output folder could not be written"})
final class BuildCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  InputOptions inputs;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
      description = "Output folder; created if missing, replaced if it holds an earlier build.")
  Path output;

  @Override
  public Integer call() {
    ApiResolver.Resolution resolution = inputs.resolve();
    if (ProblemPrinter.print(resolution.problems(), spec.commandLine().getErr())) {
      return 1;
    }
    ResolvedApi api = resolution.api().orElseThrow();
    Bundle bundle = new BundleCompiler().compile(api);
    try {
      new BundleWriter().write(bundle, new EnvironmentCompiler().compile(api), output);
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: " + output + ": " + e.getMessage());
      return 3;
    }
    spec.commandLine().getErr().println("Built " + ValidateCommand.summary(api) + " into "
        + output.resolve(BundleWriter.BUNDLE_DIR));
    spec.commandLine().getOut().println(bundle.digest());
    return 0;
  }
}
