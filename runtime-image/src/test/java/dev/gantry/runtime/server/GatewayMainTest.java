package dev.gantry.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.runtime.support.TestBundles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A gateway whose security cannot be set up does not start: exit 2 and every reason on stderr. */
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
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new GatewayMain()).execute(temp.resolve("out").toString(),
          "--secrets-dir", temp.resolve("nothing-mounted").toString(), "--port", "0", "--management-port", "0");
    } finally {
      System.setErr(original);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot serve", "shop-keys/keys",
        "not mounted or not readable");
  }
}
