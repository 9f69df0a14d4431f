package dev.gantry.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Autoscaling;
import dev.gantry.crds.v1alpha1.Exposure;
import dev.gantry.crds.v1alpha1.ExposureType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GatewayDeploymentTest {
  static final String IMAGE = "registry.example.com/petstore:v1@sha256:" + "ab".repeat(32);
  static final byte[] ENVIRONMENT = "api: petstore\nupstreams: {}\n".getBytes(StandardCharsets.UTF_8);

  static GatewayDeployment.Inputs inputs(Api api, byte[] environment) {
    return new GatewayDeployment.Inputs(api, IMAGE, BuildJobTest.DIGEST, environment,
        new TreeSet<>(List.of("petstore-api-keys", "petstore-jwt-ca")), List.of("registry-pull"));
  }

  @Test
  void deploymentRunsTheImagePinnedByDigestWithTheEnvironmentAndSecretsMounted() {
    Deployment deployment = GatewayDeployment.deployment(inputs(BuildJobTest.api("petstore"), ENVIRONMENT));
    Container gateway = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(deployment.getMetadata().getName()).isEqualTo("petstore-gateway");
    assertThat(gateway.getImage()).isEqualTo(IMAGE);
    assertThat(gateway.getVolumeMounts()).extracting("mountPath").containsExactly(
        "/etc/gantry/environment.yaml", "/tmp", "/etc/gantry/secrets/petstore-api-keys",
        "/etc/gantry/secrets/petstore-jwt-ca");
    assertThat(deployment.getSpec().getTemplate().getSpec().getImagePullSecrets()).extracting("name")
        .containsExactly("registry-pull");
    assertThat(gateway.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    // Liveness only once started: a slow start under a small CPU limit is not a crash to restart.
    assertThat(gateway.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(gateway.getStartupProbe().getPeriodSeconds() * gateway.getStartupProbe().getFailureThreshold())
        .isGreaterThanOrEqualTo(60)
        .isGreaterThan(gateway.getLivenessProbe().getPeriodSeconds() * gateway.getLivenessProbe().getFailureThreshold());
    assertThat(gateway.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(GatewayLabels.selector("petstore"));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(GatewayLabels.selector("petstore"));
  }

  @Test
  void aChangedEnvironmentRollsThePods() {
    Api api = BuildJobTest.api("petstore");
    var before = GatewayDeployment.deployment(inputs(api, ENVIRONMENT)).getSpec().getTemplate().getMetadata();
    var after = GatewayDeployment.deployment(inputs(api, "api: petstore\nupstreams: {a: 1}\n"
        .getBytes(StandardCharsets.UTF_8))).getSpec().getTemplate().getMetadata();

    assertThat(after.getAnnotations().get(GatewayDeployment.ANNOTATION_ENVIRONMENT))
        .isNotEqualTo(before.getAnnotations().get(GatewayDeployment.ANNOTATION_ENVIRONMENT));
  }

  @Test
  void replicasComeFromTheSpecUnlessAutoscalingOwnsThem() {
    Api api = BuildJobTest.api("petstore");
    api.getSpec().setReplicas(3);
    assertThat(GatewayDeployment.deployment(inputs(api, ENVIRONMENT)).getSpec().getReplicas()).isEqualTo(3);
    assertThat(GatewayExposure.autoscaler(api)).isEmpty();

    Autoscaling autoscaling = new Autoscaling();
    autoscaling.setMaxReplicas(8);
    api.getSpec().setAutoscaling(autoscaling);
    assertThat(GatewayDeployment.deployment(inputs(api, ENVIRONMENT)).getSpec().getReplicas()).isNull();
    assertThat(GatewayExposure.autoscaler(api)).hasValueSatisfying(hpa -> {
      assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
      assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
      assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("petstore-gateway");
    });
  }

  @Test
  void environmentConfigMapHoldsTheFileTheDeploymentMounts() {
    var environment = GatewayDeployment.environment(inputs(BuildJobTest.api("petstore"), ENVIRONMENT));

    assertThat(environment.getMetadata().getName()).isEqualTo("petstore-gateway-env");
    assertThat(environment.getData()).containsEntry("environment.yaml", new String(ENVIRONMENT, StandardCharsets.UTF_8));
  }

  @Test
  void exposureTypeChoosesServiceTypeAndIngress() {
    Api api = BuildJobTest.api("petstore");
    assertThat(GatewayExposure.service(api).getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(GatewayExposure.ingress(api)).isEmpty();
    assertThat(GatewayExposure.url(api)).isEqualTo("http://petstore-gateway.shop.svc");

    Exposure exposure = new Exposure();
    exposure.setType(ExposureType.INGRESS);
    exposure.setHost("petstore.example.com");
    exposure.setTlsSecretName("petstore-tls");
    api.getSpec().setExposure(exposure);
    assertThat(GatewayExposure.service(api).getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(GatewayExposure.ingress(api)).hasValueSatisfying(ingress -> {
      assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("petstore.example.com");
      assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("petstore-tls");
    });
    assertThat(GatewayExposure.url(api)).isEqualTo("https://petstore.example.com");

    exposure.setType(ExposureType.LOAD_BALANCER);
    assertThat(GatewayExposure.service(api).getSpec().getType()).isEqualTo("LoadBalancer");
  }

  @Test
  void longSecretNamesGiveValidVolumeNames() {
    String secret = "a." + "long-secret-name.".repeat(6) + "x";
    assertThat(GatewayDeployment.secretVolume(secret)).hasSizeLessThanOrEqualTo(63)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(GatewayDeployment.secretVolume("petstore.jwt")).isEqualTo("secret-petstore-jwt");
  }

  @Test
  void connectionBoundsGoToTheRuntimeAfterTheImagesOwnArgumentsAndUnsetKeepTheImagesCommand() {
    Api api = BuildJobTest.api("petstore");
    Container unset = GatewayDeployment.deployment(inputs(api, ENVIRONMENT)).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(unset.getArgs()).as("no args: the image's CMD runs, as before").isNullOrEmpty();

    api.getSpec().setMaxConnections(2000);
    api.getSpec().setMaxConnectionsPerClient(20);
    Container bounded = GatewayDeployment.deployment(inputs(api, ENVIRONMENT)).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(bounded.getArgs()).containsExactlyElementsOf(java.util.stream.Stream.concat(
        dev.gantry.toolkit.image.product.ProductImages.RUNTIME_ARGS.stream(),
        java.util.stream.Stream.of("--max-connections=2000", "--max-connections-per-client=20")).toList());
  }

  /**
   * On a rolling update or a scale-in, the pod keeps serving for the drain delay (endpoints and
   * ingress controllers still send it requests for a few seconds), then gets the runtime's 30 s
   * default shutdown grace: both must fit the termination grace period, or the kubelet kills
   * requests still in flight. A per-API pod drains by its image's arguments, a fleet pod by its own.
   */
  @Test
  void podsDrainBeforeTheyStopAndTheirGracePeriodCoversDrainAndShutdown() {
    long runtimeShutdownGrace = 30; // GatewayMain's and FleetMain's --shutdown-grace default
    List<String> imageArgs = dev.gantry.toolkit.image.product.ProductImages.RUNTIME_ARGS;
    assertThat(imageArgs.subList(imageArgs.indexOf("--drain-delay"), imageArgs.indexOf("--drain-delay") + 2))
        .containsExactly("--drain-delay", "5");
    var fleet = new FleetDeployment.Inputs(FleetDeploymentTest.fleet(FleetDeploymentTest.spec()), "cluster-a",
        java.util.Optional.empty());
    assertThat(FleetDeployment.args(fleet)).contains("--drain-delay=5");

    for (Deployment deployment : List.of(GatewayDeployment.deployment(inputs(BuildJobTest.api("petstore"), ENVIRONMENT)),
        FleetDeployment.deployment(fleet))) {
      assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
          .as(deployment.getMetadata().getName())
          .isGreaterThan(dev.gantry.toolkit.image.ImageLayout.DRAIN_DELAY_SECONDS + runtimeShutdownGrace);
    }
  }

  @Test
  void aGatewayThatCanRunSeveralPodsLosesAtMostOneToADrain() {
    Api api = BuildJobTest.api("petstore");
    assertThat(GatewayExposure.disruptionBudget(api)).as("one pod: a budget would block node drains").isEmpty();

    api.getSpec().setReplicas(3);
    var budget = GatewayExposure.disruptionBudget(api).orElseThrow();
    assertThat(budget.getMetadata().getName()).isEqualTo("petstore-gateway");
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(GatewayLabels.selector("petstore"))
        .isEqualTo(GatewayDeployment.deployment(inputs(api, ENVIRONMENT)).getSpec().getSelector().getMatchLabels());
    assertThat(budget.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("API"));

    api.getSpec().setReplicas(null);
    var autoscaling = new Autoscaling();
    autoscaling.setMaxReplicas(1);
    api.getSpec().setAutoscaling(autoscaling);
    assertThat(GatewayExposure.disruptionBudget(api)).as("autoscaled to one pod at most").isEmpty();
    autoscaling.setMaxReplicas(4);
    assertThat(GatewayExposure.disruptionBudget(api)).isPresent();
  }

  /** CPU autoscaling measures use against the CPU request: a gateway without one never scales. */
  @Test
  void aGatewayWithoutResourcesRequestsTheDefaultsAndOneWithThemKeepsThem() {
    Api api = BuildJobTest.api("petstore");
    api.getSpec().setAutoscaling(new Autoscaling());
    Container defaulted = GatewayDeployment.deployment(inputs(api, ENVIRONMENT)).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(defaulted.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(defaulted.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
    assertThat(defaulted.getResources().getLimits()).isNullOrEmpty();

    var own = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1")).build();
    api.getSpec().setResources(own);
    assertThat(GatewayDeployment.deployment(inputs(api, ENVIRONMENT)).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getResources()).isEqualTo(own);
  }
}
