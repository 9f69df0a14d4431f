package dev.gantry.runtime.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The gateway's side of the central repository: which APIs this fleet should serve, their bundles,
 * and its own registration. Plain SQL against the schema the toolkit migrates (toolkit's
 * {@code ManagementRepository}); selection is the schema's {@code gantry_selects} function.
 */
final class FleetRepository {
  /** The NOTIFY channel the repository signals changes on (payload: the environment). */
  static final String CHANNEL = "gantry_api";

  private FleetRepository() {}

  /** A published, started API selected for this fleet, at a revision. */
  record Wanted(String name, long revision, String bundleDigest) {}

  /** A wanted API's bytes: bundle files and this environment's settings. */
  record Release(Wanted api, SortedMap<String, byte[]> files, byte[] environmentYaml) {}

  static List<Wanted> wanted(Connection c, String environment, Map<String, String> labels) throws SQLException {
    List<Wanted> wanted = new ArrayList<>();
    try (PreparedStatement query = c.prepareStatement("SELECT name, revision, bundle_digest FROM gantry_api "
        + "WHERE environment = ? AND state = 'STARTED' AND gantry_selects(gateways, ?::jsonb) ORDER BY name")) {
      query.setString(1, environment);
      query.setString(2, new JsonObject(new TreeMap<String, Object>(labels)).encode());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          wanted.add(new Wanted(rows.getString(1), rows.getLong(2), rows.getString(3)));
        }
      }
    }
    return wanted;
  }

  /** The current release of an API; its revision may be newer than asked (it then wins). */
  static Release release(Connection c, String environment, String name) throws SQLException {
    try (PreparedStatement query = c.prepareStatement("SELECT a.revision, a.bundle_digest, b.files, a.environment_yaml "
        + "FROM gantry_api a JOIN gantry_bundle b USING (bundle_digest) WHERE a.environment = ? AND a.name = ?")) {
      query.setString(1, environment);
      query.setString(2, name);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("API " + name + " is no longer published in environment " + environment, "02000");
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        new JsonObject(rows.getString(3)).forEach(file ->
            files.put(file.getKey(), Base64.getDecoder().decode((String) file.getValue())));
        return new Release(new Wanted(name, rows.getLong(1), rows.getString(2)), files,
            rows.getString(4).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** Registers this gateway or renews its registration: heartbeat now, and the APIs it serves. */
  static void register(Connection c, FleetIdentity me, Map<String, String> loaded, Instant started) throws SQLException {
    JsonArray endpoints = new JsonArray();
    me.endpoints().forEach((name, uri) -> endpoints.add(new JsonObject().put("name", name).put("uri", uri)));
    try (PreparedStatement upsert = c.prepareStatement("""
        INSERT INTO gantry_gateway (instance, environment, fleet, cluster, zone, labels, endpoints, runtime_version,
          loaded, started_at, heartbeat_at)
        VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?, now())
        ON CONFLICT (instance) DO UPDATE SET environment = EXCLUDED.environment, fleet = EXCLUDED.fleet,
          cluster = EXCLUDED.cluster, zone = EXCLUDED.zone, labels = EXCLUDED.labels, endpoints = EXCLUDED.endpoints,
          runtime_version = EXCLUDED.runtime_version, loaded = EXCLUDED.loaded, started_at = EXCLUDED.started_at,
          heartbeat_at = now()
        """)) {
      upsert.setString(1, me.instance());
      upsert.setString(2, me.environment());
      upsert.setString(3, me.fleet());
      upsert.setString(4, me.cluster());
      upsert.setString(5, me.zone());
      upsert.setString(6, new JsonObject(new TreeMap<String, Object>(me.labels())).encode());
      upsert.setString(7, endpoints.encode());
      upsert.setString(8, me.runtimeVersion());
      upsert.setString(9, new JsonObject(new TreeMap<String, Object>(loaded)).encode());
      upsert.setTimestamp(10, Timestamp.from(started));
      upsert.executeUpdate();
    }
  }
}
