package dev.gantry.operator.api;

import static dev.gantry.operator.OperatorFixture.api;
import static dev.gantry.operator.OperatorFixture.awaitCondition;
import static dev.gantry.operator.OperatorFixture.definition;
import static dev.gantry.operator.OperatorFixture.petstoreDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.crds.v1alpha1.Builder;
import dev.gantry.operator.OperatorFixture;
import dev.gantry.operator.model.BuildJob;
import dev.gantry.operator.model.Names;
import dev.gantry.operator.settings.SettingsParser;
import dev.gantry.operator.status.Conditions;
import dev.gantry.toolkit.image.testing.LocalRegistry;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kaniko builder on the mock API server: nothing runs the Job, so the test plays the Job
 * controller (marks it failed or succeeded, writes the pod's termination message). The registry
 * is real and empty for these APIs, so every lookup says "build".
 */
@EnableKubernetesMockClient(crud = true)
class KanikoBuildIT {
  static KubernetesClient client;
  static LocalRegistry registry;
  static final AtomicInteger TESTS = new AtomicInteger();

  final int n = TESTS.incrementAndGet();
  final String ns = "kaniko-" + n;
  final String name = "shop" + n;
  PrometheusMeterRegistry metrics;
  Operator operator;

  @BeforeAll
  static void cluster() throws Exception {
    registry = LocalRegistry.start();
    OperatorFixture.installCrds(client);
    OperatorFixture.settings(client, Map.of(SettingsParser.REGISTRY, registry.host() + "/apis",
        SettingsParser.INSECURE_REGISTRY, "true", SettingsParser.RUNTIME_IMAGE, "example.com/gantry/runtime:0.1.0",
        SettingsParser.TOOLKIT_IMAGE, "example.com/gantry/toolkit:0.1.0",
        SettingsParser.KANIKO_EXECUTOR_IMAGE, "example.com/kaniko/executor:v1"));
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void startOperatorAndApi() throws Exception {
    OperatorFixture.namespace(client, ns);
    OperatorFixture.sampleResources(client, ns);
    operator = start();
    definition(client, ns, name, petstoreDefinition());
    ApiSpec spec = new ApiSpec();
    spec.setBuilder(Builder.KANIKO);
    api(client, ns, name, "v1", spec);
  }

  Operator start() {
    metrics = OperatorFixture.metrics();
    return OperatorFixture.start(client, metrics, BuildContextSource.fromResolvedApi());
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(ns).withLabel(BuildJob.LABEL_API, name).list().getItems();
  }

  Job awaitJob() {
    awaitCondition(client, ns, name, Conditions.BUILT, Conditions.UNKNOWN, "Building");
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs().size() == 1);
    return jobs().get(0);
  }

  @Test
  void theJobIsCreatedAsSpecifiedAndAdoptedNotDuplicatedAfterARestart() {
    Job job = awaitJob();
    String message = OperatorFixture.get(client, ns, name).getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(Conditions.BUILT)).findFirst().orElseThrow().getMessage();
    assertThat(job.getMetadata().getName()).startsWith(name + "-build-");
    assertThat(message).contains(job.getMetadata().getName());
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("example.com/kaniko/executor:v1");
    assertThat(container.getArgs()).contains("--destination=" + registry.host() + "/apis/" + name + ":v1",
        "--digest-file=/dev/termination-log", "--insecure");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("API"));
    String context = Names.buildContext(name, job.getMetadata().getAnnotations().get(BuildJob.ANNOTATION_DIGEST));
    assertThat(client.configMaps().inNamespace(ns).withName(context).get().getBinaryData()).containsKey(BuildJob.CONTEXT_KEY);

    operator.stop();
    operator = start();
    await().atMost(Duration.ofSeconds(30)).until(() -> building() >= 1);
    assertThat(jobs()).hasSize(1);
    assertThat(jobs().get(0).getMetadata().getUid()).isEqualTo(job.getMetadata().getUid());
  }

  double building() {
    var counter = metrics.find("gantry.builds").tag("builder", "kaniko").tag("outcome", "building").counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aFailedJobIsBuiltFalseWithTheJobsReasonAndNothingIsDeployed() {
    Job job = awaitJob();
    job.setStatus(new JobStatusBuilder().withFailed(1).withConditions(new JobConditionBuilder().withType("Failed")
        .withStatus("True").withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
        .build()).build());
    client.resource(job).updateStatus();

    Condition built = awaitCondition(client, ns, name, Conditions.BUILT, Conditions.FALSE, "BuildFailed");
    assertThat(built.getMessage()).contains(job.getMetadata().getName()).contains("BackoffLimitExceeded");
    assertThat(client.apps().deployments().inNamespace(ns).withName(Names.gateway(name)).get()).isNull();
  }

  @Test
  void aSucceededJobDeploysTheDigestItsPodReported() {
    Job job = awaitJob();
    String digest = "sha256:" + "b".repeat(64);
    var pod = client.resource(new PodBuilder().withNewMetadata().withName(job.getMetadata().getName() + "-x1")
        .withNamespace(ns).addToLabels("job-name", job.getMetadata().getName()).endMetadata()
        .withNewSpec().addNewContainer().withName("kaniko").withImage("kaniko").endContainer().endSpec().build()).create();
    pod.setStatus(new PodStatusBuilder().addNewContainerStatus().withName("kaniko").withNewState().withNewTerminated()
        .withExitCode(0).withMessage(digest).endTerminated().endState().endContainerStatus().build());
    client.resource(pod).updateStatus();
    job.setStatus(new JobStatusBuilder().withSucceeded(1).build());
    client.resource(job).updateStatus();

    awaitCondition(client, ns, name, Conditions.BUILT, Conditions.TRUE, "Built");
    awaitCondition(client, ns, name, Conditions.DEPLOYED, Conditions.TRUE, null);
    Deployment deployment = client.apps().deployments().inNamespace(ns).withName(Names.gateway(name)).get();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(registry.host() + "/apis/" + name + "@" + digest);
  }
}
