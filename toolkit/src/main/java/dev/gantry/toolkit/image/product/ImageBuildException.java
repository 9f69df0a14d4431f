package dev.gantry.toolkit.image.product;

/** An image could not be built or pushed; the message names the image and the cause. */
public final class ImageBuildException extends Exception {
  public ImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
