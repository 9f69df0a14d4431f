package dev.gantry.operator.api;

/** Step 4's answer: an image to deploy, a build still running, or why there is no image. */
sealed interface ImageOutcome {
  /** Deploy {@code image} (pinned by digest, or a prebuilt image as the user gave it). */
  record Ready(String image, String reason, String message) implements ImageOutcome {}

  /** A build is running (a Kaniko Job); its Job's events will reconcile again. */
  record Pending(String message) implements ImageOutcome {}

  /** No image; nothing is deployed or changed. {@code retry} asks for a reconcile later (transient causes). */
  record Failed(String reason, String message, boolean retry) implements ImageOutcome {}

  /** Condition reasons of the Built condition, CamelCase as Kubernetes has them. */
  final class Reasons {
    static final String BUILT = "Built";
    static final String SKIPPED = "AlreadyBuilt";
    static final String PREBUILT = "Prebuilt";
    static final String BUILDING = "Building";
    static final String REFUSED = "TagHoldsDifferentContent";
    static final String REGISTRY_ERROR = "RegistryError";
    static final String BUILD_FAILED = "BuildFailed";
    static final String INVALID_SETTINGS = "InvalidSettings";
    static final String KANIKO_UNAVAILABLE = "KanikoUnavailable";

    private Reasons() {}
  }
}
