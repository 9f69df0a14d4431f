package dev.gantry.operator.fleet;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/** Can the central repository be reached and logged in to. Behind an interface so tests need no database. */
public interface RepositoryCheck {

  /** Empty when a connection opened and answered; else the driver's message. */
  Optional<String> problem(String jdbcUrl, String username, String password);

  /** pgjdbc, with short timeouts: a reconcile thread waits at most about {@value #TIMEOUT_SECONDS} s per phase. */
  static RepositoryCheck jdbc() {
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
        return connection.isValid(TIMEOUT_SECONDS) ? Optional.empty()
            : Optional.of("the connection opened but did not answer within " + TIMEOUT_SECONDS + " s");
      } catch (SQLException e) {
        return Optional.of(e.getMessage());
      }
    };
  }

  int TIMEOUT_SECONDS = 5;
}
