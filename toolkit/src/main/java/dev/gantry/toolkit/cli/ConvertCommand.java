package dev.gantry.toolkit.cli;

import picocli.CommandLine.Command;

/** {@code gantry convert}: resources of other gateways into Gantry resources. */
@Command(name = "convert", mixinStandardHelpOptions = true, subcommands = {ConvertWso2Command.class},
    description = "Convert another gateway's resources into Gantry resources.")
final class ConvertCommand {
}
