package dev.gantry.operator.fleet;

import dev.gantry.toolkit.fleet.ManagementRepository;
import dev.gantry.toolkit.fleet.RepositoryAddress;
import dev.gantry.toolkit.fleet.RepositoryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Can the central repository be reached and logged in to, and is its schema in place. Behind an
 * interface so tests need no database.
 */
public interface RepositoryCheck {

  /** Empty when a connection opened and answered and the schema is current; else what went wrong. */
  Optional<String> problem(String jdbcUrl, String username, String password);

  /**
   * pgjdbc, with short timeouts: a reconcile thread waits at most about {@value #TIMEOUT_SECONDS} s
   * per phase. A context the operator can log in to also gets the schema (Flyway, once per
   * repository in this process): fleet gateways register themselves in it before any API is published.
   */
  static RepositoryCheck jdbc() {
    Set<RepositoryAddress> migrated = ConcurrentHashMap.newKeySet();
    return (url, username, password) -> {
      Properties properties = new Properties();
      properties.setProperty("user", username);
      properties.setProperty("password", password);
      properties.setProperty("loginTimeout", String.valueOf(TIMEOUT_SECONDS));
      properties.setProperty("connectTimeout", String.valueOf(TIMEOUT_SECONDS));
      properties.setProperty("socketTimeout", String.valueOf(TIMEOUT_SECONDS));
      properties.setProperty("ApplicationName", "gantry-operator");
      try (Connection connection = new org.postgresql.Driver().connect(url, properties)) {
        if (connection == null) {
          return Optional.of("not a PostgreSQL JDBC URL: " + url);
        }
        if (!connection.isValid(TIMEOUT_SECONDS)) {
          return Optional.of("the connection opened but did not answer within " + TIMEOUT_SECONDS + " s");
        }
      } catch (SQLException e) {
        return Optional.of(e.getMessage());
      }
      RepositoryAddress address = new RepositoryAddress(url, username, password);
      if (!migrated.contains(address)) {
        try {
          new ManagementRepository(address).migrate();
          migrated.add(address);
        } catch (RepositoryException e) {
          return Optional.of(e.getMessage());
        }
      }
      return Optional.empty();
    };
  }

  int TIMEOUT_SECONDS = 5;
}
