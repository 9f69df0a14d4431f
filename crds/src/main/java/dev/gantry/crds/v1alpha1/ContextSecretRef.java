package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The Secret (in the ManagementContext's namespace) holding the central repository's user name and password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContextSecretRef {
  public static final String DEFAULT_USERNAME_KEY = "username";
  public static final String DEFAULT_PASSWORD_KEY = "password";

  @Required
  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  @Size(max = 253)
  @JsonPropertyDescription("Name of a Secret in the same namespace as the ManagementContext.")
  private String name;

  @Default(DEFAULT_USERNAME_KEY)
  @JsonPropertyDescription("Key of the Secret holding the database user name. Defaults to username.")
  private String usernameKey;

  @Default(DEFAULT_PASSWORD_KEY)
  @JsonPropertyDescription("Key of the Secret holding the database password. Defaults to password.")
  private String passwordKey;

  public ContextSecretRef() {
  }

  public ContextSecretRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUsernameKey() {
    return usernameKey;
  }

  public void setUsernameKey(String usernameKey) {
    this.usernameKey = usernameKey;
  }

  public String getPasswordKey() {
    return passwordKey;
  }

  public void setPasswordKey(String passwordKey) {
    this.passwordKey = passwordKey;
  }

  /** The user name key, with the schema's default applied (the default is not set on objects built in Java). */
  public String usernameKeyOrDefault() {
    return usernameKey == null || usernameKey.isBlank() ? DEFAULT_USERNAME_KEY : usernameKey;
  }

  /** The password key, with the schema's default applied. */
  public String passwordKeyOrDefault() {
    return passwordKey == null || passwordKey.isBlank() ? DEFAULT_PASSWORD_KEY : passwordKey;
  }
}
