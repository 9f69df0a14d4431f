package dev.gantry.toolkit.image.testing;

import dev.gantry.toolkit.testing.TempFolders;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A real CNCF distribution registry ({@code docker-registry}, Debian package of the same name) on a
 * free loopback port, storing into a temporary folder, for integration tests. Plain HTTP, so
 * clients need their insecure switch. Optional htpasswd basic auth.
 *
 * <p>When the binary is missing the test is skipped, except under {@code CI=true}, where it fails
 * with the install hint: a CI run that silently skips every registry test proves nothing.
 *
 * <pre>{@code
 * try (LocalRegistry registry = LocalRegistry.start()) {          // or startWithBasicAuth("u", "p")
 *   String host = registry.host();                               // "127.0.0.1:PORT"
 *   int before = registry.blobUploads();                         // POST …/blobs/uploads/ so far
 *   registry.manifestDigest("petstore", "v1");                   // Optional<"sha256:…">
 * }
 * }</pre>
 */
public final class LocalRegistry implements AutoCloseable {
  public static final String BINARY = "docker-registry";
  private static final Pattern BLOB_UPLOAD = Pattern.compile("\"POST /v2/\\S+/blobs/uploads/");
  private static final Pattern MANIFEST_PUT = Pattern.compile("\"PUT /v2/\\S+/manifests/");
  private static final Pattern REQUEST = Pattern.compile("\"([A-Z]+) (/v2/\\S*) HTTP/");
  private static final String MANIFEST_TYPES = String.join(",",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json");

  private final Path dir;
  private final int port;
  private final String user;
  private final String password;
  private boolean readOnly;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  private LocalRegistry(Path dir, int port, String user, String password) {
    this.dir = dir;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /** An open registry (no auth). */
  public static LocalRegistry start() {
    return create(null, null);
  }

  /** A registry that requires {@code user}/{@code password} (htpasswd, bcrypt) for every request. */
  public static LocalRegistry startWithBasicAuth(String user, String password) {
    return create(user, password);
  }

  private static LocalRegistry create(String user, String password) {
    requireBinary();
    try {
      Path dir = Files.createTempDirectory("gantry-registry-");
      LocalRegistry registry = new LocalRegistry(dir, freePort(), user, password);
      registry.writeConfig();
      registry.resume();
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Skips the test when the binary is missing, or fails it under CI=true. */
  public static void requireBinary() {
    boolean present = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, BINARY)));
    String hint = "'" + BINARY + "' is not on PATH: install it with 'apt-get install -y docker-registry' (Debian/Ubuntu)";
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(hint);
    }
    Assumptions.assumeTrue(present, hint);
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public Path log() {
    return dir.resolve("registry.log");
  }

  /** Stops the process, keeping its storage and port, to test "registry down". */
  public void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts (again) on the same port and storage; waits until {@code GET /v2/} answers. */
  public void resume() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(BINARY, "serve", dir.resolve("registry.yml").toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    process = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(BINARY + " exited with " + process.exitValue() + ": " + Files.readString(log()));
      }
      try {
        int status = send(HttpRequest.newBuilder(url("/v2/")).GET(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      try {
        Thread.sleep(50); // polling the process's readiness; there is no event to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw new IOException(BINARY + " did not answer on " + host() + " within 15 s: " + Files.readString(log()));
  }

  /**
   * Restarts the registry read-only (its maintenance mode): lookups and pulls still work, every
   * push is refused, like a registry whose quota is exhausted or that denies this account writes.
   */
  public void readOnly(boolean readOnly) throws IOException {
    this.readOnly = readOnly;
    stop();
    writeConfig();
    resume();
  }

  /** Number of blob uploads started ({@code POST /v2/<name>/blobs/uploads/}) since the registry was created. */
  public int blobUploads() {
    return count(BLOB_UPLOAD);
  }

  /** Number of manifest pushes ({@code PUT /v2/<name>/manifests/<ref>}) since the registry was created. */
  public int manifestPuts() {
    return count(MANIFEST_PUT);
  }

  /**
   * Every request the registry served so far, as {@code "METHOD /v2/path"}, in order, from its
   * access log (for benchmarks that count round trips: take the size before, slice after).
   */
  public java.util.List<String> requests() {
    try (Stream<String> lines = Files.lines(log(), StandardCharsets.UTF_8)) {
      return lines.map(REQUEST::matcher).filter(java.util.regex.Matcher::find)
          .map(m -> m.group(1) + " " + m.group(2)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int count(Pattern pattern) {
    try (Stream<String> lines = Files.lines(log(), StandardCharsets.UTF_8)) {
      return (int) lines.filter(l -> pattern.matcher(l).find()).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The digest the registry reports for {@code repository:reference}, empty when unknown. */
  public Optional<String> manifestDigest(String repository, String reference) {
    HttpResponse<byte[]> response = manifestResponse(repository, reference);
    return response.statusCode() == 404 ? Optional.empty()
        : Optional.of(response.headers().firstValue("Docker-Content-Digest").orElseThrow());
  }

  /** The raw manifest bytes, empty when unknown. */
  public Optional<byte[]> manifest(String repository, String reference) {
    HttpResponse<byte[]> response = manifestResponse(repository, reference);
    return response.statusCode() == 404 ? Optional.empty() : Optional.of(response.body());
  }

  private HttpResponse<byte[]> manifestResponse(String repository, String reference) {
    HttpResponse<byte[]> response = get("/v2/" + repository + "/manifests/" + reference, MANIFEST_TYPES);
    if (response.statusCode() != 200 && response.statusCode() != 404) {
      throw new IllegalStateException("GET manifest " + repository + ":" + reference + " → " + response.statusCode());
    }
    return response;
  }

  /** A blob's bytes (as stored: layers are gzipped tars). */
  public byte[] blob(String repository, String digest) {
    HttpResponse<byte[]> response = get("/v2/" + repository + "/blobs/" + digest, "*/*");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET blob " + repository + "@" + digest + " → " + response.statusCode());
    }
    return response.body();
  }

  /** Pushes raw manifest bytes (for example an OCI index) under {@code reference}. */
  public void putManifest(String repository, String reference, String mediaType, byte[] manifest) {
    try {
      int status = send(HttpRequest.newBuilder(url("/v2/" + repository + "/manifests/" + reference))
          .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
          HttpResponse.BodyHandlers.ofString()).statusCode();
      if (status != 201) {
        throw new IllegalStateException("PUT manifest " + repository + ":" + reference + " → " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a Docker {@code config.json} with an {@code auths} entry (base64 {@code user:password})
   * for this registry into {@code folder}; returns the file.
   */
  public Path writeDockerConfig(Path folder, String user, String password) throws IOException {
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(folder);
    return Files.writeString(folder.resolve("config.json"),
        "{\"auths\": {\"" + host() + "\": {\"auth\": \"" + auth + "\"}}}\n");
  }

  private HttpResponse<byte[]> get(String path, String accept) {
    try {
      return send(HttpRequest.newBuilder(url(path)).header("Accept", accept).GET(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws IOException {
    if (user != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      return http.send(request.timeout(Duration.ofSeconds(10)).build(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private URI url(String path) {
    return URI.create("http://" + host() + path);
  }

  private void writeConfig() throws IOException {
    StringBuilder config = new StringBuilder()
        .append("version: 0.1\n")
        .append("log: {level: info, accesslog: {disabled: false}}\n")
        .append("storage: {filesystem: {rootdirectory: ").append(dir.resolve("data")).append("}, delete: {enabled: true}")
        .append(readOnly ? ", maintenance: {readonly: {enabled: true}}" : "").append("}\n")
        .append("http: {addr: '").append(host()).append("', secret: gantry-test}\n");
    if (user != null) {
      Files.writeString(dir.resolve("htpasswd"), user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(4)) + "\n");
      config.append("auth: {htpasswd: {realm: gantry-test, path: ").append(dir.resolve("htpasswd")).append("}}\n");
    }
    Files.writeString(dir.resolve("registry.yml"), config.toString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    stop();
    TempFolders.deleteQuietly(dir);
  }
}
