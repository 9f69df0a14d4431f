package dev.gantry.toolkit.fleet.testing;

import dev.gantry.toolkit.testing.TempFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package) in a temporary folder on a free
 * loopback port, for integration tests: {@code initdb} once, then {@code postgres} as a child
 * process that tests can {@link #stop()} and {@link #resume()} to play "repository down".
 *
 * <p>PostgreSQL refuses to run as root; CI runs as root, so there the server runs as the
 * {@code postgres} system user (through {@code runuser}). Without the binaries the test is skipped,
 * except under {@code CI=true}, where it fails with the install hint.
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String USER = "gantry";
  public static final String PASSWORD = "gantry-test";
  public static final String DATABASE = "gantry";

  private final Path dir;
  private final Path bin;
  private final int port;
  private Process process;

  private LocalPostgres(Path dir, Path bin, int port) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  public static LocalPostgres start() {
    Path bin = binaries();
    try {
      Path dir = Files.createTempDirectory("gantry-postgres-");
      LocalPostgres postgres = new LocalPostgres(dir, bin, freePort());
      postgres.initdb();
      postgres.resume();
      postgres.createDatabase();
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The newest {@code /usr/lib/postgresql/N/bin}; skips or (CI=true) fails when there is none. */
  static Path binaries() {
    Optional<Path> found = Optional.empty();
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
          .max(Comparator.comparing(Path::toString));
    } catch (IOException missing) {
      // no PostgreSQL installed
    }
    String hint = "PostgreSQL server binaries not found under /usr/lib/postgresql: "
        + "install them with 'apt-get install -y postgresql' (Debian/Ubuntu)";
    if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(hint);
    }
    Assumptions.assumeTrue(found.isPresent(), hint);
    return found.get();
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/gantry}; user {@link #USER}, password {@link #PASSWORD}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
  }

  private void initdb() throws IOException {
    Path data = dir.resolve("data");
    Path passwordFile = Files.writeString(dir.resolve("pwfile"), PASSWORD + "\n");
    Files.createDirectories(dir.resolve("socket"));
    giveToServerUser();
    run(asServerUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + passwordFile,
        "-A", "scram-sha-256", "-E", "UTF8", "--no-sync")), Duration.ofSeconds(120));
  }

  private void createDatabase() throws IOException {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD)) {
      c.createStatement().execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IOException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
  }

  /** Starts (again) on the same port and data; waits until it accepts connections. */
  public void resume() throws IOException {
    List<String> command = asServerUser(List.of(bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(),
        "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", dir.resolve("socket").toString(),
        "-c", "fsync=off", "-c", "max_connections=200"));
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("postgres exited with " + process.exitValue() + ": " + log());
      }
      try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
          USER, PASSWORD)) {
        return;
      } catch (SQLException notYet) {
        sleep(100); // polling readiness; postgres has no event to wait on
      }
    }
    throw new IOException("postgres did not accept connections on port " + port + " within 30 s: " + log());
  }

  /** Fast shutdown (SIGINT): clients are disconnected at once, as when a database server goes away. */
  public void stop() {
    if (process == null) {
      return;
    }
    try {
      // The child may be runuser; signal the server itself through its pid file.
      Path pidFile = dir.resolve("data/postmaster.pid");
      if (Files.exists(pidFile)) {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
      }
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
    process = null;
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("postgres.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void giveToServerUser() throws IOException {
    if (isRoot()) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()), Duration.ofSeconds(10));
    }
  }

  private List<String> asServerUser(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void run(List<String> full, Duration timeout) throws IOException {
    Path out = dir.resolve("setup.log");
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", full) + " failed: " + Files.readString(out));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
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
