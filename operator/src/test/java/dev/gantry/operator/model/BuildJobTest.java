package dev.gantry.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.toolkit.image.context.BuildContext;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildJobTest {
  static final String DIGEST = "sha256:7354c206761633eea162b16d350984c1303b62cd99b25eaa27363b6071311990";
  static final String DESTINATION = "registry.example.com/team/petstore:v1";
  static final KanikoSettings SETTINGS = KanikoSettings.defaults("registry.example.com/gantry/toolkit:0.1.0",
      "registry.example.com/gantry/runtime:0.1.0");

  static Api api(String name) {
    Api api = new Api();
    api.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withUid("uid-1").build());
    ApiSpec spec = new ApiSpec();
    spec.setVersion("v1");
    spec.setDefinitions(List.of(name + "-openapi"));
    api.setSpec(spec);
    return api;
  }

  static BuildJob.Request request(String name) {
    return new BuildJob.Request(api(name), DIGEST, DESTINATION, context(name));
  }

  static BuildContext context(String name) {
    return BuildContext.create(List.of(new BuildContext.Source(name + ".yaml",
        "openapi: 3.0.3\n".getBytes(StandardCharsets.UTF_8))), List.of(), name, "v1", DIGEST);
  }

  @Test
  void namesCarryTheDigestPrefixSoARestartedOperatorFindsItsBuild() {
    Job job = BuildJob.job(request("petstore"), SETTINGS);
    ConfigMap context = BuildJob.context(request("petstore"));

    assertThat(job.getMetadata().getName()).isEqualTo("petstore-build-7354c2067616");
    assertThat(context.getMetadata().getName()).isEqualTo("petstore-context-7354c2067616");
    assertThat(job).isEqualTo(BuildJob.job(request("petstore"), SETTINGS));
    assertThat(job.getMetadata().getLabels()).containsEntry(BuildJob.LABEL_DIGEST, "7354c2067616");
    assertThat(job.getMetadata().getAnnotations()).containsEntry(BuildJob.ANNOTATION_DIGEST, DIGEST);
  }

  @Test
  void longApiNamesStillGiveValidNamesAndLabels() {
    String name = "a-very-long-api-name-that-goes-on-and-on-and-on-until-it-exceeds-sixty-three";
    Job job = BuildJob.job(request(name), SETTINGS);

    assertThat(job.getMetadata().getName()).hasSizeLessThanOrEqualTo(63).endsWith("-build-7354c2067616")
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(job.getMetadata().getLabels().get(BuildJob.LABEL_API)).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void bothObjectsAreOwnedByTheApi() {
    Job job = BuildJob.job(request("petstore"), SETTINGS);
    ConfigMap context = BuildJob.context(request("petstore"));

    for (var meta : List.of(job.getMetadata(), context.getMetadata())) {
      assertThat(meta.getNamespace()).isEqualTo("shop");
      assertThat(meta.getOwnerReferences()).singleElement().satisfies(owner -> {
        assertThat(owner.getUid()).isEqualTo("uid-1");
        assertThat(owner.getController()).isTrue();
        assertThat(owner.getKind()).isEqualTo("API");
      });
    }
  }

  @Test
  void contextConfigMapHoldsTheTarballAndIsImmutable() {
    ConfigMap context = BuildJob.context(request("petstore"));

    assertThat(context.getImmutable()).isTrue();
    assertThat(Base64.getDecoder().decode(context.getBinaryData().get(BuildJob.CONTEXT_KEY)))
        .isEqualTo(context("petstore").tarGz());
  }

  @Test
  void executorGetsDestinationLabelsAndReproducibleBuild() {
    List<String> args = kaniko(BuildJob.job(request("petstore"), SETTINGS)).getContainers().get(0).getArgs();

    assertThat(args).contains(
        "--context=tar:///workspace/context.tar.gz",
        "--destination=" + DESTINATION,
        "--reproducible",
        "--label=dev.gantry.bundle-digest=" + DIGEST,
        "--label=dev.gantry.api=petstore",
        "--label=dev.gantry.version=v1",
        "--build-arg=BUNDLE_DIGEST=" + DIGEST,
        "--build-arg=DEFINITIONS=petstore.yaml",
        "--build-arg=TOOLKIT_IMAGE=registry.example.com/gantry/toolkit:0.1.0",
        "--build-arg=RUNTIME_IMAGE=registry.example.com/gantry/runtime:0.1.0");
    assertThat(args).doesNotContain("--insecure", "--insecure-pull");
    assertThat(kaniko(BuildJob.job(request("petstore"), SETTINGS.withInsecureRegistry(true)))
        .getContainers().get(0).getArgs()).contains("--insecure", "--insecure-pull");
  }

  @Test
  void pushSecretIsMountedAsKanikosDockerConfigOnlyWhenSet() {
    PodSpec without = kaniko(BuildJob.job(request("petstore"), SETTINGS));
    PodSpec with = kaniko(BuildJob.job(request("petstore"), SETTINGS.withPushSecret("registry-push")));

    assertThat(without.getVolumes()).extracting("name").containsExactly("context");
    assertThat(with.getVolumes()).extracting("name").containsExactly("context", "docker-config");
    assertThat(with.getVolumes().get(1).getSecret().getSecretName()).isEqualTo("registry-push");
    assertThat(with.getVolumes().get(1).getSecret().getItems()).singleElement()
        .satisfies(item -> assertThat(item.getPath()).isEqualTo("config.json"));
    assertThat(with.getContainers().get(0).getVolumeMounts()).extracting("mountPath")
        .containsExactly("/workspace", "/kaniko/.docker");
  }

  @Test
  void buildPodHasNoSidecarNoRetriesAndABoundedLifetime() {
    Job job = BuildJob.job(request("petstore"), SETTINGS);

    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("sidecar.istio.io/inject", "false");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    assertThat(kaniko(job).getRestartPolicy()).isEqualTo("Never");
    assertThat(kaniko(job).getAutomountServiceAccountToken()).isFalse();
    assertThat(kaniko(job).getContainers().get(0).getImage()).isEqualTo(KanikoSettings.DEFAULT_EXECUTOR);
  }

  @Test
  void aDigestThatIsNotSha256IsABug() {
    assertThatThrownBy(() -> Names.buildJob("petstore", "latest")).isInstanceOf(IllegalArgumentException.class);
  }

  private static PodSpec kaniko(Job job) {
    return job.getSpec().getTemplate().getSpec();
  }
}
