package dev.gantry.toolkit.fleet;

/**
 * The API name is already published in this environment by another owner (an API resource of
 * another cluster or namespace). Nothing was changed; the message names both.
 */
public final class PublishedElsewhereException extends RepositoryException {
  private final PublishedApi existing;

  public PublishedElsewhereException(PublishedApi existing) {
    super("API " + existing.name() + " in environment " + existing.environment() + " is already published by "
        + existing.owner() + " (version " + existing.version() + "); rename this API or remove that one first", null);
    this.existing = existing;
  }

  public PublishedApi existing() {
    return existing;
  }
}
