package dev.gantry.runtime.fleet;

import dev.gantry.runtime.config.ConfigException;
import dev.gantry.runtime.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * Keeps a fleet gateway in step with the central repository. One thread, one connection:
 * {@code LISTEN} for changes (a publish reaches the gateway at once), re-reading the environment's
 * APIs on every notification and at least every poll interval (a missed notification, or a
 * database that does not deliver them, only delays). The gateway registers itself and beats with
 * the APIs it serves. When the repository goes away the gateway keeps serving what it has (and
 * has cached on disk), reconnects with back-off and catches up.
 */
public final class RepositorySource implements AutoCloseable {
  private final ConnectionFactory repository;
  private final FleetIdentity identity;
  private final FleetGateway gateway;
  private final BundleCache cache;
  private final ConfigLoader loader;
  private final Path secretsDir;
  private final Duration poll;
  private final Consumer<String> log;
  private final Instant started = Instant.now();
  private final Map<String, Long> failedRevisions = new HashMap<>();
  private volatile boolean running = true;
  private boolean connected; // only the source thread reads and writes it
  private final Thread thread;

  /** Opens a connection to the repository (short connect timeout); {@code toString} names it for logs. */
  public interface ConnectionFactory {
    Connection connect() throws SQLException;
  }

  public RepositorySource(ConnectionFactory repository, FleetIdentity identity, FleetGateway gateway,
                          BundleCache cache, ConfigLoader loader, Path secretsDir, Duration poll, Consumer<String> log) {
    this.repository = repository;
    this.identity = identity;
    this.gateway = gateway;
    this.cache = cache;
    this.loader = loader;
    this.secretsDir = secretsDir;
    this.poll = poll;
    this.log = log;
    this.thread = new Thread(this::run, "gantry-repository");
    this.thread.setDaemon(true);
  }

  /** Serves what the cache holds (at once, repository or not), then follows the repository. */
  public void start() {
    try {
      for (BundleCache.Entry entry : cache.entries()) {
        load(entry);
      }
    } catch (IOException e) {
      log.accept("cannot read the bundle cache: " + e.getMessage());
    }
    gateway.sourceReady(); // as before: ready at once, from the cache, repository or not
    thread.start();
  }

  private void run() {
    long backoffMillis = 250;
    while (running) {
      try (Connection connection = repository.connect()) {
        connection.createStatement().execute("LISTEN " + FleetRepository.CHANNEL);
        PGConnection notifications = connection.unwrap(PGConnection.class);
        if (!connected) {
          log.accept("connected to the repository " + repository);
        }
        connected = true;
        backoffMillis = 250;
        long nextBeat = 0;
        while (running) {
          sync(connection);
          if (System.nanoTime() - nextBeat >= 0) {
            FleetRepository.register(connection, identity, gateway.digests(), started);
            nextBeat = System.nanoTime() + poll.toNanos();
          }
          notifications.getNotifications((int) poll.toMillis()); // wakes at once on NOTIFY, else polls
        }
      } catch (SQLException | RuntimeException e) {
        if (connected || backoffMillis == 250) {
          log.accept("repository " + repository + " unavailable, serving the last known APIs: "
              + e.getMessage());
        }
        connected = false;
        sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 5000);
      }
    }
  }

  /** Makes the gateway serve exactly the started APIs whose selector matches this fleet. */
  void sync(Connection connection) throws SQLException {
    Map<String, FleetRepository.Wanted> wanted = new HashMap<>();
    for (FleetRepository.Wanted api : FleetRepository.wanted(connection, identity.environment(), identity.labels())) {
      wanted.put(api.name(), api);
    }
    Map<String, FleetGateway.Loaded> loaded = gateway.loaded();
    for (FleetRepository.Wanted api : wanted.values()) {
      FleetGateway.Loaded current = loaded.get(api.name());
      boolean upToDate = current != null && current.revision() == api.revision();
      boolean knownBad = Long.valueOf(api.revision()).equals(failedRevisions.get(api.name()));
      if (!upToDate && !knownBad) {
        try {
          load(cache.store(FleetRepository.release(connection, identity.environment(), api.name())));
        } catch (IOException e) {
          log.accept("cannot cache " + api.name() + ": " + e.getMessage());
        }
      }
    }
    for (String name : loaded.keySet()) {
      if (!wanted.containsKey(name)) {
        gateway.remove(name);
        try {
          cache.remove(name);
        } catch (IOException e) {
          log.accept("cannot drop " + name + " from the cache: " + e.getMessage());
        }
        log.accept("unloaded " + name);
      }
    }
  }

  private void load(BundleCache.Entry entry) {
    try {
      gateway.put(entry.name(), entry.revision(), loader.load(entry.bundleDir(), entry.environmentFile(), secretsDir));
      failedRevisions.remove(entry.name());
      log.accept("serving " + entry.name() + " " + entry.bundleDigest() + " (revision " + entry.revision() + ")");
    } catch (ConfigException e) {
      // The previous bundle of this API (if any) keeps serving; the same revision is not retried.
      failedRevisions.put(entry.name(), entry.revision());
      log.accept("cannot serve " + entry.name() + " revision " + entry.revision() + ": " + String.join("; ", e.problems()));
    } catch (RuntimeException e) {
      failedRevisions.put(entry.name(), entry.revision());
      log.accept("cannot serve " + entry.name() + " revision " + entry.revision() + ": " + e.getMessage());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
