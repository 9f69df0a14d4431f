package dev.gantry.toolkit.cli;

import dev.gantry.toolkit.fleet.ApiState;
import dev.gantry.toolkit.fleet.GatewayInstance;
import dev.gantry.toolkit.fleet.ManagementRepository;
import dev.gantry.toolkit.fleet.PublishedApi;
import dev.gantry.toolkit.fleet.RepositoryAddress;
import dev.gantry.toolkit.fleet.RepositoryException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry fleet}: the central management repository from the command line: what is published
 * and which gateways serve it ({@code status}), the start/stop deployment events, and removing a
 * definition whose API resource is gone ({@code remove}). Credentials come
 * from {@code GANTRY_REPOSITORY_USER} and {@code GANTRY_REPOSITORY_PASSWORD}.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
    description = "Gateway fleets and the central management repository.",
    subcommands = {FleetCommand.Status.class, FleetCommand.Start.class, FleetCommand.Stop.class,
        FleetCommand.Remove.class})
final class FleetCommand {

  /** Where the repository is and which environment; shared by the subcommands. */
  static final class Target {
    @Option(names = "--repository", required = true, paramLabel = "JDBC_URL",
        description = "The central repository, jdbc:postgresql://HOST[:PORT]/DATABASE.")
    String url;

    @Option(names = "--environment", defaultValue = "default", description = "Environment (default: ${DEFAULT-VALUE}).")
    String environment;

    ManagementRepository repository() {
      return new ManagementRepository(RepositoryAddress.of(url, System.getenv()));
    }
  }

  /** Runs {@code work}: 0 on success, 2 for a malformed URL, 3 when the repository fails or refuses. */
  static int run(CommandSpec spec, Work work) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      work.run(spec.commandLine().getOut());
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (RepositoryException e) {
      err.println("error: " + e.getMessage());
      return 3;
    }
  }

  interface Work {
    void run(PrintWriter out) throws RepositoryException;
  }

  @Command(name = "status", description = "Published APIs of an environment and the gateways serving them.",
      exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:shown", "2:wrong usage", "3:repository error"})
  static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Target target = new Target();

    @Override
    public Integer call() {
      return run(spec, out -> {
        ManagementRepository repository = target.repository();
        List<PublishedApi> apis = repository.apis(target.environment);
        List<GatewayInstance> gateways = repository.gateways(target.environment);
        out.printf("%-24s %-10s %-8s %-20s %s%n", "API", "VERSION", "STATE", "BUNDLE", "SERVED BY");
        for (PublishedApi api : apis) {
          List<String> servedBy = gateways.stream()
              .filter(g -> api.bundleDigest().equals(g.loaded().get(api.name()))).map(GatewayInstance::instance).toList();
          out.printf("%-24s %-10s %-8s %-20s %s%n", api.name(), api.version(), api.state(),
              api.bundleDigest().substring(0, Math.min(19, api.bundleDigest().length())),
              servedBy.isEmpty() ? "-" : String.join(",", servedBy));
        }
        out.println();
        out.printf("%-24s %-16s %-12s %-6s %-8s %-5s %s%n", "GATEWAY", "FLEET", "CLUSTER", "ZONE", "HEARTBEAT", "APIS",
            "ENDPOINT");
        var now = Clock.systemUTC().instant();
        for (GatewayInstance g : gateways) {
          long age = Duration.between(g.heartbeatAt(), now).toSeconds();
          out.printf("%-24s %-16s %-12s %-6s %-8s %-5d %s%n", g.instance(), g.fleet(), g.cluster(),
              g.zone() == null ? "-" : g.zone(), age + "s ago", g.loaded().size(),
              g.endpoints().isEmpty() ? "-" : g.endpoints().get(0).uri());
        }
      });
    }
  }

  /** A subcommand about one published API. */
  abstract static class OnApi implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Target target = new Target();

    @Parameters(index = "0", paramLabel = "API")
    String api;
  }

  /** Start and stop: one deployment event each; the API's definition stays in the repository either way. */
  abstract static class StateChange extends OnApi {
    abstract ApiState state();

    @Override
    public Integer call() {
      return run(spec, out -> out.println(api + ": " + target.repository().setState(target.environment, api, state())
          .state()));
    }
  }

  @Command(name = "start", description = "Serve a published API again on the fleets it selects.")
  static final class Start extends StateChange {
    @Override
    ApiState state() {
      return ApiState.STARTED;
    }
  }

  @Command(name = "stop", description = "Stop serving a published API; its definition stays in the repository.")
  static final class Stop extends StateChange {
    @Override
    ApiState state() {
      return ApiState.STOPPED;
    }
  }

  /**
   * Removes an API's definition from the environment: for one whose publisher is gone (its cluster,
   * or its ManagementContext, was deleted first). An operator re-publishes an API whose resource
   * still exists, so for those delete the resource instead.
   */
  @Command(name = "remove", description = "Remove a published API's definition; every fleet unloads it.")
  static final class Remove extends OnApi {
    @Override
    public Integer call() {
      return run(spec, out -> {
        PublishedApi removed = target.repository().remove(target.environment, api, null).orElseThrow(() ->
            new RepositoryException("API " + api + " is not published in environment " + target.environment, null));
        out.println(api + ": removed" + (removed.owner() == null ? "" : " (published by " + removed.owner() + ")"));
      });
    }
  }
}
