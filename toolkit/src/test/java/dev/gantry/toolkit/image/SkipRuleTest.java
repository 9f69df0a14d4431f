package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SkipRuleTest {
  private static final ImageName IMAGE = ImageName.of("127.0.0.1:5000", "petstore", "v1");
  private static final String OLD = "sha256:" + "a".repeat(64);
  private static final String NEW = "sha256:" + "b".repeat(64);
  private static final String MANIFEST = "sha256:" + "c".repeat(64);

  private static Registry.Present holding(String bundleDigest) {
    return new Registry.Present(MANIFEST, Map.of(ImageLayout.LABEL_BUNDLE_DIGEST, bundleDigest, ImageLayout.LABEL_API, "petstore"));
  }

  @Test
  void absentBuildsWithOrWithoutOverride() {
    assertThat(SkipRule.decide(IMAGE, new Registry.Absent(), NEW, false).action()).isEqualTo(SkipRule.Action.BUILD);
    assertThat(SkipRule.decide(IMAGE, new Registry.Absent(), NEW, true).action()).isEqualTo(SkipRule.Action.BUILD);
  }

  @Test
  void sameBundleSkipsEvenWithOverride() {
    SkipRule.Decision decision = SkipRule.decide(IMAGE, holding(NEW), NEW, false);
    assertThat(decision.action()).isEqualTo(SkipRule.Action.SKIP);
    assertThat(decision.message()).isEqualTo("127.0.0.1:5000/petstore:v1 already holds this bundle (" + NEW + "): nothing to build");
    // Override means "replace different content", not "rebuild identical content".
    assertThat(SkipRule.decide(IMAGE, holding(NEW), NEW, true).action()).isEqualTo(SkipRule.Action.SKIP);
  }

  @Test
  void differentBundleIsRefusedNamingBothDigests() {
    SkipRule.Decision decision = SkipRule.decide(IMAGE, holding(OLD), NEW, false);
    assertThat(decision.action()).isEqualTo(SkipRule.Action.REFUSE);
    assertThat(decision.message()).isEqualTo("127.0.0.1:5000/petstore:v1 already holds different content (bundle "
        + OLD + ", new " + NEW + "): bump the version or set override");
  }

  @Test
  void differentBundleWithOverrideRebuilds() {
    SkipRule.Decision decision = SkipRule.decide(IMAGE, holding(OLD), NEW, true);
    assertThat(decision.action()).isEqualTo(SkipRule.Action.OVERRIDE);
    assertThat(decision.message()).contains("rebuilding it because override is set");
  }

  @Test
  void imageWithoutOurLabelCountsAsDifferentContent() {
    Registry.Present foreign = new Registry.Present(MANIFEST, Map.of("maintainer", "someone"));
    SkipRule.Decision refused = SkipRule.decide(IMAGE, foreign, NEW, false);
    assertThat(refused.action()).isEqualTo(SkipRule.Action.REFUSE);
    assertThat(refused.message()).isEqualTo("127.0.0.1:5000/petstore:v1 already holds an image without a "
        + "dev.gantry.bundle-digest label: bump the version or set override");
    assertThat(SkipRule.decide(IMAGE, foreign, NEW, true).action()).isEqualTo(SkipRule.Action.OVERRIDE);
  }
}
