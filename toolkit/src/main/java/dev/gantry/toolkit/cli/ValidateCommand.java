package dev.gantry.toolkit.cli;

import dev.gantry.toolkit.resolve.ApiResolver;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Check a definition and the resources it names; list every problem.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:valid", "1:problems found (all listed)", "2:wrong usage"})
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  InputOptions inputs;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    ApiResolver.Resolution resolution = inputs.resolve();
    if (ProblemPrinter.print(resolution.problems(), spec.commandLine().getErr())) {
      return 1;
    }
    spec.commandLine().getOut().println("OK " + summary(resolution.api().orElseThrow()));
    return 0;
  }

  static String summary(ResolvedApi api) {
    return api.identity().name() + " " + api.identity().version() + ": "
        + count(api.operations().size(), "operation") + ", "
        + count(api.endpoints().size(), "endpoint") + ", "
        + count(api.rateLimits().size(), "rate limit") + ", "
        + count(api.securities().size(), "security scheme");
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
