package dev.gantry.toolkit.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.bundle.EnvironmentCompiler;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.problem.Problems;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Robustness against hostile or broken input: randomly corrupted variants of the petstore samples
 * (OpenAPI 3.0, Swagger 2.0 and the resource YAML) go through the resolver and, when they resolve,
 * through both compilers. None may end in an exception or a hang; each must either resolve into a
 * bundle with a well-formed digest or be rejected with at least one error, every problem carrying a
 * message.
 *
 * <p>Deterministic: variant {@code i} is generated from {@code new Random(SEED + i)} alone. A failure
 * names the variant, the seed and the mutation, and its inputs are written to
 * {@code target/corrupted-input/variant-<i>/}. Re-run one variant with
 * {@code -Dcorrupted.variant=<i>}.
 */
class CorruptedInputTest {
  private static final long SEED = 20261123L;
  private static final int VARIANTS = 1200;
  private static final Duration PER_VARIANT = Duration.ofSeconds(5);
  private static final int MAX_REPORTED_FAILURES = Integer.getInteger("corrupted.maxFailures", 20);
  private static final Path SAMPLES = Path.of("../samples/petstore");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Path FAILED_INPUTS = Path.of("target", "corrupted-input");

  private static final String OPENAPI_3 = "petstore.yaml";
  private static final String SWAGGER_2 = "petstore-swagger2.yaml";


  private static String openApi3;
  private static String swagger2;
  private static Map<String, String> resources;

  private ExecutorService worker = newWorker();

  /** What one variant feeds the pipeline, and how it was made. */
  record Variant(int index, long seed, String kind, String target, String mutation, DefinitionFile definition,
                 Map<String, String> resources, Cli cli) {
    String describe() {
      return "variant " + index + " (seed " + SEED + " + " + index + " = " + seed + ", mutation " + mutation
          + ", target " + target + (cli == Cli.NONE ? "" : ", also via LocalInputs " + cli) + ")";
    }
  }

  /** Whether a variant also goes through {@link LocalInputs}, and with which resources. */
  enum Cli { NONE, WITH_RESOURCES, DEFINITION_ONLY }

  /** The end of a variant that went through without breaking anything. */
  enum Outcome { RESOLVED, REJECTED }

  @BeforeAll
  static void readSamples() throws IOException {
    openApi3 = Files.readString(SAMPLES.resolve(OPENAPI_3));
    swagger2 = Files.readString(SAMPLES.resolve(SWAGGER_2));
    resources = new TreeMap<>();
    try (var files = Files.list(SAMPLES.resolve("resources"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        resources.put("resources/" + file.getFileName(), Files.readString(file));
      }
    }
    assertThat(resources).hasSize(5);
  }

  @Test
  void unchangedSamplesResolveAndCompile() throws Exception {
    for (String name : List.of(OPENAPI_3, SWAGGER_2)) {
      Variant v = new Variant(-1, SEED, "none", name, "none",
          DefinitionFile.of(name, name.equals(OPENAPI_3) ? openApi3 : swagger2), resources, Cli.WITH_RESOURCES);
      assertThat(run(v)).as(v.describe()).isEqualTo(Outcome.RESOLVED);
    }
  }

  @Test
  void corruptedSamplesNeverCrashOrHang() throws Exception {
    String only = System.getProperty("corrupted.variant");
    deleteTree(FAILED_INPUTS);
    long started = System.nanoTime();
    List<String> failures = new ArrayList<>();
    Map<String, int[]> perKind = new TreeMap<>(); // kind -> {resolved, rejected}
    int executed = 0;
    long slowestMillis = -1;
    String slowest = "";
    int resolved = 0;
    int rejected = 0;
    for (int i = 0; i < VARIANTS && failures.size() < MAX_REPORTED_FAILURES; i++) {
      if (only != null && Integer.parseInt(only.trim()) != i) {
        continue;
      }
      Variant v = generate(i);
      executed++;
      long variantStart = System.nanoTime();
      Ran ran = runGuarded(v);
      long variantMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - variantStart);
      if (variantMillis > slowestMillis) {
        slowestMillis = variantMillis;
        slowest = v.describe();
      }
      if (ran.failure() != null) {
        failures.add(ran.failure());
        save(v);
        continue;
      }
      int[] counts = perKind.computeIfAbsent(v.kind(), k -> new int[2]);
      if (ran.outcome() == Outcome.RESOLVED) {
        resolved++;
        counts[0]++;
      } else {
        rejected++;
        counts[1]++;
      }
    }
    worker.shutdownNow();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf("CorruptedInputTest: %d variants in %d ms (seed %d): %d resolved, %d rejected%n",
        executed, millis, SEED, resolved, rejected);
    perKind.forEach((kind, c) -> System.out.printf("  %-17s resolved %4d  rejected %4d%n", kind, c[0], c[1]));
    System.out.printf("  slowest: %d ms, %s%n", slowestMillis, slowest);

    assertThat(failures).as("variants that crashed, hung or broke an invariant (seed %d, inputs under "
        + "target/corrupted-input/)", SEED).isEmpty();
    if (only != null) {
      return;
    }
    assertThat(executed).isEqualTo(VARIANTS).isGreaterThanOrEqualTo(1000);
    assertThat(resolved + rejected).isEqualTo(executed);
    assertThat(rejected).as("variants rejected with errors: the mutations must really break inputs")
        .isGreaterThanOrEqualTo(VARIANTS / 3);
    assertThat(resolved).as("variants that still resolved (comments, irrelevant fields)")
        .isGreaterThanOrEqualTo(20);
    for (String kind : Mutator.KINDS) {
      int[] c = perKind.getOrDefault(kind, new int[2]);
      assertThat(c[0] + c[1]).as("variants of mutation kind %s", kind).isGreaterThanOrEqualTo(VARIANTS / Mutator.KINDS.size());
    }
  }

  // ---------------------------------------------------------------- running

  /** How a variant ended: an outcome, or a failure (what went wrong, and which variant). */
  record Ran(Outcome outcome, String failure) {}

  /** Runs one variant on the worker thread, under the time limit. */
  private Ran runGuarded(Variant v) throws InterruptedException {
    Future<Outcome> future = worker.submit(() -> run(v));
    try {
      return new Ran(future.get(PER_VARIANT.toMillis(), TimeUnit.MILLISECONDS), null);
    } catch (TimeoutException e) {
      future.cancel(true);
      worker.shutdownNow(); // the stuck thread is a daemon; the next variants get a fresh one
      worker = newWorker();
      return new Ran(null, v.describe() + ": did not finish within " + PER_VARIANT.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String what = cause instanceof AssertionError ? "broke an invariant:" : "threw";
      return new Ran(null, v.describe() + ": " + what + " " + trace(cause));
    }
  }

  /**
   * The pipeline: resources, resolution, both compilers. One variant in three also goes the CLI's
   * way, from files through {@link LocalInputs}, which derives the API's name and version itself
   * (from the API resource, or without resources from the file name and {@code info.version}).
   */
  private static Outcome run(Variant v) throws IOException {
    Problems loading = new Problems();
    ResourceSet set = new ResourceSet();
    ResourceLoader loader = new ResourceLoader();
    v.resources().forEach((name, text) -> loader.loadText(name, text, set, loading));

    List<Located<Api>> apis = set.apis();
    ApiIdentity identity = new ApiIdentity("petstore", "v1");
    String source = "options";
    if (apis.size() == 1) {
      Api api = apis.get(0).resource();
      identity = new ApiIdentity(api.getMetadata().getName(), api.getSpec() == null ? null : api.getSpec().getVersion());
      source = "API/" + api.getMetadata().getName();
    }
    ApiResolver.Resolution resolution = new ApiResolver().resolve(identity, List.of(v.definition()), set, source);
    Outcome outcome = check(v, "resolver", loading.sorted(), resolution);
    if (v.cli() != Cli.NONE) {
      Path dir = Files.createTempDirectory("corrupted-input-");
      try {
        Path definition = dir.resolve(Path.of(v.definition().name()).getFileName().toString());
        Files.write(definition, v.definition().text().getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, String> e : v.resources().entrySet()) {
          Files.createDirectories(dir.resolve(e.getKey()).getParent());
          Files.write(dir.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        // Without resources, the version comes from the definition's info.version.
        List<Path> resourcePaths = v.cli() == Cli.WITH_RESOURCES ? List.of(dir.resolve("resources")) : List.of();
        check(v, "LocalInputs", List.of(), LocalInputs.resolve(List.of(definition), resourcePaths, null, null));
      } finally {
        deleteTree(dir);
      }
    }
    return outcome;
  }

  /** The invariants of one resolution; {@code loading} holds the resource loader's own problems. */
  private static Outcome check(Variant v, String way, List<Problem> loading, ApiResolver.Resolution resolution) {
    List<Problem> all = new ArrayList<>(loading);
    all.addAll(resolution.problems());
    assertThat(all).as("problems of %s via %s", v.describe(), way)
        .allSatisfy(p -> {
          assertThat(p.severity()).isNotNull();
          assertThat(p.message()).as("message of %s", p).isNotBlank();
        });
    if (resolution.api().isPresent()) {
      assertThat(resolution.problems()).as("a resolved API comes without errors (%s)", way)
          .noneMatch(Problem::isError);
      ResolvedApi api = resolution.api().get();
      Bundle bundle = new BundleCompiler().compile(api);
      assertThat(bundle.digest()).matches(DIGEST);
      assertThat(bundle.files()).containsKeys(Bundle.MANIFEST, Bundle.ROUTES, Bundle.POLICIES, Bundle.GATEWAY);
      assertThat(new EnvironmentCompiler().compile(api)).isNotEmpty();
    } else {
      assertThat(resolution.problems()).as("an unresolved API comes with an error (%s)", way)
          .anyMatch(Problem::isError);
    }
    boolean accepted = resolution.api().isPresent() && loading.stream().noneMatch(Problem::isError);
    return accepted ? Outcome.RESOLVED : Outcome.REJECTED;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "corrupted-input");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The exception, its first frames and the first frames of Gantry's own code (the way in). */
  private static String trace(Throwable t) {
    StackTraceElement[] stack = t.getStackTrace();
    List<StackTraceElement> shown = new ArrayList<>(Arrays.asList(stack).subList(0, Math.min(6, stack.length)));
    Arrays.stream(stack).skip(6)
        .filter(f -> f.getClassName().startsWith("dev.gantry.") && !f.getClassName().contains("CorruptedInputTest"))
        .distinct().limit(6).forEach(shown::add);
    String frames = shown.stream().map(f -> "\n      at " + f).collect(Collectors.joining());
    String message = String.valueOf(t);
    return (message.length() > 2000 ? message.substring(0, 2000) + "…" : message) + frames;
  }

  private static void save(Variant v) {
    try {
      Path dir = FAILED_INPUTS.resolve("variant-" + v.index());
      Files.createDirectories(dir.resolve("resources"));
      Files.write(dir.resolve(Path.of(v.definition().name()).getFileName().toString()),
          v.definition().text().getBytes(StandardCharsets.UTF_8));
      for (Map.Entry<String, String> e : v.resources().entrySet()) {
        Files.write(dir.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not save " + v.describe() + ": " + e);
    }
  }

  // ---------------------------------------------------------------- generating

  /** Variant {@code index}, from {@code new Random(SEED + index)} alone. */
  static Variant generate(int index) {
    long seed = SEED + index;
    Mutator m = new Mutator(new Random(seed));
    String kind = Mutator.KINDS.get(index % Mutator.KINDS.size());
    boolean swagger = m.random.nextInt(5) < 2;
    String definitionName = swagger ? SWAGGER_2 : OPENAPI_3;
    String definitionText = swagger ? swagger2 : openApi3;
    Map<String, String> texts = new TreeMap<>(resources);
    int roll = m.random.nextInt(10);
    List<String> targets = new ArrayList<>();
    List<String> mutations = new ArrayList<>();
    if (roll < 6 || roll == 9) {
      Mutator.Result r = m.mutate(kind, definitionText, false);
      definitionText = r.text();
      if (r.json()) {
        definitionName = definitionName.replace(".yaml", ".json");
      }
      targets.add(definitionName);
      mutations.add(r.name());
    }
    if (roll >= 6) {
      String file = new ArrayList<>(texts.keySet()).get(m.random.nextInt(texts.size()));
      Mutator.Result r = m.mutate(kind, texts.get(file), true);
      texts.put(file, r.text());
      targets.add(file);
      mutations.add(r.name());
    }
    int way = m.random.nextInt(6);
    Cli cli = way == 0 ? Cli.WITH_RESOURCES : way == 1 ? Cli.DEFINITION_ONLY : Cli.NONE;
    return new Variant(index, seed, kind, String.join(" + ", targets), String.join(" + ", mutations),
        DefinitionFile.of(definitionName, definitionText), texts, cli);
  }


}
