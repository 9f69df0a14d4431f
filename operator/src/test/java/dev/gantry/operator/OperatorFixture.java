package dev.gantry.operator;

import dev.gantry.toolkit.kubectl.SampleResources;
import static org.awaitility.Awaitility.await;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.operator.api.BuildContextSource;
import dev.gantry.operator.api.RegistryClients;
import dev.gantry.operator.settings.SettingsSource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Shared set-up of the reconciler ITs: CRDs and sample resources in fabric8's mock API server, and a running operator. */
public final class OperatorFixture {
  public static final Path SAMPLE = SampleResources.SAMPLE;
  public static final String OPERATOR_NAMESPACE = "gantry-system";

  private OperatorFixture() {}

  public static void installCrds(KubernetesClient client) throws IOException {
    try (var files = Files.list(Path.of("../crds/generated"))) {
      for (Path file : files.sorted().toList()) {
        client.apiextensions().v1().customResourceDefinitions()
            .resource(Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class)).create();
      }
    }
    namespace(client, OPERATOR_NAMESPACE);
  }

  public static void settings(KubernetesClient client, Map<String, String> data) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(SettingsSource.DEFAULT_NAME)
        .withNamespace(OPERATOR_NAMESPACE).endMetadata().withData(data).build()).createOr(r -> r.update());
  }

  public static Operator start(KubernetesClient client, PrometheusMeterRegistry metrics, BuildContextSource contexts) {
    Operator operator = GantryOperator.create(client, new OperatorOptions(Set.of(), OPERATOR_NAMESPACE,
        SettingsSource.DEFAULT_NAME, false, 4), metrics, new RegistryClients(Map.of(), null), contexts,
        Clock.systemUTC());
    operator.start();
    return operator;
  }

  public static PrometheusMeterRegistry metrics() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  public static void namespace(KubernetesClient client, String ns) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
  }

  /** The sample Endpoints, RateLimits, Securities and Secrets, in {@code ns}. */
  public static void sampleResources(KubernetesClient client, String ns) throws IOException {
    SampleResources.createIn(client, ns);
  }

  public static String petstoreDefinition() throws IOException {
    return Files.readString(SAMPLE.resolve("petstore.yaml"));
  }

  /** ConfigMap {@code NAME-openapi} with the definition, as kubectl add api writes it. */
  public static void definition(KubernetesClient client, String ns, String api, String text) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(api + "-openapi").withNamespace(ns)
        .endMetadata().addToData("petstore.yaml", text).build()).createOr(r -> r.update());
  }

  public static Api api(KubernetesClient client, String ns, String name, String version, ApiSpec extra) {
    ApiSpec spec = extra == null ? new ApiSpec() : extra;
    spec.setDefinitions(List.of(name + "-openapi"));
    spec.setVersion(version);
    if (spec.getReplicas() == null) {
      spec.setReplicas(2);
    }
    return client.resource(new Api(ns, name, spec)).create();
  }

  /** As {@code kubectl patch api NAME --type merge -p '{"spec": {"state": …}}'}: no resourceVersion, no 409 race. */
  public static void state(KubernetesClient client, String ns, String name, dev.gantry.crds.v1alpha1.ApiState state) {
    client.resources(Api.class).inNamespace(ns).withName(name).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"state\":\"" + state.name() + "\"}}");
  }

  public static Api get(KubernetesClient client, String ns, String name) {
    return client.resources(Api.class).inNamespace(ns).withName(name).get();
  }

  public static Optional<Condition> condition(KubernetesClient client, String ns, String name, String type) {
    Api api = get(client, ns, name);
    if (api == null || api.getStatus() == null || api.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return api.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Waits until the condition has this status (and reason, when given); returns it. */
  public static Condition awaitCondition(KubernetesClient client, String ns, String name, String type, String status,
                                         String reason) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> condition(client, ns, name, type)
            .filter(c -> status.equals(c.getStatus()) && (reason == null || reason.equals(c.getReason())))
            .orElse(null), c -> c != null);
  }

  /** The Events about one object, oldest first (as {@code kubectl describe} lists them). */
  public static List<Event> events(KubernetesClient client, String ns, String kind, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()))
        .toList();
  }

  /** Waits until the object has an Event of this type and reason; returns it. */
  public static Event awaitEvent(KubernetesClient client, String ns, String kind, String name, String type,
                                 String reason) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> events(client, ns, kind, name).stream()
            .filter(e -> type.equals(e.getType()) && reason.equals(e.getReason())).findFirst().orElse(null),
            e -> e != null);
  }
}
