package dev.gantry.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.GatewayCluster;
import dev.gantry.crds.v1alpha1.ManagementContext;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.Security;
import dev.gantry.operator.settings.SettingsParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** operator/deploy: parses, carries the current CRDs, grants exactly what the reconcilers use. */
class DeployManifestsTest {
  static final Path DEPLOY = Path.of("deploy");

  /**
   * What the code does against the API server, as group/resource:verb. Kept beside the code that
   * does it: Applier (get, create, update), GatewayRollout and EndpointReconciler (delete),
   * ApiEventSources (its Service, HPA and Ingress informers included) and the Endpoint informer (list, watch), the fleet reconcilers (GatewayCluster,
   * ManagementContext and its finalizer; FleetRollout deletes a bundle or gateway an API no longer uses and
   * holds a local: false API by a finalizer), KanikoBuilds/KanikoJobs (create,
   * pods list, pods/log), EventRecorder, the status patch, JOSDK's leader election; GatewayClusterReconciler's
   * access step (a kubernetes-source fleet's ServiceAccount, Roles and RoleBindings; list to find stale ones).
   */
  static final Set<String> USED = new TreeSet<>(List.of(
      uses(Api.class, "get", "list", "watch", "patch"), uses(Endpoint.class, "get", "list", "watch"),
      uses(RateLimit.class, "get", "list", "watch"), uses(Security.class, "get", "list", "watch"),
      "gantry.dev/apis/status:get", "gantry.dev/apis/status:patch",
      "gantry.dev/endpoints/status:get", "gantry.dev/endpoints/status:patch",
      uses(GatewayCluster.class, "get", "list", "watch", "patch", "update"), "gantry.dev/gatewayclusters/status:get",
      "gantry.dev/gatewayclusters/status:patch",
      uses(ManagementContext.class, "get", "list", "watch", "patch", "update"),
      "gantry.dev/managementcontexts/status:get", "gantry.dev/managementcontexts/status:patch",
      uses(ConfigMap.class, "get", "list", "watch", "create", "update", "delete"),
      uses(Secret.class, "get", "list", "watch"),
      uses(Service.class, "get", "list", "watch", "create", "update", "delete"),
      uses(Deployment.class, "get", "list", "watch", "create", "update", "delete"),
      uses(HorizontalPodAutoscaler.class, "get", "list", "watch", "create", "update", "delete"),
      uses(Ingress.class, "get", "list", "watch", "create", "update", "delete"),
      uses(PodDisruptionBudget.class, "get", "list", "watch", "create", "update", "delete"),
      uses(Job.class, "get", "list", "watch", "create"),
      uses(Pod.class, "get", "list"), "/pods/log:get",
      uses(ServiceAccount.class, "get", "create", "update", "delete"),
      uses(Role.class, "get", "list", "create", "update", "delete"),
      uses(RoleBinding.class, "get", "list", "create", "update", "delete"),
      "/events:create", "/events:patch"));

  static String uses(Class<? extends HasMetadata> kind, String... verbs) {
    return String.join(",", java.util.Arrays.stream(verbs)
        .map(v -> HasMetadata.getGroup(kind) + "/" + HasMetadata.getPlural(kind) + ":" + v).toList());
  }

  static List<HasMetadata> documents(String file) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    for (String document : Files.readString(DEPLOY.resolve(file)).split("(?m)^---$")) {
      if (!document.strip().lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
        out.add(Serialization.unmarshal(document, HasMetadata.class));
      }
    }
    return out;
  }

  static Set<String> granted(List<PolicyRule> rules) {
    Set<String> grants = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          rule.getVerbs().forEach(verb -> grants.add(group + "/" + resource + ":" + verb));
        }
      }
    }
    return grants;
  }

  @Test
  void theClusterRoleGrantsExactlyWhatTheReconcilersUse() throws IOException {
    Set<String> used = new TreeSet<>();
    USED.forEach(u -> used.addAll(List.of(u.split(","))));
    ClusterRole role = (ClusterRole) documents("rbac.yaml").stream().filter(ClusterRole.class::isInstance)
        .findFirst().orElseThrow();
    assertThat(granted(role.getRules())).isEqualTo(used);
    assertThat(granted(role.getRules())).noneMatch(g -> g.contains("*"))
        .noneMatch(g -> g.startsWith("/secrets:") && !g.matches("/secrets:(get|list|watch)"));
  }

  @Test
  void leaderElectionMayOnlyTouchLeasesInTheOperatorNamespace() throws IOException {
    Role role = (Role) documents("rbac.yaml").stream().filter(Role.class::isInstance).findFirst().orElseThrow();
    assertThat(role.getMetadata().getNamespace()).isEqualTo(OperatorFixture.OPERATOR_NAMESPACE);
    assertThat(granted(role.getRules())).containsExactlyInAnyOrder(
        uses(Lease.class, "get", "create", "update").split(","));
  }

  @Test
  void theCrdCopiesAreTheGeneratedOnes() throws IOException {
    try (var generated = Files.list(Path.of("../crds/generated"))) {
      for (Path file : generated.toList()) {
        assertThat(DEPLOY.resolve("crds").resolve(file.getFileName()))
            .as("operator/deploy/crds is stale: cp crds/generated/*.yml operator/deploy/crds/")
            .hasSameBinaryContentAs(file);
        assertThat(Files.readString(DEPLOY.resolve("kustomization.yaml"))).contains("crds/" + file.getFileName());
      }
    }
  }

  @Test
  void everyKustomizationResourceExistsAndParses() throws IOException {
    Map<?, ?> kustomization = Serialization.unmarshal(Files.readString(DEPLOY.resolve("kustomization.yaml")), Map.class);
    for (Object resource : (List<?>) kustomization.get("resources")) {
      assertThat(DEPLOY.resolve((String) resource)).exists();
      assertThat(documents((String) resource)).isNotEmpty();
    }
  }

  @Test
  void theOperatorRunsAsNonRootOnAReadOnlyRootWithProbes() throws IOException {
    Deployment deployment = (Deployment) documents("deployment.yaml").get(0);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(pod.getServiceAccountName()).isEqualTo("gantry-operator");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getStartupProbe().getPeriodSeconds() * container.getStartupProbe().getFailureThreshold())
        .as("seconds a start may take").isGreaterThanOrEqualTo(120);
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }

  @Test
  void theShippedSettingsAreValid() throws IOException {
    ConfigMap settings = (ConfigMap) documents("settings.yaml").get(0);
    SettingsParser.Result result = SettingsParser.parse(settings.getData());
    assertThat(result.errors()).isEmpty();
  }
}
