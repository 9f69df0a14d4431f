package dev.gantry.toolkit.fleet;

import java.util.Map;

/**
 * Where the central repository is: a PostgreSQL JDBC URL and its credentials. Credentials come from
 * the environment ({@value #USER_VARIABLE}, {@value #PASSWORD_VARIABLE}) in pods and CI, so they are
 * never on a command line.
 */
public record RepositoryAddress(String jdbcUrl, String user, String password) {
  public static final String USER_VARIABLE = "GANTRY_REPOSITORY_USER";
  public static final String PASSWORD_VARIABLE = "GANTRY_REPOSITORY_PASSWORD";

  public RepositoryAddress {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("repository URL '" + jdbcUrl
          + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://HOST[:PORT]/DATABASE)");
    }
  }

  public static RepositoryAddress of(String jdbcUrl, Map<String, String> env) {
    return new RepositoryAddress(jdbcUrl, env.get(USER_VARIABLE), env.get(PASSWORD_VARIABLE));
  }

  @Override
  public String toString() {
    return jdbcUrl + (user == null ? "" : " as " + user); // never the password
  }
}
