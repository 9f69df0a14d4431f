package dev.gantry.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.support.TestBundles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** A gateway that cannot be set up does not start: exit 2, at once, and every reason on stderr. */
class GatewayMainTest {
  @TempDir
  Path temp;

  @Test
  void brokenSecurityConfigurationExitsTwoWithTheReasons() {
    TestBundles.build(temp.resolve("out"), "shop", "v1", """
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        security: [{keys: []}]
        paths:
          /a: {get: {responses: {"200": {description: ok}}}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend}
        spec: {urls: ["http://127.0.0.1:9"]}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: Security
        metadata: {name: keys}
        spec: {type: apikey, apikey: {name: X-Key, keysSecretRef: {name: shop-keys, key: keys}}}
        """);
    Run run = run(temp.resolve("out").toString(), "--secrets-dir", temp.resolve("nothing-mounted").toString(),
        "--port", "0", "--management-port", "0");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).contains("cannot serve", "shop-keys/keys", "not mounted or not readable");
  }

  /** A flag value the gateway cannot take: exit 2 before anything starts, naming the flag and the value. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "--keep-alive-timeout, -1", "--request-header-timeout, -2", "--client-body-timeout, -3",
      "--max-connections, -1", "--max-connections-per-client, -3", "--secrets-poll-interval, -5",
      "--shutdown-grace, -30", "--drain-delay, -4", "--port, 70000", "--management-port, -1", "--instances, 0"})
  void aFlagValueItCannotTakeExitsTwoNamingTheFlag(String flag, String value) {
    buildPublicApi();
    List<String> args = new ArrayList<>(List.of(temp.resolve("out").toString(),
        "--secrets-dir", temp.resolve("none").toString(), flag, value));
    for (String port : List.of("--port", "--management-port")) {
      if (!port.equals(flag)) { // Picocli refuses a flag given twice
        args.addAll(List.of(port, "0"));
      }
    }

    Run run = run(args.toArray(String[]::new));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).contains(flag, value).doesNotContain("serving");
  }

  @Test
  void theSamePortForTrafficAndManagementExitsTwoNamingBoth() {
    buildPublicApi();
    Run run = run(temp.resolve("out").toString(), "--secrets-dir", temp.resolve("none").toString(),
        "--port", "18999", "--management-port", "18999");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).contains("--port and --management-port are both 18999");
  }

  @Test
  void aCertificateWithoutItsKeyExitsTwo() {
    buildPublicApi();
    Run run = run(temp.resolve("out").toString(), "--secrets-dir", temp.resolve("none").toString(),
        "--port", "0", "--management-port", "0", "--tls-cert", temp.resolve("gateway.crt").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).contains("--tls-cert and --tls-key go together");
  }

  private void buildPublicApi() {
    TestBundles.build(temp.resolve("out"), "shop", "v1", """
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-gantry-endpoint: backend
        paths:
          /a: {get: {security: [], responses: {"200": {description: ok}}}}
        """, """
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: backend}
        spec: {urls: ["http://127.0.0.1:9"]}
        """);
  }

  @Test
  void aSecondGatewayOnTheSamePortFailsInsteadOfSharingIt() throws Exception {
    buildPublicApi();
    Path none = temp.resolve("no-secrets");
    GatewayServer first = TestBundles.serve(temp.resolve("out"), none, 2);
    try {
      // With SO_REUSEPORT both would bind, and the kernel would split the connections between them.
      var second = TestBundles.start(temp.resolve("out"), none, first.port(), 2).toCompletionStage().toCompletableFuture();
      assertThat(second).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
          .withMessageContaining("cannot listen on 127.0.0.1:" + first.port()).withMessageContaining("traffic port");
    } finally {
      first.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPortInUseExitsTwoAtOnceNamingThePort() throws Exception {
    buildPublicApi();
    for (String instances : new String[] {"1", "2"}) {
      // Taken the way another gateway would take it: a plain bound socket, no SO_REUSEPORT.
      try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
        long start = System.nanoTime();
        Run run = run(temp.resolve("out").toString(), "--host", "127.0.0.1",
            "--port", Integer.toString(taken.getLocalPort()), "--management-port", "0", "--instances", instances);

        assertThat(run.exit()).as("%s instances", instances).isEqualTo(2);
        assertThat(run.stderr()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort(),
            "traffic port", "Address already in use");
        assertThat((System.nanoTime() - start) / 1_000_000).as("no wait for a timeout").isLessThan(10_000L);
      }
    }
  }

  record Run(int exit, String stderr) {}

  /** {@code gantry run ARGS} in this JVM, with what it wrote to stderr. */
  private static Run run(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new GatewayMain()).execute(args);
      return new Run(exit, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }
}
