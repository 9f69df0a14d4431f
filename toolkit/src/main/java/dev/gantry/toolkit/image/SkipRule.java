package dev.gantry.toolkit.image;

/**
 * Step 5's decision, as a pure function of what the registry holds, the new bundle's digest and
 * the user's {@code override}. The image tag is the API version, so a tag holding other content is
 * refused unless overridden: silently replacing it would change what every cluster pinned to
 * "that version" runs.
 */
public final class SkipRule {
  private SkipRule() {}

  public enum Action {
    /** No image with that tag yet. */
    BUILD,
    /** The tag already holds an image of exactly this bundle. */
    SKIP,
    /** The tag holds other content and no override was given. */
    REFUSE,
    /** The tag holds other content and the user asked to replace it. */
    OVERRIDE
  }

  /** What to do, and a sentence saying why (for the CLI, status conditions and events). */
  public record Decision(Action action, String message) {}

  public static Decision decide(ImageName image, Registry.Lookup lookup, String bundleDigest, boolean override) {
    if (lookup instanceof Registry.Absent) {
      return new Decision(Action.BUILD, image + " does not exist yet: building it");
    }
    Registry.Present present = (Registry.Present) lookup;
    String existing = present.labels().get(ImageLayout.LABEL_BUNDLE_DIGEST);
    if (bundleDigest.equals(existing)) {
      return new Decision(Action.SKIP, image + " already holds this bundle (" + bundleDigest + "): nothing to build");
    }
    String held = existing == null ? "an image without a " + ImageLayout.LABEL_BUNDLE_DIGEST + " label"
        : "different content (bundle " + existing + ", new " + bundleDigest + ")";
    if (override) {
      return new Decision(Action.OVERRIDE, image + " holds " + held + ": rebuilding it because override is set");
    }
    return new Decision(Action.REFUSE, image + " already holds " + held + ": bump the version or set override");
  }
}
