package dev.gantry.toolkit.kubectl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kubectl-add}: the kubectl plugin, so {@code kubectl add api NAME --from-file=api.yaml}
 * works once this executable is on PATH. The client comes from a factory so tests can hand in a
 * mock server's client.
 */
@Command(name = "kubectl-add", mixinStandardHelpOptions = true,
    versionProvider = dev.gantry.toolkit.cli.GantryCli.Version.class,
    description = "Add Gantry resources to a cluster (kubectl plugin: kubectl add ...).",
    subcommands = AddApiCommand.class)
public final class KubectlAdd {
  /** Makes a client for a kubeconfig context (null: the current one). */
  public interface ClientFactory extends Function<String, KubernetesClient> {}

  public static void main(String[] args) {
    System.exit(commandLine(context -> new KubernetesClientBuilder()
        .withConfig(Config.autoConfigure(context)).build()).execute(args));
  }

  public static CommandLine commandLine(ClientFactory clients) {
    CommandLine commandLine = new CommandLine(new KubectlAdd(), new Factory(clients));
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + e.getMessage());
      return 70;
    });
    return commandLine;
  }

  /** Hands the client factory to the subcommands picocli creates. */
  private record Factory(ClientFactory clients) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == AddApiCommand.class) {
        return type.cast(new AddApiCommand(clients));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
