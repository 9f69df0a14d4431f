package dev.gantry.toolkit.image;

/** A registry, API name or version that no image name can be made of; the message names the value and the rule. */
public final class ImageNameException extends IllegalArgumentException {
  public ImageNameException(String message) {
    super(message);
  }
}
