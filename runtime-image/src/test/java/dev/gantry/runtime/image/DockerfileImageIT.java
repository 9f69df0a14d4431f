package dev.gantry.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.gantry.runtime.support.Containers;
import dev.gantry.runtime.support.JreBase;
import dev.gantry.runtime.support.TestBundles;
import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.image.ImageBuilder;
import dev.gantry.toolkit.image.ImageLayout;
import dev.gantry.toolkit.image.ImageName;
import dev.gantry.toolkit.image.JibImageBuilder;
import dev.gantry.toolkit.image.JibRegistry;
import dev.gantry.toolkit.image.Registry;
import dev.gantry.toolkit.image.RegistryAccess;
import dev.gantry.toolkit.image.context.BuildContext;
import dev.gantry.toolkit.image.context.BuildahImageBuilder;
import dev.gantry.toolkit.image.product.ProductImages;
import dev.gantry.toolkit.image.testing.LocalRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Dockerfile path for real: the debootstrap JRE base, Gantry's runtime and toolkit
 * images pushed by Jib, a secret-free context from BuildContext, {@code buildah bud} of
 * dockerfiles/Dockerfile, {@code buildah push}, and the pushed image run by podman in front of a
 * real upstream, answering 200, 401 and 429. One registry and one image build for the class.
 */
class DockerfileImageIT {
  static final String VERSION = System.getProperty("gantry.version", "0.1.0-SNAPSHOT");
  static final String SECRET_KEY = "TOPSECRET-key-alice-5f1e";
  static final String OPENAPI = """
      openapi: 3.0.3
      info: {title: zoo, version: "1"}
      x-gantry-endpoint: backend
      paths:
        /animals:
          get:
            operationId: listAnimals
            security: [{keys: []}]
            x-gantry-ratelimit: three
            responses: {"200": {description: ok}}
      """;
  // The URL is unreachable on purpose: only GANTRY_UPSTREAM_BACKEND_URLS can make requests pass.
  static final String RESOURCES = """
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: backend}
      spec: {urls: ["http://backend.invalid:8080"]}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: RateLimit
      metadata: {name: three}
      spec: {requests: 3, per: 1m, scope: api}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Security
      metadata: {name: keys}
      spec: {type: apikey, apikey: {name: X-API-Key, keysSecretRef: {name: zoo-keys, key: keys}}}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: zoo-keys}
      stringData: {keys: "alice:%s"}
      """.formatted(SECRET_KEY);

  @TempDir
  static Path temp;
  static LocalRegistry registry;
  static Containers containers;
  static Vertx vertx;
  static HttpServer upstream;
  static String container;
  static String buildahImage;
  static Bundle bundle;
  static BuildContext context;
  static Map<String, String> args;
  static Path contextDir;
  static int port;
  static int managementPort;
  static final Map<String, Long> seconds = new java.util.LinkedHashMap<>();
  static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void buildAndRun() throws Exception {
    Containers.require("podman", "buildah", "runc", LocalRegistry.BINARY);
    containers = new Containers(Path.of("target/containers"));
    registry = LocalRegistry.start();
    String base = timed("jre base", JreBase::tarReference);
    RegistryAccess access = RegistryAccess.of(true, null, Map.of());
    timed("jib runtime+toolkit", () -> ProductImages.pushBoth(Path.of(".."), base, registry.host(), VERSION, access,
        temp.resolve("jib")));

    vertx = Vertx.vertx();
    upstream = vertx.createHttpServer().requestHandler(request -> request.response()
        .putHeader("Content-Type", "application/json").end("{\"from\":\"upstream\",\"uri\":\"" + request.uri() + "\"}"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    Path build = temp.resolve("build");
    bundle = TestBundles.build(build, "zoo", "v1", OPENAPI, RESOURCES);
    context = BuildContext.create(List.of(new BuildContext.Source("zoo.yaml", bytes(OPENAPI))),
        List.of(new BuildContext.Source("zoo-resources.yaml", bytes(RESOURCES))), "zoo", "v1", bundle.digest());
    contextDir = temp.resolve("context");
    context.extractTo(contextDir);
    args = new java.util.LinkedHashMap<>(context.buildArgs());
    args.put("TOOLKIT_IMAGE", ProductImages.toolkitRef(registry.host(), VERSION));
    args.put("RUNTIME_IMAGE", ProductImages.runtimeRef(registry.host(), VERSION));
    buildahImage = registry.host() + "/zoo:v1";
    // The production path (gantry image build --builder dockerfile): bud + push of the same context.
    Path sources = Files.createDirectories(temp.resolve("sources"));
    Files.writeString(sources.resolve("zoo.yaml"), OPENAPI);
    Files.writeString(sources.resolve("zoo-resources.yaml"), RESOURCES);
    var builder = new BuildahImageBuilder(List.of(sources.resolve("zoo.yaml")),
        List.of(sources.resolve("zoo-resources.yaml")), ProductImages.toolkitRef(registry.host(), VERSION), access,
        containers.environment());
    timed("buildah bud + push", () -> builder.build(new ImageBuilder.Request(ImageName.of(registry.host(), "zoo", "v1"),
        ProductImages.runtimeRef(registry.host(), VERSION), bundle, "zoo", "v1"), line -> { }));

    port = freePort();
    managementPort = freePort();
    Path etc = mountableEnvironment(build.resolve("environment.yaml"));
    container = "gantry-it-" + port;
    timed("podman run", () -> containers.check(300, "podman", "run", "-d", "--tls-verify=false", "--network", "host",
        "--name", container, "-e", "GANTRY_UPSTREAM_BACKEND_URLS=http://127.0.0.1:" + upstream.actualPort(),
        "-v", etc + ":/etc/gantry:ro", buildahImage,
        ImageLayout.BUNDLE_DIR, "--secrets-dir", ImageLayout.SECRETS_DIR,
        "--port", String.valueOf(port), "--management-port", String.valueOf(managementPort)));
    timed("gateway ready", DockerfileImageIT::awaitReady);
    System.out.println("DockerfileImageIT timings (s): " + seconds);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (container != null) {
      containers.run(60, "podman", "rm", "-f", "-t", "2", container);
    }
    if (buildahImage != null) {
      containers.run(60, "podman", "rmi", "-f", buildahImage);
      // Keep this run's pulls (the next run reuses their layers), drop earlier runs' (other registry ports).
      containers.run(30, "podman", "images", "--format", "{{.Repository}}:{{.Tag}}").output().lines()
          .filter(image -> image.startsWith("127.0.0.1:") && !image.startsWith(registry.host() + "/"))
          .forEach(image -> containers.run(60, "podman", "rmi", "-f", image));
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void theBuiltImagePassesRefusesCredentialsAndLimitsRate() throws Exception {
    assertThat(send(null).statusCode()).as("no API key").isEqualTo(401);
    assertThat(send("wrong").statusCode()).as("wrong API key").isEqualTo(401);

    HttpResponse<String> passed = send(SECRET_KEY);
    assertThat(passed.statusCode()).as(logs()).isEqualTo(200);
    assertThat(passed.body()).contains("\"from\":\"upstream\"", "\"uri\":\"/animals\"");

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      statuses.add(send(SECRET_KEY).statusCode());
    }
    // Three a minute for the whole API: one used above, two more pass, then 429.
    assertThat(statuses).containsExactly(200, 200, 429, 429, 429);
  }

  @Test
  void labelsEqualThoseOfTheJibPath() throws Exception {
    RegistryAccess access = RegistryAccess.of(true, null, Map.of());
    ImageName jibTarget = ImageName.of(registry.host() + "/jib", "zoo", "v1");
    new JibImageBuilder(access, null).build(new ImageBuilder.Request(jibTarget,
        ProductImages.runtimeRef(registry.host(), VERSION), bundle, "zoo", "v1"), line -> { });

    Map<String, String> jib = labels(jibTarget.reference());
    Map<String, String> buildah = labels(ImageReference.parse(buildahImage));
    Map<String, String> expected = Map.of(ImageLayout.LABEL_BUNDLE_DIGEST, bundle.digest(),
        ImageLayout.LABEL_API, "zoo", ImageLayout.LABEL_VERSION, "v1");
    assertThat(context.labels()).isEqualTo(expected);
    assertThat(jib).containsAllEntriesOf(expected);
    assertThat(buildah).containsAllEntriesOf(expected);
    assertThat(gantryLabels(buildah)).isEqualTo(gantryLabels(jib));
  }

  @Test
  void aStaleDigestFailsTheBuildAndNoSecretReachedTheContext() throws Exception {
    Map<String, String> stale = new java.util.LinkedHashMap<>(args);
    stale.put("BUNDLE_DIGEST", "sha256:" + "0".repeat(64));
    Containers.Result result = containers.run(600, bud(stale, registry.host() + "/zoo:stale").toArray(String[]::new));

    assertThat(result.exitCode()).as(Containers.tail(result.output())).isNotZero();
    assertThat(result.output()).contains("stale build refused", bundle.digest());
    assertThat(registry.manifestDigest("zoo", "stale")).isEmpty();
    try (var files = Files.walk(contextDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(SECRET_KEY);
      }
    }
  }

  private static List<String> bud(Map<String, String> buildArgs, String tag) {
    List<String> command = new ArrayList<>(List.of("buildah", "bud", "--isolation", "chroot", "--tls-verify=false"));
    buildArgs.forEach((k, v) -> command.addAll(List.of("--build-arg", k + "=" + v)));
    // As a Kaniko Job would: labels also given on the command line, so they exist either way.
    context.labels().forEach((k, v) -> command.addAll(List.of("--label", k + "=" + v)));
    command.addAll(List.of("-t", tag, contextDir.toString()));
    return command;
  }

  private static Map<String, String> labels(ImageReference reference) throws Exception {
    Registry.Lookup lookup = new JibRegistry(RegistryAccess.of(true, null, Map.of())).lookup(reference);
    assertThat(lookup).as(reference.toString()).isInstanceOf(Registry.Present.class);
    return ((Registry.Present) lookup).labels();
  }

  private static Map<String, String> gantryLabels(Map<String, String> labels) {
    Map<String, String> out = new java.util.TreeMap<>(labels);
    out.keySet().removeIf(k -> !k.startsWith("dev.gantry."));
    return out;
  }

  /** environment.yaml and the Secret files as a deployment mounts them, readable by user 65532. */
  private static Path mountableEnvironment(Path environment) throws Exception {
    Path etc = temp.resolve("etc-gantry");
    Files.createDirectories(etc);
    Files.copy(environment, etc.resolve("environment.yaml"));
    TestBundles.secrets(etc.resolve("secrets"), Map.of("zoo-keys", Map.of("keys", "alice:" + SECRET_KEY + "\n")));
    try (var files = Files.walk(etc)) {
      for (Path p : files.toList()) {
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
            Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return etc;
  }

  private static HttpResponse<String> send(String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/zoo/v1/animals"))
        .timeout(Duration.ofSeconds(10));
    if (key != null) {
      request.header("X-API-Key", key);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!ready()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the gateway in container " + container + " was not ready within 60 s; logs:\n" + logs());
      }
      Thread.sleep(200);
    }
    return null;
  }

  private static boolean ready() {
    try {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception notYet) {
      return false;
    }
  }

  private static String logs() {
    return Containers.tail(containers.run(30, "podman", "logs", container).output());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  interface Step<T> {
    T run() throws Exception;
  }

  private static <T> T timed(String name, Step<T> step) throws Exception {
    long start = System.nanoTime();
    try {
      return step.run();
    } finally {
      seconds.put(name, (System.nanoTime() - start) / 1_000_000_000L);
    }
  }
}
