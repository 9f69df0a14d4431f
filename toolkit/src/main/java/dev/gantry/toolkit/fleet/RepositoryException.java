package dev.gantry.toolkit.fleet;

/** The central repository could not be reached or refused an operation; the message names it and what was asked. */
public class RepositoryException extends Exception {
  public RepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
