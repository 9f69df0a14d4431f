package dev.gantry.toolkit.image.context;

import dev.gantry.toolkit.image.ImageBuilder;
import dev.gantry.toolkit.image.RegistryAccess;
import dev.gantry.toolkit.image.RegistryAccessException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Dockerfile path outside a cluster: the same context a Kaniko Job gets, built by
 * {@code buildah bud} and pushed by {@code buildah push}. Isolation and storage are buildah's own
 * settings ({@code BUILDAH_ISOLATION}, {@code CONTAINERS_CONF}, {@code CONTAINERS_STORAGE_CONF}),
 * so a machine's configuration is used as it is.
 */
public final class BuildahImageBuilder implements ImageBuilder {
  private static final long TIMEOUT_MINUTES = 20;
  private static final int TAIL_LINES = 15;

  private final List<Path> definitions;
  private final List<Path> resources;
  private final String toolkitImage;
  private final RegistryAccess access;
  private final Map<String, String> environment;

  /**
   * @param definitions  the API's definition files (they go into the context as they are)
   * @param resources    resource files or folders (Secret documents are left out of the context)
   * @param toolkitImage stage 1 of the Dockerfile: the image that runs {@code gantry build}
   */
  public BuildahImageBuilder(List<Path> definitions, List<Path> resources, String toolkitImage, RegistryAccess access) {
    this(definitions, resources, toolkitImage, access, Map.of());
  }

  /** @param environment added to buildah's environment, e.g. CONTAINERS_CONF for a project-local setup */
  public BuildahImageBuilder(List<Path> definitions, List<Path> resources, String toolkitImage, RegistryAccess access,
                             Map<String, String> environment) {
    this.definitions = List.copyOf(definitions);
    this.resources = List.copyOf(resources);
    this.toolkitImage = toolkitImage;
    this.access = access;
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Result build(Request request, Consumer<String> progress) throws RegistryAccessException, IOException {
    BuildContext context = BuildContext.fromFiles(definitions, resources, request.api(), request.version(),
        request.bundle().digest());
    Path dir = Files.createTempDirectory("gantry-context-");
    try {
      context.extractTo(dir);
      String target = request.target().toString();
      run(budCommand(context, request, target, dir), progress, "buildah bud");
      Path digestFile = dir.resolve(".pushed-digest");
      List<String> push = new ArrayList<>(List.of("buildah", "push", "--digestfile", digestFile.toString()));
      push.addAll(registryFlags());
      push.add(target);
      try {
        run(push, progress, "buildah push");
      } catch (IOException e) {
        throw new RegistryAccessException(request.target().registry(), "could not push " + target + ": "
            + e.getMessage(), e);
      }
      return new Result(request.target(), Files.readString(digestFile).trim());
    } finally {
      deleteTree(dir);
    }
  }

  List<String> budCommand(BuildContext context, Request request, String target, Path dir) {
    List<String> command = new ArrayList<>(List.of("buildah", "bud", "--layers=false", "--pull-always"));
    command.addAll(registryFlags());
    buildArgs(context, request).forEach((key, value) -> command.add("--build-arg=" + key + "=" + value));
    context.labels().forEach((key, value) -> command.add("--label=" + key + "=" + value));
    command.addAll(List.of("-t", target, dir.toString()));
    return command;
  }

  Map<String, String> buildArgs(BuildContext context, Request request) {
    Map<String, String> args = new java.util.LinkedHashMap<>(context.buildArgs());
    args.put("TOOLKIT_IMAGE", toolkitImage);
    args.put("RUNTIME_IMAGE", request.baseImage());
    return args;
  }

  private List<String> registryFlags() {
    List<String> flags = new ArrayList<>();
    if (access.insecure()) {
      flags.add("--tls-verify=false");
    }
    access.dockerConfig().ifPresent(config -> flags.add("--authfile=" + config));
    return flags;
  }

  /** Runs a buildah command, passing its output on; a failure carries its last lines. */
  private void run(List<String> command, Consumer<String> progress, String what) throws IOException {
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new IOException(what + ": cannot run buildah (is it installed? apt-get install buildah): "
          + e.getMessage(), e);
    }
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        progress.accept(line);
        tail.addLast(line);
        if (tail.size() > TAIL_LINES) {
          tail.removeFirst();
        }
      }
    }
    try {
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException(what + " did not finish within " + TIMEOUT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(what + " interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(what + " failed (exit " + process.exitValue() + "):\n  " + String.join("\n  ", tail));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
