package dev.gantry.operator.bench;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.operator.settings.SettingsSource;
import dev.gantry.toolkit.image.ImageName;
import dev.gantry.toolkit.image.ImagePipeline;
import dev.gantry.toolkit.image.JibImageBuilder;
import dev.gantry.toolkit.image.JibRegistry;
import dev.gantry.toolkit.image.RegistryAccess;
import dev.gantry.toolkit.image.testing.LocalRegistry;
import dev.gantry.toolkit.image.testing.TestImages;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.resolve.ApiIdentity;
import dev.gantry.toolkit.resolve.ApiResolver;
import dev.gantry.toolkit.resolve.ResolvedApi;
import dev.gantry.toolkit.resolve.ResourceSet;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmark's world, in the benchmark's JVM (never the operator's): fabric8's mock API server
 * in CRUD mode, a real {@code docker-registry}, the CRDs and settings, and N APIs whose images
 * already exist in the registry.
 *
 * <p>Each API has its own name, definition ConfigMap and image ({@code <registry>/api-NNNN:1.0.0}),
 * built with the toolkit's own {@link ImagePipeline} from the same resolved input the operator
 * will compute, so the operator's skip rule meets exactly the labels it would have written. The
 * definition is deliberately small: one GET operation routed to one Endpoint, no security or
 * rate limit (the petstore sample would only make the bundle bigger, not the reconcile different).
 */
final class ScaleCluster implements AutoCloseable {
  static final String NAMESPACE = "bench";
  static final String OPERATOR_NAMESPACE = "gantry-system";
  static final String VERSION = "1.0.0";
  static final String ENDPOINT = "backend";
  static final String FILE = "api.yaml";

  final KubernetesMockServer server;
  final KubernetesClient client;
  final LocalRegistry registry;
  String runtimeImage;

  ScaleCluster() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    registry = LocalRegistry.start();
  }

  static String apiName(int i) {
    return String.format("api-%04d", i);
  }

  static String definition(String name) {
    return "openapi: 3.0.3\n"
        + "info: {title: " + name + ", version: " + VERSION + "}\n"
        + "x-gantry-endpoint: " + ENDPOINT + "\n"
        + "paths:\n"
        + "  /items:\n"
        + "    get:\n"
        + "      operationId: listItems\n"
        + "      responses:\n"
        + "        \"200\": {description: items}\n";
  }

  /** {@code kubeconfig} text pointing at the mock server (plain HTTP). */
  String kubeconfig() {
    String url = "http://" + server.getHostName() + ":" + server.getPort();
    return "apiVersion: v1\nkind: Config\n"
        + "clusters: [{name: mock, cluster: {server: \"" + url + "\"}}]\n"
        + "users: [{name: bench, user: {token: bench}}]\n"
        + "contexts: [{name: mock, context: {cluster: mock, user: bench, namespace: " + NAMESPACE + "}}]\n"
        + "current-context: mock\n";
  }

  void installOperatorSide(Path crds) throws Exception {
    try (var files = Files.list(crds)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        client.apiextensions().v1().customResourceDefinitions()
            .resource(Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class)).create();
      }
    }
    namespace(OPERATOR_NAMESPACE);
    runtimeImage = TestImages.pushRuntimeStandIn(registry, "gantry/runtime", "1");
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(SettingsSource.DEFAULT_NAME)
        .withNamespace(OPERATOR_NAMESPACE).endMetadata()
        .withData(Map.of("registry", registry.host(), "insecureRegistry", "true", "runtimeImage", runtimeImage))
        .build()).create();
  }

  /** The namespace, its Endpoint, and per API its ConfigMap and API resource. */
  void createApis(int n) {
    namespace(NAMESPACE);
    client.resource(endpoint()).create();
    for (int i = 0; i < n; i++) {
      String name = apiName(i);
      client.resource(new ConfigMapBuilder().withNewMetadata().withName(name + "-openapi").withNamespace(NAMESPACE)
          .endMetadata().addToData(FILE, definition(name)).build()).create();
      ApiSpec spec = new ApiSpec();
      spec.setDefinitions(List.of(name + "-openapi"));
      spec.setVersion(VERSION);
      spec.setReplicas(1);
      client.resource(new Api(NAMESPACE, name, spec)).create();
    }
  }

  /** Builds and pushes every API's image (what the operator would build), {@code threads} at a time. */
  void pushImages(int n, int threads) throws Exception {
    RegistryAccess access = RegistryAccess.of(true, null, Map.of());
    ImagePipeline pipeline = new ImagePipeline(new JibRegistry(access),
        new JibImageBuilder(access, Files.createTempDirectory("gantry-bench-jib-")));
    ImagePipeline.Request request = new ImagePipeline.Request(ImageName.Target.parse(registry.host()),
        runtimeImage, false);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<ImagePipeline.Result>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ResolvedApi resolved = resolve(apiName(i));
        results.add(pool.submit(() -> pipeline.run(resolved, request, line -> { })));
      }
      for (Future<ImagePipeline.Result> result : results) {
        if (result.get().outcome() != ImagePipeline.Outcome.BUILT) {
          throw new IllegalStateException("image not built: " + result.get().message());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** As the operator resolves it: files named {@code configmap/key}, the namespace's resources. */
  private static ResolvedApi resolve(String name) {
    ResourceSet resources = new ResourceSet();
    resources.add(endpoint(), ENDPOINT, "Endpoint/" + ENDPOINT);
    resources.markSecretsKnown();
    ApiResolver.Resolution resolution = new ApiResolver().resolve(new ApiIdentity(name, VERSION),
        List.of(DefinitionFile.of(name + "-openapi/" + FILE, definition(name).getBytes(StandardCharsets.UTF_8))),
        resources, "API/" + name);
    return resolution.api().orElseThrow(() -> new IllegalStateException(name + ": " + resolution.problems()));
  }

  private static Endpoint endpoint() {
    Endpoint endpoint = Serialization.unmarshal("apiVersion: gantry.dev/v1alpha1\nkind: Endpoint\n"
        + "metadata: {name: " + ENDPOINT + ", namespace: " + NAMESPACE + "}\n"
        + "spec: {urls: ['http://backend." + NAMESPACE + ".svc:8080']}\n", Endpoint.class);
    return endpoint;
  }

  private void namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
    registry.close();
  }
}
