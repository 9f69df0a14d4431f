package dev.gantry.toolkit.image.testing;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.gantry.toolkit.testing.TempFolders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Tiny images for tests, made with Jib from scratch (no JRE image, no daemon), reproducible. */
public final class TestImages {
  /** Entrypoint of the stand-in runtime image; per-API images must inherit it. */
  public static final String ENTRYPOINT = "/gantry/app/run";

  private TestImages() {}

  /**
   * Pushes a stand-in runtime image (one small file, an entrypoint) to {@code registry} as
   * {@code repository:tag}; returns its reference ({@code host/repository:tag}).
   */
  public static String pushRuntimeStandIn(LocalRegistry registry, String repository, String tag) throws Exception {
    return pushRuntimeStandIn(registry, repository, tag, null, null);
  }

  /** The same, into a registry that wants {@code user}/{@code password}. */
  public static String pushRuntimeStandIn(LocalRegistry registry, String repository, String tag, String user,
                                          String password) throws Exception {
    Path dir = Files.createTempDirectory("gantry-base-");
    try {
      Path file = Files.writeString(dir.resolve("run"), "#!/bin/sh\necho stand-in runtime\n", StandardCharsets.UTF_8);
      String reference = registry.host() + "/" + repository + ":" + tag;
      System.setProperty("sendCredentialsOverHttp", "true"); // Jib 0.28's name for it
      Jib.fromScratch()
          .addFileEntriesLayer(FileEntriesLayer.builder()
              .addEntry(file, AbsoluteUnixPath.get(ENTRYPOINT),
                  com.google.cloud.tools.jib.api.buildplan.FilePermissions.fromOctalString("755"), Instant.ofEpochSecond(1))
              .build())
          .setEntrypoint(ENTRYPOINT, "/gantry/bundle")
          .setCreationTime(Instant.EPOCH)
          .containerize(Containerizer.to(user == null ? RegistryImage.named(reference)
                  : RegistryImage.named(reference).addCredential(user, password)).setAllowInsecureRegistries(true)
              .setApplicationLayersCache(dir.resolve("cache")).setToolName("gantry-test"));
      return reference;
    } finally { // the layer cache is only this push's
      TempFolders.deleteQuietly(dir);
    }
  }
}
