package dev.gantry.runtime.security;

import dev.gantry.runtime.config.SecurityConfig;
import java.nio.file.Path;

/**
 * A security scheme cannot be enforced as configured (missing, unreadable, empty or malformed
 * file, invalid setting). Thrown at start so that a gateway never runs open by accident.
 */
public final class SecurityConfigException extends IllegalArgumentException {

  public SecurityConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  static SecurityConfigException of(SecurityConfig scheme, String problem) {
    return new SecurityConfigException(prefix(scheme) + problem, null);
  }

  static SecurityConfigException of(SecurityConfig scheme, Path file, String problem, Throwable cause) {
    return new SecurityConfigException(prefix(scheme) + "file " + file + ": " + problem, cause);
  }

  private static String prefix(SecurityConfig scheme) {
    return "security scheme '" + scheme.name() + "' (" + scheme.type() + "): ";
  }
}
