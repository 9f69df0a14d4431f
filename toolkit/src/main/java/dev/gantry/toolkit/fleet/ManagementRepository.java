package dev.gantry.toolkit.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.toolkit.bundle.Bundle;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The central management repository (PostgreSQL): published APIs per environment, their bundles,
 * deployment events and registered gateways. Publishers (the operator, {@code gantry fleet}) write
 * through this class and own the schema (Flyway); fleet gateways read with their own few queries
 * (the runtime's {@code FleetRepository}), learn of changes through {@code LISTEN} on
 * {@value #CHANNEL} and register themselves.
 *
 * <p>Each call opens its own short connection: publishers call rarely, and a connection that outlives
 * a database restart would only fail later.
 */
public final class ManagementRepository {
  /** The NOTIFY channel; its payload is the environment whose APIs changed. */
  public static final String CHANNEL = "gantry_api";
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
  private static final int TIMEOUT_SECONDS = 5;

  private final RepositoryAddress address;

  public ManagementRepository(RepositoryAddress address) {
    this.address = address;
  }

  public RepositoryAddress address() {
    return address;
  }

  /** Creates or upgrades the schema (Flyway; safe to run from several processes at once). */
  public void migrate() throws RepositoryException {
    try {
      Flyway.configure().dataSource(address.jdbcUrl(), address.user(), address.password())
          .locations("classpath:dev/gantry/toolkit/fleet/db").table("gantry_schema_history")
          .connectRetries(0).load().migrate();
    } catch (FlywayException e) {
      throw new RepositoryException("cannot migrate the repository at " + address + ": " + e.getMessage(), e);
    }
  }

  /** A connection with short connect and login timeouts, so that a down repository is an answer, not a hang. */
  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (address.user() != null) {
      properties.setProperty("user", address.user());
    }
    if (address.password() != null) {
      properties.setProperty("password", address.password());
    }
    properties.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
    properties.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "gantry");
    return DriverManager.getConnection(address.jdbcUrl(), properties);
  }

  /**
   * Publishes (or updates) an API for an environment. Idempotent: when bundle, settings, selector
   * and state are what the repository already holds, nothing changes (no revision, no event, no
   * NOTIFY), so a reconciler may call it on every pass.
   */
  public PublishedApi publish(String environment, String name, String version, Bundle bundle, byte[] environmentYaml,
                              GatewaySelector gateways, ApiState state) throws RepositoryException {
    return publish(environment, name, version, bundle, environmentYaml, gateways, state, null);
  }

  /**
   * As above, on behalf of {@code owner} (the operator: {@code cluster/namespace/name} of the API
   * resource). An API another owner published is refused with {@link PublishedElsewhereException},
   * so two resources of the same name never overwrite each other; one published without an owner
   * (by hand) is taken over.
   */
  public PublishedApi publish(String environment, String name, String version, Bundle bundle, byte[] environmentYaml,
                              GatewaySelector gateways, ApiState state, String owner) throws RepositoryException {
    String selector = json(gateways);
    String settings = new String(environmentYaml, StandardCharsets.UTF_8);
    return transaction("publish " + name + " to environment " + environment, c -> {
      storeBundle(c, bundle);
      Optional<PublishedApi> before = find(c, environment, name, true);
      if (before.isPresent()) {
        refuseOtherOwner(before.get(), owner);
      }
      if (before.isPresent() && Objects.equals(before.get().owner(), owner)
          && unchanged(c, before.get(), version, bundle.digest(), settings, gateways, state)) {
        return before.get();
      }
      long revision = nextRevision(c);
      try (PreparedStatement upsert = c.prepareStatement("""
          INSERT INTO gantry_api (environment, name, version, bundle_digest, environment_yaml, gateways, state, revision,
            owner)
          VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
          ON CONFLICT (environment, name) DO UPDATE SET version = EXCLUDED.version,
            bundle_digest = EXCLUDED.bundle_digest, environment_yaml = EXCLUDED.environment_yaml,
            gateways = EXCLUDED.gateways, state = EXCLUDED.state, revision = EXCLUDED.revision,
            owner = COALESCE(EXCLUDED.owner, gantry_api.owner), updated_at = now()
          """)) {
        upsert.setString(1, environment);
        upsert.setString(2, name);
        upsert.setString(3, version);
        upsert.setString(4, bundle.digest());
        upsert.setString(5, settings);
        upsert.setString(6, selector);
        upsert.setString(7, state.name());
        upsert.setLong(8, revision);
        upsert.setString(9, owner);
        upsert.executeUpdate();
      }
      String kind = before.isEmpty() ? "PUBLISHED" : before.get().state() != state ? state == ApiState.STARTED
          ? "STARTED" : "STOPPED" : "UPDATED";
      event(c, environment, name, kind, bundle.digest(), revision);
      return find(c, environment, name, false).orElseThrow();
    });
  }

  /** Starts or stops a published API; the definition stays either way. Unknown API: an error naming it. */
  public PublishedApi setState(String environment, String name, ApiState state) throws RepositoryException {
    return setState(environment, name, state, null);
  }

  /** As above on behalf of {@code owner}; null (by hand) may change any API. */
  public PublishedApi setState(String environment, String name, ApiState state, String owner)
      throws RepositoryException {
    return transaction((state == ApiState.STARTED ? "start " : "stop ") + name + " in environment " + environment, c -> {
      PublishedApi api = find(c, environment, name, true).orElseThrow(() -> new SQLException("API " + name
          + " is not published in environment " + environment + " (publish it first)", "02000"));
      if (owner != null) {
        refuseOtherOwner(api, owner);
      }
      if (api.state() == state) {
        return api;
      }
      long revision = nextRevision(c);
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE gantry_api SET state = ?, revision = ?, updated_at = now() WHERE environment = ? AND name = ?")) {
        update.setString(1, state.name());
        update.setLong(2, revision);
        update.setString(3, environment);
        update.setString(4, name);
        update.executeUpdate();
      }
      event(c, environment, name, state == ApiState.STARTED ? "STARTED" : "STOPPED", api.bundleDigest(), revision);
      return find(c, environment, name, false).orElseThrow();
    });
  }

  /**
   * Removes an API's definition from the environment (its resource was deleted): gateways unload it
   * and a REMOVED event stays. Returns what was removed; empty when it was not there. On behalf of
   * {@code owner}, another owner's API is refused and stays; null (by hand) removes any.
   */
  public Optional<PublishedApi> remove(String environment, String name, String owner) throws RepositoryException {
    return transaction("remove " + name + " from environment " + environment, c -> {
      Optional<PublishedApi> api = find(c, environment, name, true);
      if (api.isEmpty()) {
        return api;
      }
      if (owner != null) {
        refuseOtherOwner(api.get(), owner);
      }
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM gantry_api WHERE environment = ? AND name = ?")) {
        delete.setString(1, environment);
        delete.setString(2, name);
        delete.executeUpdate();
      }
      event(c, environment, name, "REMOVED", api.get().bundleDigest(), nextRevision(c));
      return api;
    });
  }

  public List<PublishedApi> apis(String environment) throws RepositoryException {
    return transaction("list the APIs of environment " + environment, c -> {
      List<PublishedApi> apis = new ArrayList<>();
      try (PreparedStatement query = c.prepareStatement(SELECT_API + " WHERE environment = ? ORDER BY name")) {
        query.setString(1, environment);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            apis.add(api(rows));
          }
        }
      }
      return apis;
    });
  }

  /** Does {@code selector} select a fleet labelled {@code labels}? (The SQL function gateways use.) */
  public boolean selects(GatewaySelector selector, Map<String, String> labels) throws RepositoryException {
    return transaction("evaluate a selector", c -> {
      try (PreparedStatement query = c.prepareStatement("SELECT gantry_selects(?::jsonb, ?::jsonb)")) {
        query.setString(1, json(selector));
        query.setString(2, json(labels));
        try (ResultSet rows = query.executeQuery()) {
          rows.next();
          return rows.getBoolean(1);
        }
      }
    });
  }

  public List<DeploymentEvent> events(String environment, String name) throws RepositoryException {
    return transaction("read the events of " + name, c -> {
      List<DeploymentEvent> events = new ArrayList<>();
      try (PreparedStatement query = c.prepareStatement("SELECT id, environment, api, kind, bundle_digest, revision, at "
          + "FROM gantry_event WHERE environment = ? AND api = ? ORDER BY id")) {
        query.setString(1, environment);
        query.setString(2, name);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            events.add(new DeploymentEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getString(5), rows.getLong(6), rows.getTimestamp(7).toInstant()));
          }
        }
      }
      return events;
    });
  }

  /** The registered gateways of an environment (every fleet), newest heartbeat first. */
  public List<GatewayInstance> gateways(String environment) throws RepositoryException {
    return transaction("list the gateways of environment " + environment, c -> {
      List<GatewayInstance> gateways = new ArrayList<>();
      try (PreparedStatement query = c.prepareStatement("SELECT instance, environment, fleet, cluster, zone, labels, "
          + "endpoints, runtime_version, loaded, started_at, heartbeat_at FROM gantry_gateway WHERE environment = ? "
          + "ORDER BY fleet, cluster, instance")) {
        query.setString(1, environment);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            gateways.add(new GatewayInstance(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getString(5), read(rows.getString(6), new TypeReference<Map<String, String>>() { }),
                read(rows.getString(7), new TypeReference<List<GatewayInstance.Endpoint>>() { }), rows.getString(8),
                read(rows.getString(9), new TypeReference<Map<String, String>>() { }),
                rows.getTimestamp(10).toInstant(), rows.getTimestamp(11).toInstant()));
          }
        }
      }
      return gateways;
    });
  }

  private static final String SELECT_API =
      "SELECT environment, name, version, bundle_digest, state, gateways, revision, updated_at, owner FROM gantry_api";

  private static void refuseOtherOwner(PublishedApi api, String owner) throws OwnerConflict {
    if (api.owner() != null && !api.owner().equals(owner)) {
      throw new OwnerConflict(api);
    }
  }

  /** Inside a transaction: rolls it back, then leaves {@link #transaction} as a {@link PublishedElsewhereException}. */
  private static final class OwnerConflict extends SQLException {
    final transient PublishedApi api;

    OwnerConflict(PublishedApi api) {
      super("owned by " + api.owner());
      this.api = api;
    }
  }

  private static Optional<PublishedApi> find(Connection c, String environment, String name, boolean lock)
      throws SQLException {
    try (PreparedStatement query = c.prepareStatement(SELECT_API + " WHERE environment = ? AND name = ?"
        + (lock ? " FOR UPDATE" : ""))) {
      query.setString(1, environment);
      query.setString(2, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(api(rows)) : Optional.empty();
      }
    }
  }

  /** Content-addressed: a digest the repository holds is not sent again (a reconcile republishes on every pass). */
  private static void storeBundle(Connection c, Bundle bundle) throws SQLException {
    try (PreparedStatement query = c.prepareStatement("SELECT 1 FROM gantry_bundle WHERE bundle_digest = ?")) {
      query.setString(1, bundle.digest());
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
    }
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO gantry_bundle (bundle_digest, files) VALUES (?, ?::jsonb) ON CONFLICT DO NOTHING")) {
      insert.setString(1, bundle.digest());
      insert.setString(2, json(encode(bundle.files())));
      insert.executeUpdate();
    }
  }

  private static boolean unchanged(Connection c, PublishedApi before, String version, String digest, String settings,
                                   GatewaySelector gateways, ApiState state) throws SQLException {
    if (!before.version().equals(version) || !before.bundleDigest().equals(digest) || before.state() != state
        || !before.gateways().equals(gateways)) {
      return false;
    }
    try (PreparedStatement query = c.prepareStatement(
        "SELECT environment_yaml FROM gantry_api WHERE environment = ? AND name = ?")) {
      query.setString(1, before.environment());
      query.setString(2, before.name());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() && settings.equals(rows.getString(1));
      }
    }
  }

  private static PublishedApi api(ResultSet rows) throws SQLException {
    return new PublishedApi(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
        ApiState.valueOf(rows.getString(5)), read(rows.getString(6), new TypeReference<GatewaySelector>() { }),
        rows.getLong(7), rows.getTimestamp(8).toInstant(), rows.getString(9));
  }

  private static long nextRevision(Connection c) throws SQLException {
    try (ResultSet rows = c.createStatement().executeQuery("SELECT nextval('gantry_revision')")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void event(Connection c, String environment, String api, String kind, String digest, long revision)
      throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO gantry_event (environment, api, kind, bundle_digest, revision) VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, environment);
      insert.setString(2, api);
      insert.setString(3, kind);
      insert.setString(4, digest);
      insert.setLong(5, revision);
      insert.executeUpdate();
    }
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T transaction(String what, Work<T> work) throws RepositoryException {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (OwnerConflict e) {
      throw new PublishedElsewhereException(e.api);
    } catch (SQLException e) {
      throw new RepositoryException("cannot " + what + " (repository " + address + "): " + e.getMessage(), e);
    }
  }

  private static Map<String, String> encode(SortedMap<String, byte[]> files) {
    Map<String, String> encoded = new TreeMap<>();
    files.forEach((path, bytes) -> encoded.put(path, Base64.getEncoder().encodeToString(bytes)));
    return encoded;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON", e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) throws SQLException {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable JSON in the repository: " + e.getOriginalMessage(), "22000", e);
    }
  }
}
