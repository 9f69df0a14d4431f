package dev.gantry.toolkit.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code gantry}: validate, build, image and convert commands. Errors never print a stack trace unless --verbose. */
@Command(name = "gantry", mixinStandardHelpOptions = true, versionProvider = GantryCli.Version.class,
    description = "Turn an OpenAPI definition and Gantry resources into a gateway bundle and image.",
    subcommands = {ValidateCommand.class, BuildCommand.class, ImageCommand.class, ConvertCommand.class, FleetCommand.class, AutoComplete.GenerateCompletion.class})
public final class GantryCli {
  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Print stack traces of internal errors.")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    GantryCli cli = new GantryCli();
    CommandLine commandLine = new CommandLine(cli);
    commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      boolean verbose = parsed.matchedOptionValue("--verbose", false)
          || parsed.subcommands().stream().anyMatch(s -> s.matchedOptionValue("--verbose", false));
      if (verbose) {
        e.printStackTrace(cmd.getErr());
      } else {
        cmd.getErr().println("gantry: internal error: " + e + " (run with --verbose for details)");
      }
      return 70;
    });
    return commandLine;
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = GantryCli.class.getPackage().getImplementationVersion();
      return new String[] {"gantry " + (version == null ? "development" : version)};
    }
  }
}
