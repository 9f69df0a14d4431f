package dev.gantry.toolkit.kubectl;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.toolkit.cli.ProblemPrinter;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.openapi.OpenApiLoader;
import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.problem.Problems;
import dev.gantry.toolkit.resolve.ApiIdentity;
import dev.gantry.toolkit.resolve.ApiResolver;
import dev.gantry.toolkit.resolve.LocalInputs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "api", mixinStandardHelpOptions = true,
    description = {"Create or update an API from OpenAPI file(s): ConfigMap NAME-openapi and API NAME.",
        "The definition is checked first, against the Endpoint, RateLimit and Security resources of the "
            + "namespace, with the same messages as gantry validate."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:created, configured or unchanged (or printed, with --dry-run=client)",
        "1:the definition has problems (all listed); nothing was written", "2:wrong usage",
        "3:the cluster could not be read or written"})
final class AddApiCommand implements Callable<Integer> {
  enum Validation { strict, warn, ignore }

  enum DryRun { none, client }

  enum Output { name, yaml, json }

  private final KubectlAdd.ClientFactory clients;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "Name of the API (a DNS-1123 name).")
  String name;

  @Option(names = "--from-file", required = true, paramLabel = "[KEY=]FILE",
      description = "OpenAPI 3.x or Swagger 2.0 file; repeat for an API split over several files. "
          + "KEY is its key in the ConfigMap (default: the file name).")
  List<String> files = new ArrayList<>();

  @Option(names = "--version", description = "API version, the image tag (default: info.version of the first file).")
  String version;

  @Option(names = "--replicas", description = "Number of gateway pods.")
  Integer replicas;

  @Option(names = "--override", negatable = true,
      description = "Rebuild even when the registry holds this version with different content.")
  Boolean override;

  @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the kubeconfig context's).")
  String namespace;

  @Option(names = "--context", description = "kubeconfig context to use (default: the current one).")
  String context;

  @Option(names = "--dry-run", defaultValue = "none", arity = "0..1", fallbackValue = "client",
      description = "client: print the objects instead of sending them (${COMPLETION-CANDIDATES}).")
  DryRun dryRun;

  @Option(names = {"-o", "--output"}, defaultValue = "name",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Output output;

  @Option(names = "--validate", defaultValue = "strict",
      description = "strict: refuse a definition with problems; warn: print them and go on; ignore: do not "
          + "check (default: ${DEFAULT-VALUE}).")
  Validation validate;

  AddApiCommand(KubectlAdd.ClientFactory clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Problems problems = new Problems();
    List<ApiManifests.Definition> definitions = DefinitionFiles.read(files, problems);
    List<DefinitionFile> parsed = definitions.stream().map(d -> DefinitionFile.of(d.key(), d.text())).toList();
    String apiVersion = version != null ? version : LocalInputs.infoVersion(parsed);
    if (ProblemPrinter.print(problems.sorted(), err)) {
      return 1;
    }
    KubernetesClient client = null;
    java.net.URL server = null;
    try {
      client = clients.apply(context);
      server = client.getMasterUrl();
      String ns = namespace != null ? namespace : Objects.requireNonNullElse(client.getNamespace(), "default");
      Api existing = dryRun == DryRun.client ? null : existingApi(client, ns);
      if (apiVersion == null && existing != null && existing.getSpec() != null) {
        apiVersion = existing.getSpec().getVersion();
      }
      if (validate != Validation.ignore && !check(client, ns, parsed, apiVersion, err)) {
        return 1;
      }
      var request = new ApiManifests.Request(name, ns, definitions, apiVersion, replicas, override);
      ConfigMap configMap = ApiManifests.configMap(request);
      Api api = ApiManifests.api(request, existing);
      if (dryRun == DryRun.client) {
        printObjects(configMap, api);
        return 0;
      }
      new ApiWriter(client, spec.commandLine().getOut()).write(configMap, api, existing);
      return 0;
    } catch (KubernetesClientException e) {
      err.println("error: " + ClusterErrors.describe(e, server));
      return 3;
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }

  private Api existingApi(KubernetesClient client, String ns) {
    return client.resources(Api.class).inNamespace(ns).withName(name).get();
  }

  /**
   * Resolves the definition against the namespace's resources. In a client dry run an unreachable
   * cluster is not an error: the definition itself is still checked, references are not.
   */
  private boolean check(KubernetesClient client, String ns, List<DefinitionFile> parsed, String apiVersion,
                        PrintWriter err) {
    List<Problem> problems;
    try {
      problems = new ApiResolver().resolve(new ApiIdentity(name, apiVersion), parsed,
          ClusterResources.load(client, ns), "API/" + name).problems();
    } catch (KubernetesClientException e) {
      if (dryRun != DryRun.client) {
        throw e;
      }
      err.println("warning: references not checked: " + ClusterErrors.describe(e, client.getMasterUrl()));
      Problems definitionOnly = new Problems();
      parsed.forEach(file -> new OpenApiLoader().load(file, definitionOnly));
      problems = definitionOnly.sorted();
    }
    if (validate == Validation.warn) {
      problems.forEach(err::println);
      err.flush();
      return true;
    }
    return !ProblemPrinter.print(problems, err);
  }

  private void printObjects(ConfigMap configMap, Api api) {
    PrintWriter out = spec.commandLine().getOut();
    // Not KubernetesListBuilder: it wants a generated builder for every item, and the API has none.
    var list = new KubernetesList();
    list.setItems(List.of(configMap, api));
    switch (output) {
      case yaml -> out.print(Serialization.asYaml(list));
      case json -> out.println(Serialization.asJson(list));
      case name -> {
        out.println("configmap/" + configMap.getMetadata().getName() + " created (dry run)");
        out.println("api.gantry.dev/" + api.getMetadata().getName() + " created (dry run)");
      }
    }
    out.flush();
  }

  /** Reads {@code [KEY=]FILE} arguments; every unreadable file is a problem, all reported at once. */
  static final class DefinitionFiles {
    private DefinitionFiles() {}

    static List<ApiManifests.Definition> read(List<String> arguments, Problems problems) {
      List<ApiManifests.Definition> definitions = new ArrayList<>();
      for (String argument : arguments) {
        int eq = argument.indexOf('=');
        Path path = Path.of(eq > 0 ? argument.substring(eq + 1) : argument);
        String key = eq > 0 ? argument.substring(0, eq) : String.valueOf(path.getFileName());
        if (!key.matches("[-._a-zA-Z0-9]+")) {
          problems.add(Problem.error(argument, 0, "", "'" + key + "' cannot be a ConfigMap key: use letters, "
              + "digits, '-', '_' and '.' (write KEY=FILE to choose one)"));
        } else if (definitions.stream().anyMatch(d -> d.key().equals(key))) {
          problems.add(Problem.error(argument, 0, "", "two files have the key '" + key
              + "': write KEY=FILE to tell them apart"));
        } else {
          try {
            definitions.add(new ApiManifests.Definition(key, DefinitionFile.of(path.toString(),
                Files.readAllBytes(path)).text()));
          } catch (IOException e) {
            problems.add(Problem.error(path.toString(), 0, "", Files.exists(path)
                ? "cannot read: " + e.getMessage() : "no such file"));
          }
        }
      }
      int size = ApiManifests.size(definitions);
      if (size > ApiManifests.MAX_DEFINITION_BYTES) {
        problems.add(Problem.error(String.join(", ", arguments), 0, "", "the definitions hold " + size
            + " bytes; a ConfigMap holds at most about 1 MiB (" + ApiManifests.MAX_DEFINITION_BYTES + ")"));
      }
      return definitions;
    }
  }
}
