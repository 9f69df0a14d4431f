package dev.gantry.toolkit.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import dev.gantry.toolkit.bundle.Bundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@link ImageBuilder} with Jib in-process: the runtime image plus one layer holding the bundle at
 * {@link ImageLayout#BUNDLE_DIR}, and the three Gantry labels, in OCI format with the labels also
 * mirrored on the manifest ({@link ManifestLabels}). Everything that could vary between
 * two builds of the same bundle is fixed (file times, permissions, creation time, layer order), so
 * the same bundle on the same base gives the same manifest digest. The base image's entrypoint,
 * user, ports and environment are inherited: the runtime image already starts on the bundle folder.
 */
public final class JibImageBuilder implements ImageBuilder {
  /** File time in the bundle layer: Jib's own default, stated so that no future default can move it. */
  static final Instant FILE_TIME = Instant.ofEpochSecond(1);
  static final FilePermissions FILE_MODE = FilePermissions.fromOctalString("644");

  private final RegistryAccess access;
  private final Path baseLayersCache;

  /**
   * @param baseLayersCache where Jib caches base image layers between builds, or null for Jib's
   *     default ({@code ~/.cache/google-cloud-tools-java/jib})
   */
  public JibImageBuilder(RegistryAccess access, Path baseLayersCache) {
    this.access = access;
    this.baseLayersCache = baseLayersCache;
  }

  @Override
  public Result build(Request request, Consumer<String> progress) throws RegistryAccessException, IOException {
    Path staging = Files.createTempDirectory("gantry-bundle-");
    try {
      // In this order, always (Map.of's order changes from one JVM to the next; the config's bytes must not).
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(ImageLayout.LABEL_BUNDLE_DIGEST, request.bundle().digest());
      labels.put(ImageLayout.LABEL_API, request.api());
      labels.put(ImageLayout.LABEL_VERSION, request.version());
      JibContainerBuilder builder = base(request.baseImage())
          .addFileEntriesLayer(bundleLayer(request.bundle(), staging));
      labels.forEach(builder::addLabel);
      builder
          .setCreationTime(Instant.EPOCH)
          .setFormat(ImageFormat.OCI); // OCI descriptors carry annotations: see ManifestLabels
      Containerizer containerizer = access.containerizer(request.target().reference());
      if (baseLayersCache != null) {
        containerizer.setBaseImageLayersCache(baseLayersCache);
      }
      containerizer.setApplicationLayersCache(staging.resolve(".jib-cache"));
      progressTo(containerizer, progress, access.insecure());
      JibContainer container = builder.containerize(containerizer);
      return new Result(request.target(), JibRegistry.putWithMirroredLabels(access, request.target().reference(),
          container.getDigest(), labels));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building " + request.target(), e);
    } catch (CacheDirectoryCreationException e) {
      throw new IOException("cannot create Jib's cache folder: " + e.getMessage(), e);
    } catch (RegistryException | ExecutionException | IOException e) {
      throw registryFailure(request, e);
    } finally {
      deleteTree(staging);
    }
  }

  /** The base: a registry image with our credentials, or Jib's {@code tar://} / {@code docker://} forms as given. */
  private JibContainerBuilder base(String baseImage) throws RegistryAccessException {
    try {
      if (baseImage.startsWith(Jib.TAR_IMAGE_PREFIX) || baseImage.startsWith(Jib.DOCKER_DAEMON_IMAGE_PREFIX)) {
        return Jib.from(baseImage);
      }
      String reference = baseImage.startsWith(Jib.REGISTRY_IMAGE_PREFIX)
          ? baseImage.substring(Jib.REGISTRY_IMAGE_PREFIX.length()) : baseImage;
      return Jib.from(access.registryImage(ImageReference.parse(reference)));
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("runtime image \"" + baseImage + "\" is not an image reference", e);
    }
  }

  /** Bundle files only (never environment.yaml or secrets, which a Bundle cannot hold), 644, fixed time. */
  static FileEntriesLayer bundleLayer(Bundle bundle, Path staging) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("gantry-bundle");
    Path root = staging.resolve("bundle");
    for (var file : bundle.files().entrySet()) {
      Path source = root.resolve(file.getKey()).normalize();
      if (!source.startsWith(root)) {
        throw new IOException("bundle path escapes the bundle folder: " + file.getKey());
      }
      Files.createDirectories(source.getParent());
      Files.write(source, file.getValue());
      layer.addEntry(source, AbsoluteUnixPath.get(ImageLayout.BUNDLE_DIR + "/" + file.getKey()), FILE_MODE, FILE_TIME);
    }
    return layer.build();
  }

  /** Jib's lifecycle messages and overall progress in 10% steps, so a slow push shows it is alive. */
  private static void progressTo(Containerizer containerizer, Consumer<String> progress, boolean insecure) {
    AtomicInteger lastTenth = new AtomicInteger(-1);
    containerizer.addEventHandler(LogEvent.class, event -> {
      // With --insecure, Jib's "HTTPS failed, trying HTTP" warnings are the expected path, not news.
      boolean expectedFallback = insecure && event.getMessage().contains("Attempting again with");
      if (!expectedFallback && (event.getLevel() == LogEvent.Level.LIFECYCLE || event.getLevel() == LogEvent.Level.WARN
          || event.getLevel() == LogEvent.Level.ERROR)) {
        progress.accept(event.getMessage());
      }
    });
    containerizer.addEventHandler(ProgressEvent.class, new ProgressEventHandler(update -> {
      int tenth = (int) Math.floor(update.getProgress() * 10);
      if (lastTenth.getAndAccumulate(tenth, Math::max) < tenth) {
        progress.accept("progress " + tenth * 10 + "%");
      }
    }));
  }

  private RegistryAccessException registryFailure(Request request, Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    String registries = request.target().registry();
    if (cause instanceof RegistryUnauthorizedException unauthorized) {
      return new RegistryAccessException(registries, "registry refused access to " + unauthorized.getImageReference()
          + " while building " + request.target() + access.dockerConfig().map(p -> " (credentials from " + p + ")")
          .orElse(" (no docker config with credentials found)"), e);
    }
    if (JibRegistry.isManifestUnknown(cause)) {
      return new RegistryAccessException(registries, "runtime image " + request.baseImage()
          + " not found in its registry: push it first or correct the runtime image reference", e);
    }
    return new RegistryAccessException(registries, "building " + request.target() + " on " + request.baseImage()
        + " failed: " + JibRegistry.describe(cause), e);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temp folder left behind is not worth failing a pushed build for.
    }
  }
}
