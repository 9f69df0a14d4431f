package dev.gantry.runtime.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.server.GatewayMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `run fleet` refuses wrong combinations with exit 2 and one clear line, before anything starts. */
class FleetMainUsageTest {
  @TempDir
  Path temp;

  record Run(int exit, String err) {}

  static Run run(String... args) {
    PrintStream previous = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = new CommandLine(new GatewayMain()).execute(args);
      return new Run(exit, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(previous);
    }
  }

  @Test
  void anUnknownSourceNamesBoth() {
    Run run = run("fleet", "--fleet=edge", "--source=configmaps");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--source configmaps: expected repository or kubernetes");
  }

  @Test
  void optionsOfTheOtherSourceAreRefused() {
    Run kubernetes = run("fleet", "--fleet=edge", "--source=kubernetes", "--repository-url=jdbc:postgresql://h/db");
    assertThat(kubernetes.exit()).isEqualTo(2);
    assertThat(kubernetes.err()).contains("--repository-url is for --source repository");
    Run repository = run("fleet", "--fleet=edge", "--source=repository", "--repository-url=jdbc:postgresql://h/db",
        "--namespaces=a");
    assertThat(repository.exit()).isEqualTo(2);
    assertThat(repository.err()).contains("--namespaces is for --source kubernetes");
  }

  @Test
  void aNamespaceThatCannotBeOneIsNamed() {
    Run run = run("fleet", "--fleet=edge", "--source=kubernetes", "--namespaces=team-a,Team_B");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("'Team_B' is not a namespace name");
  }

  @Test
  void withoutAnyKubernetesConfigurationTheGatewaySaysWhatItNeeds() throws Exception {
    assertThat(KubernetesConfigCheck.problem(Map.of(), temp)).contains("run in a pod").contains("KUBECONFIG");
    assertThat(KubernetesConfigCheck.problem(Map.of("KUBECONFIG", temp.resolve("nope").toString()), temp))
        .contains("no such file");
    Path kubeconfig = Files.writeString(temp.resolve("kubeconfig"), "apiVersion: v1\n");
    assertThat(KubernetesConfigCheck.problem(Map.of("KUBECONFIG", kubeconfig.toString()), temp)).isNull();
    assertThat(KubernetesConfigCheck.problem(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), temp)).isNull();
    Files.createDirectories(temp.resolve(".kube"));
    Files.writeString(temp.resolve(".kube/config"), "apiVersion: v1\n");
    assertThat(KubernetesConfigCheck.problem(Map.of(), temp)).isNull();
  }

  @Test
  void theDefaultNamespaceIsThePodsElseDefault() throws Exception {
    assertThat(FleetMain.podNamespace(temp.resolve("missing"))).isEqualTo("default");
    assertThat(FleetMain.podNamespace(Files.writeString(temp.resolve("namespace"), "team-a\n"))).isEqualTo("team-a");
  }

  /** The server flags are the same mixin as `gantry run`'s, checked the same way. */
  @Test
  void aServerFlagValueItCannotTakeIsNamed() {
    Run run = run("fleet", "--fleet=edge", "--source=repository", "--repository-url=jdbc:postgresql://h/db",
        "--shutdown-grace=-1");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--shutdown-grace must be 0 (off) or a number of seconds, not -1");
  }
}
