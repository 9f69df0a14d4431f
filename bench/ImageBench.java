import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.image.ImageBuilder;
import dev.gantry.toolkit.image.ImageName;
import dev.gantry.toolkit.image.ImagePipeline;
import dev.gantry.toolkit.image.JibImageBuilder;
import dev.gantry.toolkit.image.JibRegistry;
import dev.gantry.toolkit.image.RegistryAccess;
import dev.gantry.toolkit.image.context.BuildahImageBuilder;
import dev.gantry.toolkit.resolve.LocalInputs;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The builders as the operator runs them: in one warm JVM, timing only the build-and-push call.
 * Run by bench/image.sh: java -cp <toolkit jars> bench/ImageBench.java REGISTRY RUNTIME TOOLKIT ROUNDS ROOT
 */
public class ImageBench {
  public static void main(String[] args) throws Exception {
    String registry = args[0];
    String runtimeImage = args[1];
    String toolkitImage = args[2];
    int rounds = Integer.parseInt(args[3]);
    Path root = Path.of(args[4]);
    List<Path> definitions = List.of(root.resolve("samples/quickstart/quickstart.yaml"));
    List<Path> resources = List.of(root.resolve("samples/quickstart/resources"));

    ResolvedApi api = LocalInputs.resolve(definitions, resources, null, null).api().orElseThrow();
    Bundle bundle = new BundleCompiler().compile(api);
    RegistryAccess access = RegistryAccess.of(true, null, Map.of());
    Map<String, ImageBuilder> builders = Map.of(
        "jib", new JibImageBuilder(access, null),
        "dockerfile", new BuildahImageBuilder(definitions, resources, toolkitImage, access));

    System.out.println("warm-up (untimed): one build with each builder");
    for (String name : List.of("jib", "dockerfile")) {
      build(builders.get(name), registry + "/warm-" + name, runtimeImage, bundle, api);
    }
    List<Double> jib = new ArrayList<>();
    List<Double> dockerfile = new ArrayList<>();
    System.out.printf("%-6s %12s %16s%n", "round", "jib (s)", "dockerfile (s)");
    for (int i = 1; i <= rounds; i++) {
      // Alternate which goes first, so a slow moment of the machine hits both alike.
      double j;
      double d;
      if (i % 2 == 1) {
        j = build(builders.get("jib"), registry + "/r" + i + "-jib", runtimeImage, bundle, api);
        d = build(builders.get("dockerfile"), registry + "/r" + i + "-dockerfile", runtimeImage, bundle, api);
      } else {
        d = build(builders.get("dockerfile"), registry + "/r" + i + "-dockerfile", runtimeImage, bundle, api);
        j = build(builders.get("jib"), registry + "/r" + i + "-jib", runtimeImage, bundle, api);
      }
      jib.add(j);
      dockerfile.add(d);
      System.out.printf("%-6d %12.3f %16.3f%n", i, j, d);
    }
    List<Double> skips = new ArrayList<>();
    ImagePipeline pipeline = new ImagePipeline(new JibRegistry(access), builders.get("jib"));
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      ImagePipeline.Result result = pipeline.run(api, new ImagePipeline.Request(
          ImageName.Target.parse(registry + "/r1-jib"), runtimeImage, false), line -> { });
      skips.add((System.nanoTime() - start) / 1e9);
      if (result.outcome() != ImagePipeline.Outcome.SKIPPED) {
        throw new IllegalStateException("expected a skip, got " + result.outcome() + ": " + result.message());
      }
    }
    double jm = median(jib);
    double dm = median(dockerfile);
    System.out.printf("%nmedian build+push: jib %.3f s, dockerfile (buildah bud + push) %.3f s%n", jm, dm);
    System.out.printf("ratio jib/dockerfile: %.3f (goal <= 0.1): %s%n", jm / dm, jm / dm <= 0.1 ? "PASS" : "SHORT");
    System.out.printf("skip path in the operator (compile bundle + manifest and config lookups): median %.0f ms of 5%n",
        median(skips) * 1000);
  }

  static double build(ImageBuilder builder, String repositoryPrefix, String runtimeImage, Bundle bundle,
                      ResolvedApi api) throws Exception {
    ImageName target = ImageName.of(ImageName.Target.parse(repositoryPrefix), api.identity().name(),
        api.identity().version());
    long start = System.nanoTime();
    builder.build(new ImageBuilder.Request(target, runtimeImage, bundle, api.identity().name(),
        api.identity().version()), line -> { });
    return (System.nanoTime() - start) / 1e9;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
