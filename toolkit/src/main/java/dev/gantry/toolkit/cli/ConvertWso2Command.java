package dev.gantry.toolkit.cli;

import dev.gantry.toolkit.convert.Wso2Converter;
import dev.gantry.toolkit.convert.Wso2Files;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "wso2", description = "Convert WSO2 API Operator 1.x resources (wso2.com/v1alpha1 TargetEndpoint, "
    + "RateLimiting, Security, API) into Gantry resources. What cannot be mapped is listed as warnings.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:converted (warnings may be listed)", "1:problems found (all listed), nothing written",
        "2:wrong usage", "3:the output folder could not be written"})
final class ConvertWso2Command implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "(Multi-document) YAML with WSO2 resources; Secrets among them only tell their key names. Repeatable.")
  List<Path> files = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Write one file per resource, <kind>-<name>.yaml, into DIR; without it the YAML goes to stdout.")
  Path output;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    Wso2Converter.Result result = Wso2Files.convert(files);
    if (ProblemPrinter.print(result.problems(), spec.commandLine().getErr())) {
      return 1;
    }
    if (output == null) {
      StringBuilder out = new StringBuilder();
      result.resources().forEach(r -> out.append(Serialization.asYaml(r)));
      spec.commandLine().getOut().print(out);
      spec.commandLine().getOut().flush();
      return 0;
    }
    try {
      Files.createDirectories(output);
      for (HasMetadata resource : result.resources()) {
        Path file = output.resolve(resource.getKind().toLowerCase(Locale.ROOT) + "-" + resource.getMetadata().getName()
            + ".yaml");
        Files.writeString(file, Serialization.asYaml(resource), StandardCharsets.UTF_8);
        spec.commandLine().getOut().println(file);
      }
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("gantry: cannot write " + output + ": " + e.getMessage());
      return 3;
    }
  }
}
