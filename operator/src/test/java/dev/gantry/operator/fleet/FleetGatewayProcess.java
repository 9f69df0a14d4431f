package dev.gantry.operator.fleet;

import static org.awaitility.Awaitility.await;

import dev.gantry.operator.model.FleetDeployment;
import dev.gantry.operator.model.Names;
import dev.gantry.toolkit.image.ImageLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One pod of a GatewayCluster, as a process on this machine: the command line and environment the
 * operator put in the fleet's Deployment (Secret references resolved from the cluster, as the
 * kubelet does), run on the runtime module's build output. Only what a pod gets from Kubernetes
 * itself differs: folders (its emptyDirs), loopback ports, instance name. The runtime cannot run in
 * the test JVM: the mock API server needs Vert.x 4, the runtime Vert.x 5.
 */
final class FleetGatewayProcess implements AutoCloseable {
  static final Path RUNTIME = Path.of("../runtime-image/target");
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  final String instance;
  final int port;
  final int managementPort;
  /** The pod's cache emptyDir. */
  final Path cache;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private Process process;

  private FleetGatewayProcess(String instance, List<String> command, Map<String, String> environment, int port,
                              int managementPort, Path cache, Path log) {
    this.instance = instance;
    this.command = command;
    this.environment = environment;
    this.port = port;
    this.managementPort = managementPort;
    this.cache = cache;
    this.log = log;
  }

  /** The pod of GatewayCluster {@code ns/name} as the operator deployed it into {@code cluster}; not started. */
  static FleetGatewayProcess of(KubernetesClient cluster, String ns, String name, String instance, Path dir)
      throws IOException {
    Path jar = RUNTIME.resolve("gantry-runtime.jar");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(RUNTIME.resolve("lib"))) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build the runtime first "
          + "(./mvnw -pl runtime-image -am package -DskipTests, or run the whole ./mvnw verify)");
    }
    Deployment deployment = cluster.apps().deployments().inNamespace(ns).withName(Names.fleet(name)).get();
    if (deployment == null) {
      throw new IllegalStateException("GatewayCluster " + ns + "/" + name + " has no Deployment");
    }
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    if (!List.of(FleetDeployment.COMMAND).equals(container.getCommand())) {
      throw new IllegalStateException("unexpected fleet command " + container.getCommand());
    }
    Path cache = Files.createDirectories(dir.resolve(instance + "-cache"));
    Path secrets = Files.createDirectories(dir.resolve(instance + "-secrets"));
    int port = freePort();
    int management = freePort();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx96m", "-XX:+UseSerialGC", "-cp", jar + ":" + RUNTIME.resolve("lib") + "/*",
        "dev.gantry.runtime.server.GatewayMain"));
    for (String arg : container.getArgs()) {
      if (arg.startsWith("--cache-dir=")) {
        command.add("--cache-dir=" + cache);
      } else if (arg.startsWith("--secrets-dir=")) {
        command.add("--secrets-dir=" + secrets);
      } else {
        command.add(arg);
      }
    }
    command.addAll(List.of("--host=127.0.0.1", "--port=" + port, "--management-port=" + management,
        "--instance=" + instance, "--instances=1", "--no-access-log", "--poll-interval=2", "--shutdown-grace=2"));
    mountSecrets(cluster, ns, deployment, secrets);
    Map<String, String> environment = new TreeMap<>();
    for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      environment.put(env.getName(), env.getValue() != null ? env.getValue() : secretValue(cluster, ns, env));
    }
    return new FleetGatewayProcess(instance, command, environment, port, management, cache,
        dir.resolve(instance + ".log"));
  }

  /** What the kubelet does for the Secret volumes under the secrets folder: one file per key. */
  private static void mountSecrets(KubernetesClient cluster, String ns, Deployment deployment, Path secrets)
      throws IOException {
    var pod = deployment.getSpec().getTemplate().getSpec();
    for (var mount : pod.getContainers().get(0).getVolumeMounts()) {
      if (!mount.getMountPath().startsWith(ImageLayout.SECRETS_DIR + "/")) {
        continue;
      }
      var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      Secret secret = cluster.secrets().inNamespace(ns).withName(volume.getSecret().getSecretName()).get();
      if (secret == null) {
        throw new IllegalStateException("volume " + volume.getName() + ": Secret " + ns + "/"
            + volume.getSecret().getSecretName() + " missing (a kubelet would not start the pod)");
      }
      Path dir = Files.createDirectories(secrets.resolve(mount.getMountPath().substring(ImageLayout.SECRETS_DIR.length() + 1)));
      for (var entry : secret.getData().entrySet()) {
        Files.write(dir.resolve(entry.getKey()), Base64.getDecoder().decode(entry.getValue()));
      }
    }
  }

  private static String secretValue(KubernetesClient cluster, String ns, EnvVar env) {
    var ref = env.getValueFrom().getSecretKeyRef();
    Secret secret = cluster.secrets().inNamespace(ns).withName(ref.getName()).get();
    if (secret == null || secret.getData() == null || secret.getData().get(ref.getKey()) == null) {
      throw new IllegalStateException("env " + env.getName() + ": Secret " + ns + "/" + ref.getName() + " key "
          + ref.getKey() + " missing (a kubelet would not start the pod)");
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
  }

  List<String> command() {
    return command;
  }

  /** Sets what a pod would get from elsewhere, e.g. KUBECONFIG for the service account a test has no token for. */
  FleetGatewayProcess environment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Starts the process (again, after {@link #kill}) and waits until it is ready. */
  FleetGatewayProcess start() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().remove("KUBERNETES_SERVICE_HOST"); // never the cluster this test may run in
    builder.environment().putAll(environment);
    process = builder.start();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException(instance + " exited " + process.exitValue() + ":\n" + log());
      }
      return status(URI.create("http://127.0.0.1:" + managementPort + "/health/ready")) == 200;
    });
    return this;
  }

  /** As when a pod is killed: no graceful shutdown. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  int get(String path) {
    return status(URI.create("http://127.0.0.1:" + port + path));
  }

  int get(String path, String header, String value) {
    return status(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header(header, value));
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  static int status(URI uri) {
    return status(HttpRequest.newBuilder(uri));
  }

  static int status(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
