package dev.gantry.operator.api;

import static dev.gantry.operator.OperatorFixture.api;
import static dev.gantry.operator.OperatorFixture.awaitCondition;
import static dev.gantry.operator.OperatorFixture.awaitEvent;
import static dev.gantry.operator.OperatorFixture.definition;
import static dev.gantry.operator.OperatorFixture.get;
import static dev.gantry.operator.OperatorFixture.petstoreDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.operator.OperatorFixture;
import dev.gantry.operator.model.GatewayDeployment;
import dev.gantry.operator.model.GatewayLabels;
import dev.gantry.operator.model.Names;
import dev.gantry.operator.settings.SettingsParser;
import dev.gantry.operator.status.Conditions;
import dev.gantry.toolkit.image.testing.LocalRegistry;
import dev.gantry.toolkit.image.testing.TestImages;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API reconciler on fabric8's mock API server (CRUD) with a real registry and Jib builds.
 * One server, registry and operator for the class; each test has its own namespace and API name
 * (the image repository is named after the API, and the registry is shared).
 */
@EnableKubernetesMockClient(crud = true)
class ApiReconcilerIT {
  static KubernetesClient client;
  static LocalRegistry registry;
  static String runtime;
  static PrometheusMeterRegistry metrics;
  static Operator operator;
  static final AtomicInteger TESTS = new AtomicInteger();

  final int n = TESTS.incrementAndGet();
  final String ns = "team-" + n;
  final String name = "pets" + n;

  @BeforeAll
  static void startOperator() throws Exception {
    registry = LocalRegistry.start();
    runtime = TestImages.pushRuntimeStandIn(registry, "gantry/runtime", "0.1.0");
    OperatorFixture.installCrds(client);
    OperatorFixture.settings(client, settings());
    metrics = OperatorFixture.metrics();
    operator = OperatorFixture.start(client, metrics, BuildContextSource.unavailable());
  }

  static Map<String, String> settings() {
    return Map.of(SettingsParser.REGISTRY, registry.host() + "/apis", SettingsParser.INSECURE_REGISTRY, "true",
        SettingsParser.RUNTIME_IMAGE, runtime, SettingsParser.PULL_SECRET, "registry-pull");
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void namespaceWithSampleResources() throws Exception {
    OperatorFixture.namespace(client, ns);
    OperatorFixture.sampleResources(client, ns);
  }

  Deployment gateway() {
    return client.apps().deployments().inNamespace(ns).withName(Names.gateway(name)).get();
  }

  double builds(String outcome) {
    var counter = metrics.find("gantry.builds").tag("builder", "jib").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void buildsPushesAndDeploysPinnedByDigestThenReportsReadyAndASecondReconcileWritesNothing() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    api(client, ns, name, "v1", null);

    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, "Deployed");
    Api api = get(client, ns, name);
    String pushed = registry.manifestDigest("apis/" + name, "v1").orElseThrow();
    assertThat(api.getStatus().getImage()).isEqualTo(registry.host() + "/apis/" + name + "@" + pushed);
    assertThat(api.getStatus().getBundleDigest()).startsWith("sha256:");
    assertThat(api.getStatus().getUrl()).isEqualTo("http://" + name + "-gateway." + ns + ".svc");
    assertThat(api.getStatus().getObservedGeneration()).isEqualTo(api.getMetadata().getGeneration());
    assertThat(Conditions.find(api.getStatus(), Conditions.BUILT).orElseThrow().getReason()).isEqualTo("Built");

    Deployment deployment = gateway();
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo(api.getStatus().getImage());
    assertThat(pod.getVolumes()).extracting(Volume::getName)
        .contains("secret-petstore-api-keys", "secret-petstore-admins");
    assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry-pull");
    assertThat(deployment.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(api.getMetadata().getUid()));
    ConfigMap environment = client.configMaps().inNamespace(ns).withName(Names.gatewayEnvironment(name)).get();
    assertThat(environment.getData().get(GatewayDeployment.ENVIRONMENT_KEY)).contains("http://petstore.default.svc:8080");
    assertThat(client.services().inNamespace(ns).withName(Names.gateway(name)).get()).isNotNull();
    // The reconcile that built and deployed writes one Event; the pods are not up yet, so a Warning.
    // (An earlier reconcile may have met the namespace's Secrets not yet in the cache: its own Event.)
    assertThat(OperatorFixture.events(client, ns, "API", name)).filteredOn(e -> e.getMessage().contains("Deployed"))
        .singleElement().satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo("PodsNotReady");
          assertThat(e.getMessage()).startsWith("Ready: ").contains("(this reconcile: ")
              .endsWith("ResolvedRefs, Built, Deployed, Ready=False (PodsNotReady))");
        });

    // The controller-manager's part: the pods came up.
    deployment.setStatus(new DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(2)
        .withObservedGeneration(deployment.getMetadata().getGeneration()).build());
    client.resource(deployment).updateStatus();
    awaitCondition(client, ns, name, Conditions.READY, Conditions.TRUE, "Ready");
    assertThat(get(client, ns, name).getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(awaitEvent(client, ns, "API", name, "Normal", "Ready").getMessage()).startsWith("Ready: 2/2");
    // Reconcile metrics are per controller: no series names this API or its namespace.
    assertThat(metrics.scrape()).contains("controller=\"").doesNotContain("\"" + ns + "\"");

    // A change to a referenced Secret reconciles the API again: the image is found, nothing is written.
    int uploads = registry.blobUploads();
    String apiVersion = get(client, ns, name).getMetadata().getResourceVersion();
    String deploymentVersion = gateway().getMetadata().getResourceVersion();
    double skippedBefore = builds("skipped");
    client.secrets().inNamespace(ns).withName("petstore-api-keys").edit(s -> {
      s.getMetadata().setLabels(Map.of("touched", "yes"));
      return s;
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> builds("skipped") > skippedBefore);
    assertThat(registry.blobUploads()).isEqualTo(uploads);
    assertThat(gateway().getMetadata().getResourceVersion()).isEqualTo(deploymentVersion);
    assertThat(get(client, ns, name).getMetadata().getResourceVersion()).isEqualTo(apiVersion);
  }

  @Test
  void theOperatorsOwnWritesDoNotWakeTheApiAgain() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    double before = builds("built") + builds("skipped");
    api(client, ns, name, "v1", null);
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, "Deployed");

    // One reconcile made the environment, Deployment and Service; their watch events are its own echo.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .until(() -> builds("built") + builds("skipped") == before + 1);
  }

  @Test
  void aMissingReferenceIsNamedAndNothingIsBuiltUntilTheRateLimitAppears() throws Exception {
    definition(client, ns, name, petstoreDefinition().replace("x-gantry-ratelimit: standard",
        "x-gantry-ratelimit: gold"));
    api(client, ns, name, "v1", null);

    Condition refs = awaitCondition(client, ns, name, Conditions.RESOLVED_REFS, Conditions.FALSE, "InvalidDefinition");
    assertThat(refs.getMessage()).contains("gold").contains(name + "-openapi/petstore.yaml");
    assertThat(gateway()).isNull();
    assertThat(registry.manifestDigest("apis/" + name, "v1")).isEmpty();
    assertThat(awaitEvent(client, ns, "API", name, "Warning", "InvalidDefinition").getMessage())
        .startsWith("ResolvedRefs: ").contains("gold");

    RateLimit gold = client.resources(RateLimit.class).inNamespace(ns).withName("standard").get();
    gold.getMetadata().setName("gold");
    gold.getMetadata().setResourceVersion(null);
    gold.getMetadata().setUid(null);
    client.resource(gold).create();
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, null);
  }

  @Test
  void addedWithTheKubectlPluginItIsBuiltAndDeployed() throws Exception {
    var cli = dev.gantry.toolkit.kubectl.KubectlAdd.commandLine(context ->
        new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration()).build());
    java.io.StringWriter out = new java.io.StringWriter();
    cli.setOut(new java.io.PrintWriter(out, true));

    int exit = cli.execute("api", name, "--from-file=" + OperatorFixture.SAMPLE.resolve("petstore.yaml"), "-n", ns,
        "--version", "v1");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("api.gantry.dev/" + name + " created");
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, "Deployed");
    assertThat(gateway().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .endsWith("@" + registry.manifestDigest("apis/" + name, "v1").orElseThrow());
  }

  @Test
  void aQuotaThatCannotApplyIsNamedAndNothingIsBuilt() throws Exception {
    // A per-consumer quota on a public operation has no consumer to count.
    definition(client, ns, name, petstoreDefinition().replaceFirst("      security: \\[]\n",
        "      security: []\n      x-gantry-ratelimit: writes\n"));
    api(client, ns, name, "v1", null);

    Condition refs = awaitCondition(client, ns, name, Conditions.RESOLVED_REFS, Conditions.FALSE, null);
    assertThat(refs.getMessage()).contains("writes").contains("public");
    assertThat(awaitEvent(client, ns, "API", name, "Warning", refs.getReason()).getMessage())
        .startsWith("ResolvedRefs: ").contains("writes");
    assertThat(gateway()).isNull();
    assertThat(registry.manifestDigest("apis/" + name, "v1")).isEmpty();
  }

  @Test
  void aRegistryRefusingThePushIsNamedAndNothingIsDeployed() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    registry.readOnly(true);
    try {
      api(client, ns, name, "v1", null);
      Condition built = awaitCondition(client, ns, name, Conditions.BUILT, Conditions.FALSE, "RegistryError");
      assertThat(built.getMessage()).contains(registry.host());
      assertThat(awaitEvent(client, ns, "API", name, "Warning", "RegistryError").getMessage())
          .startsWith("Built: ").contains(registry.host());
      assertThat(gateway()).isNull();
    } finally {
      registry.readOnly(false);
    }
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, null);
  }

  @Test
  void aChangedEndpointUrlReachesTheGatewayWithoutABuild() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    api(client, ns, name, "v1", null);
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, null);
    String image = gateway().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    String rollout = gateway().getSpec().getTemplate().getMetadata().getAnnotations()
        .get(GatewayDeployment.ANNOTATION_ENVIRONMENT);
    int uploads = registry.blobUploads();

    client.resources(dev.gantry.crds.v1alpha1.Endpoint.class).inNamespace(ns).withName("petstore-backend").edit(e -> {
      e.getSpec().setUrls(java.util.List.of("http://petstore-v2.shop.svc:8080"));
      return e;
    });

    await().atMost(Duration.ofSeconds(30)).until(() -> client.configMaps().inNamespace(ns)
        .withName(Names.gatewayEnvironment(name)).get().getData().get(GatewayDeployment.ENVIRONMENT_KEY)
        .contains("http://petstore-v2.shop.svc:8080"));
    await().atMost(Duration.ofSeconds(30)).until(() -> !rollout.equals(gateway().getSpec().getTemplate().getMetadata()
        .getAnnotations().get(GatewayDeployment.ANNOTATION_ENVIRONMENT)));
    assertThat(gateway().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(image);
    assertThat(registry.blobUploads()).isEqualTo(uploads);
  }

  @Test
  void aMissingDefinitionConfigMapIsNamed() {
    api(client, ns, name, "v1", null);
    Condition refs = awaitCondition(client, ns, name, Conditions.RESOLVED_REFS, Conditions.FALSE, "DefinitionNotFound");
    assertThat(refs.getMessage()).contains("ConfigMap " + name + "-openapi not found");
    assertThat(awaitEvent(client, ns, "API", name, "Warning", "DefinitionNotFound").getMessage())
        .startsWith("ResolvedRefs: ").contains("ConfigMap " + name + "-openapi not found");
  }

  @Test
  void aDefinitionThatIsNotOpenApiIsNamedAndNothingIsBuilt() {
    definition(client, ns, name, "openapi: 3.0.3\ninfo: {title: pets, version: v1}\npaths: [not, a, map]\n");
    api(client, ns, name, "v1", null);
    Condition refs = awaitCondition(client, ns, name, Conditions.RESOLVED_REFS, Conditions.FALSE, "InvalidDefinition");
    assertThat(refs.getMessage()).contains(name + "-openapi/");
    assertThat(awaitEvent(client, ns, "API", name, "Warning", "InvalidDefinition").getMessage())
        .startsWith("ResolvedRefs: ").contains(name + "-openapi/")
        .endsWith("(this reconcile: Accepted, ResolvedRefs=False (InvalidDefinition))");
    assertThat(gateway()).isNull();
  }

  @Test
  void aBrokenUpdateLeavesTheLastGoodDeploymentServing() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    api(client, ns, name, "v1", null);
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, null);
    Deployment good = gateway();

    definition(client, ns, name, petstoreDefinition().replace("x-gantry-endpoint: petstore-backend",
        "x-gantry-endpoint: nowhere"));
    Condition refs = awaitCondition(client, ns, name, Conditions.RESOLVED_REFS, Conditions.FALSE, null);
    assertThat(refs.getMessage()).contains("nowhere");
    assertThat(gateway().getMetadata().getResourceVersion()).isEqualTo(good.getMetadata().getResourceVersion());
    assertThat(Conditions.isTrue(get(client, ns, name).getStatus(), Conditions.DEPLOYED)).isTrue();
  }

  @Test
  void aChangedRateLimitIsRefusedForTheSameVersionThenRebuiltWithOverride() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    api(client, ns, name, "v1", null);
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, null);
    Deployment good = gateway();
    String firstDigest = get(client, ns, name).getStatus().getBundleDigest();

    client.resources(RateLimit.class).inNamespace(ns).withName("standard").edit(r -> {
      r.getSpec().setRequests(250);
      return r;
    });
    Condition refused = awaitCondition(client, ns, name, Conditions.BUILT, Conditions.FALSE, "TagHoldsDifferentContent");
    assertThat(refused.getMessage()).contains("bump the version or set override");
    assertThat(gateway().getMetadata().getResourceVersion()).isEqualTo(good.getMetadata().getResourceVersion());

    client.resources(Api.class).inNamespace(ns).withName(name).edit(a -> {
      a.getSpec().setOverride(true);
      return a;
    });
    awaitCondition(client, ns, name, Conditions.BUILT, Conditions.TRUE, "Built");
    await().atMost(Duration.ofSeconds(30)).until(() -> !firstDigest.equals(get(client, ns, name).getStatus().getBundleDigest()));
    String pushed = registry.manifestDigest("apis/" + name, "v1").orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> gateway().getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage().endsWith("@" + pushed));
  }

  @Test
  void anUnreachableRegistryIsARegistryErrorNotABuildAndIsRetried() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    registry.stop();
    try {
      api(client, ns, name, "v1", null);
      Condition built = awaitCondition(client, ns, name, Conditions.BUILT, Conditions.FALSE, "RegistryError");
      assertThat(built.getMessage()).contains(registry.host());
      assertThat(gateway()).isNull();
    } finally {
      registry.resume();
    }
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, null);
  }

  @Test
  void aPrebuiltImageIsDeployedAsGivenWithoutTouchingTheRegistry() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    ApiSpec spec = new ApiSpec();
    spec.setImage("registry.example.com/pets@sha256:" + "a".repeat(64));
    int uploads = registry.blobUploads();
    api(client, ns, name, "v1", spec);
    awaitCondition(client, ns, name, Conditions.BUILT, Conditions.TRUE, "Prebuilt");
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, null);
    assertThat(gateway().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(spec.getImage());
    assertThat(registry.blobUploads()).isEqualTo(uploads);
  }

  @Test
  void wrongSettingsAreAConditionNamingTheKeyAndFixingThemHealsTheApiAtOnce() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    OperatorFixture.settings(client, Map.of(SettingsParser.REGISTRY, "https://registry.example.com",
        SettingsParser.RUNTIME_IMAGE, runtime));
    try {
      api(client, ns, name, "v1", null);
      Condition accepted = awaitCondition(client, ns, name, Conditions.ACCEPTED, Conditions.FALSE, "InvalidSettings");
      assertThat(accepted.getMessage()).contains("registry:").contains("gantry-operator-settings");
      assertThat(Conditions.find(get(client, ns, name).getStatus(), Conditions.BUILT).orElseThrow().getReason())
          .isEqualTo("InvalidSettings");
      assertThat(gateway()).isNull();
    } finally {
      OperatorFixture.settings(client, settings());
    }
    // The settings' informer wakes the waiting API: well before any timed recheck would.
    await().atMost(Duration.ofSeconds(20)).until(() -> Conditions.isTrue(get(client, ns, name).getStatus(),
        Conditions.DEPLOYED));
  }

  @Test
  void theSameApiInAnotherNamespaceIsPromotedWithoutABuildAndGetsItsOwnUpstreamUrls() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    api(client, ns, name, "v1", null);
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, null);
    Api dev = get(client, ns, name);

    String prod = ns + "-prod";
    OperatorFixture.namespace(client, prod);
    OperatorFixture.sampleResources(client, prod);
    client.resources(dev.gantry.crds.v1alpha1.Endpoint.class).inNamespace(prod).withName("petstore-backend").edit(e -> {
      e.getSpec().setUrls(java.util.List.of("http://petstore.prod.svc:8080"));
      return e;
    });
    definition(client, prod, name, petstoreDefinition());
    int uploads = registry.blobUploads();
    api(client, prod, name, "v1", null);

    Condition built = awaitCondition(client, prod, name, Conditions.BUILT, Conditions.TRUE, "AlreadyBuilt");
    assertThat(built.getMessage()).contains("already holds this bundle");
    awaitCondition(client, prod, name, Conditions.DEPLOYED, Conditions.TRUE, null);
    assertThat(get(client, prod, name).getStatus().getImage()).isEqualTo(dev.getStatus().getImage());
    assertThat(registry.blobUploads()).isEqualTo(uploads);
    assertThat(client.configMaps().inNamespace(prod).withName(Names.gatewayEnvironment(name)).get().getData()
        .get(GatewayDeployment.ENVIRONMENT_KEY)).contains("http://petstore.prod.svc:8080")
        .doesNotContain("petstore.default.svc");
  }

  @Test
  void anHpaAnIngressAndADisruptionBudgetAreMadeAndGoWhenTheSpecDropsThem() throws Exception {
    definition(client, ns, name, petstoreDefinition());
    ApiSpec spec = new ApiSpec();
    spec.setAutoscaling(new dev.gantry.crds.v1alpha1.Autoscaling());
    var exposure = new dev.gantry.crds.v1alpha1.Exposure();
    exposure.setType(dev.gantry.crds.v1alpha1.ExposureType.INGRESS);
    exposure.setHost(name + ".example.com");
    spec.setExposure(exposure);
    api(client, ns, name, "v1", spec);
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, "Deployed");
    await().atMost(Duration.ofSeconds(30)).until(() -> hpa() != null && ingress() != null && disruptionBudget() != null);
    assertThat(disruptionBudget().getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);

    client.resources(Api.class).inNamespace(ns).withName(name).edit(a -> {
      a.getSpec().setAutoscaling(null);
      a.getSpec().setExposure(null);
      a.getSpec().setReplicas(1); // one pod: no budget
      return a;
    });

    // Known from the informers (no GET is made for an HPA or Ingress that is not there).
    await().atMost(Duration.ofSeconds(30)).until(() -> hpa() == null && ingress() == null && disruptionBudget() == null);
    assertThat(client.services().inNamespace(ns).withName(Names.gateway(name)).get()).isNotNull();
  }

  @Test
  void aGatewayServiceMadeByHandIsTakenOverAndADeletedOneComesBack() throws Exception {
    // Without our labels: the label-filtered informer does not see it, so the create meets a 409.
    client.services().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
        .withNewMetadata().withName(Names.gateway(name)).endMetadata()
        .withNewSpec().addNewPort().withPort(81).endPort().endSpec().build()).create();
    definition(client, ns, name, petstoreDefinition());
    api(client, ns, name, "v1", null);

    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, "Deployed");
    var service = client.services().inNamespace(ns).withName(Names.gateway(name)).get();
    assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(80);
    assertThat(service.getMetadata().getLabels()).containsEntry(GatewayLabels.MANAGED_BY, GatewayLabels.OPERATOR);

    client.services().inNamespace(ns).withName(Names.gateway(name)).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.services().inNamespace(ns)
        .withName(Names.gateway(name)).get() != null);
  }

  io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget disruptionBudget() {
    return client.policy().v1().podDisruptionBudget().inNamespace(ns).withName(Names.gateway(name)).get();
  }

  io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler hpa() {
    return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName(Names.gateway(name)).get();
  }

  io.fabric8.kubernetes.api.model.networking.v1.Ingress ingress() {
    return client.network().v1().ingresses().inNamespace(ns).withName(Names.gateway(name)).get();
  }

  @Test
  void anEndpointWithAnImageGetsItsBackendAndOneWithUrlsIsReadyAsIs() {
    var backend = await().atMost(Duration.ofSeconds(30))
        .until(() -> client.apps().deployments().inNamespace(ns).withName("orders-service").get(), d -> d != null);
    assertThat(backend.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example.com/orders:2.4.1");
    assertThat(client.services().inNamespace(ns).withName("orders-service").get().getSpec().getPorts().get(0).getPort())
        .isEqualTo(8080);
    await().atMost(Duration.ofSeconds(30)).until(() -> endpointCondition("orders-service", Conditions.DEPLOYED)
        .filter(c -> Conditions.TRUE.equals(c.getStatus())).isPresent());
    await().atMost(Duration.ofSeconds(30)).until(() -> endpointCondition("petstore-backend", Conditions.READY)
        .filter(c -> "External".equals(c.getReason())).isPresent());
  }

  Optional<Condition> endpointCondition(String endpoint, String type) {
    var e = client.resources(dev.gantry.crds.v1alpha1.Endpoint.class).inNamespace(ns).withName(endpoint).get();
    return e.getStatus() == null ? Optional.empty() : Conditions.find(e.getStatus(), type);
  }
}
