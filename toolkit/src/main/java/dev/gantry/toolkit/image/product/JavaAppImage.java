package dev.gantry.toolkit.image.product;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.gantry.toolkit.image.ImageLayout;
import dev.gantry.toolkit.image.RegistryAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Java application image built with Jib core, without a Docker daemon: the base image (a
 * registry reference, or {@code tar://PATH} for a docker-archive such as the one
 * runtime-image/base/jre-base.sh writes), then one layer of library jars (with the launcher
 * script, which changes as rarely) and one with the application jar, so a code change re-pushes
 * only the small last layer. Two layers, not three: with the vfs storage driver of podman and
 * buildah every layer is a full copy of the JRE's file system, so each one costs seconds there.
 *
 * <p>Everything that reaches the image is fixed (sorted entries, fixed file times and modes,
 * creation time EPOCH), so the same jars give the same image digest on every machine.
 *
 * @param launcher name of a shell launcher written to /usr/local/bin (e.g. {@code gantry}), so a
 *     Dockerfile {@code RUN} step can call the application; the entrypoint itself needs no shell
 * @param jvmOptions options before {@code -cp}
 * @param defaultArgs the image's CMD: what runs when no arguments are given
 */
public record JavaAppImage(Path appJar, Path libDir, String mainClass, String launcher, List<String> jvmOptions,
                           List<String> defaultArgs, List<Integer> ports, Map<String, String> labels) {
  /** Files inside the image get this time, not the build machine's: reproducible layers. */
  static final Instant FILE_TIME = Instant.parse("2026-01-01T00:00:00Z");
  static final String APP_JAR = ImageLayout.APP_DIR + "/app.jar";
  static final String LIB_DIR = ImageLayout.APP_DIR + "/lib";
  static final String CLASS_PATH = APP_JAR + ":" + LIB_DIR + "/*";
  private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");
  private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");

  public JavaAppImage {
    jvmOptions = List.copyOf(jvmOptions);
    defaultArgs = List.copyOf(defaultArgs);
    ports = List.copyOf(ports);
    labels = new TreeMap<>(labels);
  }

  /** The full command: {@code java <opts> -cp app.jar:lib/* MAIN}; the JVM expands {@code lib/*} itself. */
  public List<String> entrypoint() {
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(CLASS_PATH);
    command.add(mainClass);
    return command;
  }

  /**
   * The Jib plan on top of {@code baseImage}, ready to containerize; also what tests inspect.
   * {@code workDir} receives the launcher script (Jib layers are made from files).
   */
  public JibContainerBuilder plan(String baseImage, RegistryAccess access, Path workDir)
      throws IOException, InvalidImageReferenceException {
    JibContainerBuilder builder = baseImage.startsWith(Jib.TAR_IMAGE_PREFIX)
        ? Jib.from(TarImage.at(tarPath(baseImage)))
        : Jib.from(access.registryImage(ImageReference.parse(baseImage)));
    return builder
        .setFileEntriesLayers(librariesLayer(workDir), applicationLayer())
        .setEntrypoint(entrypoint())
        .setProgramArguments(defaultArgs)
        .setExposedPorts(ports.stream().map(Port::tcp).collect(Collectors.toCollection(java.util.LinkedHashSet::new)))
        .setLabels(labels)
        .setUser(ImageLayout.USER)
        .setWorkingDirectory(AbsoluteUnixPath.get(ImageLayout.APP_DIR))
        .setCreationTime(Instant.EPOCH);
  }

  /**
   * Builds on {@code baseImage} and pushes to {@code target}, reaching both registries through
   * {@code access} (credentials, plain HTTP). Returns the pushed image's digest ({@code sha256:…}).
   */
  public String push(String baseImage, String target, RegistryAccess access, Path workDir) throws ImageBuildException {
    try {
      JibContainer container = plan(baseImage, access, workDir).containerize(
          access.containerizer(ImageReference.parse(target)));
      return container.getDigest().toString();
    } catch (InvalidImageReferenceException e) {
      throw new ImageBuildException("not an image reference: " + e.getMessage(), e);
    } catch (IOException | RegistryException | ExecutionException | CacheDirectoryCreationException e) {
      throw new ImageBuildException("cannot build " + target + " on " + baseImage + ": " + rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while building " + target, e);
    }
  }

  private FileEntriesLayer librariesLayer(Path workDir) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("libraries");
    for (Path jar : libraries()) {
      layer.addEntry(jar, AbsoluteUnixPath.get(LIB_DIR + "/" + jar.getFileName()), READABLE, FILE_TIME);
    }
    Path script = workDir.resolve(launcher);
    Files.createDirectories(workDir);
    Files.writeString(script, launcherScript(), StandardCharsets.UTF_8);
    layer.addEntry(script, AbsoluteUnixPath.get("/usr/local/bin/" + launcher), EXECUTABLE, FILE_TIME);
    return layer.build();
  }

  /** Library jars sorted by name, so the layer's bytes do not depend on the file system's order. */
  List<Path> libraries() throws IOException {
    if (!Files.isDirectory(libDir)) {
      throw new IOException(libDir + ": no such folder of library jars (build with ./mvnw package first)");
    }
    try (Stream<Path> files = Files.list(libDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    }
  }

  /** The entrypoint as a POSIX shell script; {@code JAVA_OPTS} replaces the default JVM options. */
  String launcherScript() {
    return "#!/bin/sh\n"
        + "# " + launcher + ": written by Gantry's image build (JavaAppImage)\n"
        + "exec java ${JAVA_OPTS:-" + String.join(" ", jvmOptions) + "} -cp '" + CLASS_PATH + "' "
        + mainClass + " \"$@\"\n";
  }

  private FileEntriesLayer applicationLayer() throws IOException {
    if (!Files.isRegularFile(appJar)) {
      throw new IOException(appJar + ": no such application jar (build with ./mvnw package first)");
    }
    return FileEntriesLayer.builder().setName("application")
        .addEntry(appJar, AbsoluteUnixPath.get(APP_JAR), READABLE, FILE_TIME).build();
  }

  static Path tarPath(String reference) {
    return Path.of(reference.substring(Jib.TAR_IMAGE_PREFIX.length()));
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
  }
}
