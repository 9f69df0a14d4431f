package dev.gantry.toolkit.image;

/**
 * The registry could not be asked or refused us: connection refused, timeout, TLS failure, 401/403,
 * 5xx, an answer we cannot read. It is never taken to mean "the image is absent": building over an
 * image we could not see is how the tags of other builds get overwritten.
 */
public final class RegistryAccessException extends Exception {
  private final String registry;

  public RegistryAccessException(String registry, String message, Throwable cause) {
    super(message, cause);
    this.registry = registry;
  }

  /** The registry host (and port) that failed. */
  public String registry() {
    return registry;
  }
}
