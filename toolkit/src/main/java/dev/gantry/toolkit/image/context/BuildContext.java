package dev.gantry.toolkit.image.context;

import dev.gantry.toolkit.image.ImageLayout;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build context of the Dockerfile path (a Kaniko Job, or buildah): a pure function of the
 * API's files to deterministic {@code context.tar.gz} bytes holding {@code Dockerfile} (the one in
 * dockerfiles/), {@code definitions/<file name>} and {@code resources/NN-<name>.yaml} with every
 * Secret removed, plus the build args and labels to pass with it.
 *
 * <p>Definitions keep their file names because the bundle names them, and the digest must come
 * out the same as where the operator computed it. Resources are numbered in input order, so two
 * files of one name from different folders cannot collide.
 *
 * @param tarGz the context
 * @param entries every path in the context, folders ending in '/', in archive order
 * @param buildArgs API, VERSION, DEFINITIONS, BUNDLE_DIGEST (add TOOLKIT_IMAGE, RUNTIME_IMAGE)
 * @param secretsRemoved how many Secret documents were left out
 */
public record BuildContext(byte[] tarGz, List<String> entries, Map<String, String> buildArgs, int secretsRemoved) {
  /** Where the Dockerfile sits on the class path (copied there from dockerfiles/ by the toolkit build). */
  public static final String DOCKERFILE_RESOURCE = "/dev/gantry/toolkit/image/context/Dockerfile";
  /** ConfigMap key a context is stored under for a Kaniko Job. */
  public static final String CONFIGMAP_KEY = "context.tar.gz";
  /** The API server refuses a ConfigMap whose data and binaryData together exceed 1 MiB. */
  public static final int CONFIGMAP_MAX_BYTES = 1024 * 1024;
  /** Safe as a file name and inside the Dockerfile's unquoted DEFINITIONS list. */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** A file's name (base name only is used) and bytes, from disk or a ConfigMap key. */
  public record Source(String name, byte[] content) {}

  public BuildContext {
    entries = List.copyOf(entries);
    buildArgs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
  }

  /**
   * Builds the context. Throws {@link IllegalArgumentException}, naming the file, for a
   * definition name that is unsafe or given twice, and for a resource file that is not YAML
   * (it could not be checked for Secrets).
   */
  public static BuildContext create(List<Source> definitions, List<Source> resources, String api, String version,
                                    String bundleDigest) {
    if (definitions.isEmpty()) {
      throw new IllegalArgumentException("a build context needs at least one definition file");
    }
    SortedMap<String, byte[]> files = new TreeMap<>();
    files.put("Dockerfile", dockerfile());
    Set<String> definitionNames = new LinkedHashSet<>();
    for (Source definition : definitions) {
      String name = baseName(definition.name());
      if (!FILE_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(definition.name() + ": a definition file name may hold only letters, "
            + "digits, '.', '_' and '-' (at most 100) to go into a build context");
      }
      if (!definitionNames.add(name)) {
        throw new IllegalArgumentException(definition.name() + ": two definitions named " + name);
      }
      files.put("definitions/" + name, definition.content());
    }
    int removed = 0;
    int index = 0;
    for (Source resource : resources) {
      SecretFreeResources.Result clean = SecretFreeResources.rewrite(resource.name(), resource.content());
      removed += clean.secretsRemoved();
      index++;
      if (clean.yaml().length > 0) {
        files.put(String.format("resources/%02d-%s.yaml", index, stem(resource.name())), clean.yaml());
      }
    }
    // resources/ must exist even when empty: the Dockerfile COPYs it.
    files.put("resources/.keep", new byte[0]);
    Map<String, String> args = new LinkedHashMap<>();
    args.put("API", api);
    args.put("VERSION", version);
    args.put("DEFINITIONS", String.join(" ", definitionNames));
    args.put("BUNDLE_DIGEST", bundleDigest);
    return new BuildContext(DeterministicTar.write(files), DeterministicTar.entryNames(files), args, removed);
  }

  /** As {@link #create}, reading files, and folders of *.yaml, *.yml and *.json as the resolver does. */
  public static BuildContext fromFiles(List<Path> definitions, List<Path> resources, String api, String version,
                                       String bundleDigest) throws IOException {
    List<Source> definitionSources = new ArrayList<>();
    for (Path file : definitions) {
      definitionSources.add(new Source(file.getFileName().toString(), Files.readAllBytes(file)));
    }
    List<Source> resourceSources = new ArrayList<>();
    for (Path path : resources) {
      for (Path file : resourceFiles(path)) {
        resourceSources.add(new Source(file.toString(), Files.readAllBytes(file)));
      }
    }
    return create(definitionSources, resourceSources, api, version, bundleDigest);
  }

  /**
   * The context of an API resolved elsewhere (the operator, from a cluster): its definitions as
   * they are, and the Endpoint, RateLimit and Security resources it uses written back as YAML.
   * Stage 1 of the Dockerfile compiles them to the same bundle, which BUNDLE_DIGEST then checks.
   */
  public static BuildContext fromResolved(ResolvedApi api, String bundleDigest) {
    List<Source> definitions = api.definitions().stream()
        .map(file -> new Source(file.baseName(), file.text().getBytes(StandardCharsets.UTF_8))).toList();
    return create(definitions, List.of(new Source("resolved-resources.yaml", ResolvedResources.yaml(api))),
        api.identity().name(), api.identity().version(), bundleDigest);
  }

  /** The labels every per-API image carries, whichever builder made it (pass them to Kaniko as --label). */
  public Map<String, String> labels() {
    return Map.of(ImageLayout.LABEL_BUNDLE_DIGEST, buildArgs.get("BUNDLE_DIGEST"),
        ImageLayout.LABEL_API, buildArgs.get("API"), ImageLayout.LABEL_VERSION, buildArgs.get("VERSION"));
  }

  /** Empty when the context fits a ConfigMap; otherwise why not, with the sizes. */
  public Optional<String> configMapProblem() {
    int size = tarGz.length + CONFIGMAP_KEY.length();
    if (size <= CONFIGMAP_MAX_BYTES) {
      return Optional.empty();
    }
    return Optional.of(String.format("the build context of %s %s is %,d bytes compressed, more than a ConfigMap holds "
        + "(%,d bytes); shrink the definitions or resources, or use the Jib builder", buildArgs.get("API"),
        buildArgs.get("VERSION"), tarGz.length, CONFIGMAP_MAX_BYTES));
  }

  /** Writes the context as a folder (what buildah and Kaniko read when not given the tar.gz itself). */
  public void extractTo(Path dir) throws IOException {
    ContextArchive.extract(tarGz, dir);
  }

  static byte[] dockerfile() {
    try (InputStream in = BuildContext.class.getResourceAsStream(DOCKERFILE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DOCKERFILE_RESOURCE + " is missing from the class path: the toolkit build "
            + "copies it from dockerfiles/Dockerfile");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> resourceFiles(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches("(?i).*\\.(ya?ml|json)"))
          .sorted().toList();
    }
  }

  private static String baseName(String name) {
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return name.substring(slash + 1);
  }

  private static String stem(String name) {
    String base = baseName(name);
    int dot = base.lastIndexOf('.');
    String stem = dot > 0 ? base.substring(0, dot) : base;
    String safe = stem.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() ? "resources" : safe.length() > 60 ? safe.substring(0, 60) : safe;
  }
}
