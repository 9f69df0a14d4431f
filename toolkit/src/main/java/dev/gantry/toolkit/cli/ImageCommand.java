package dev.gantry.toolkit.cli;

import picocli.CommandLine.Command;

/** {@code gantry image}: the per-API image commands. */
@Command(name = "image", description = "Build per-API gateway images and look at them in a registry.",
    mixinStandardHelpOptions = true,
    subcommands = {ImageBuildCommand.class, ImageInspectCommand.class})
final class ImageCommand {
}
