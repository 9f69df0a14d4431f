package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Desired state of a ManagementContext: the repository's JDBC URL, its credentials, the environment name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagementContextSpec {

  @Required
  @Pattern(Patterns.POSTGRESQL_JDBC_URL)
  @JsonPropertyDescription("JDBC URL of the central repository, e.g. jdbc:postgresql://repo.example.com:5432/gantry. "
      + "No credentials here: they come from secretRef.")
  private String jdbcUrl;

  @Required
  @JsonPropertyDescription("Secret in this namespace with the repository's user name and password.")
  private ContextSecretRef secretRef;

  @Required
  @Pattern(Patterns.DNS1123_LABEL)
  @JsonPropertyDescription("Environment of the repository (e.g. dev, qa, prod) that APIs are published to and "
      + "gateway fleets load from; a DNS label.")
  private String environment;

  public ManagementContextSpec() {
  }

  public ManagementContextSpec(String jdbcUrl, ContextSecretRef secretRef, String environment) {
    this.jdbcUrl = jdbcUrl;
    this.secretRef = secretRef;
    this.environment = environment;
  }

  public String getJdbcUrl() {
    return jdbcUrl;
  }

  public void setJdbcUrl(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  public ContextSecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(ContextSecretRef secretRef) {
    this.secretRef = secretRef;
  }

  public String getEnvironment() {
    return environment;
  }

  public void setEnvironment(String environment) {
    this.environment = environment;
  }
}
