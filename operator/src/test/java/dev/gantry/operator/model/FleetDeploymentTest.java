package dev.gantry.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.crds.v1alpha1.Autoscaling;
import dev.gantry.crds.v1alpha1.ContextRef;
import dev.gantry.crds.v1alpha1.ContextSecretRef;
import dev.gantry.crds.v1alpha1.FleetEndpoint;
import dev.gantry.crds.v1alpha1.FleetSource;
import dev.gantry.crds.v1alpha1.GatewayCluster;
import dev.gantry.crds.v1alpha1.GatewayClusterSpec;
import dev.gantry.crds.v1alpha1.ManagementContext;
import dev.gantry.crds.v1alpha1.ManagementContextSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FleetDeploymentTest {

  static GatewayCluster fleet(GatewayClusterSpec spec) {
    GatewayCluster fleet = new GatewayCluster("gateways", "edge", spec);
    fleet.getMetadata().setUid("uid-edge");
    return fleet;
  }

  static GatewayClusterSpec spec() {
    GatewayClusterSpec spec = new GatewayClusterSpec();
    spec.setRuntimeImage("registry/gantry/runtime:0.1.0");
    return spec;
  }

  static ManagementContext context(String namespace) {
    ContextSecretRef secret = new ContextSecretRef("repo-credentials");
    secret.setPasswordKey("pw");
    return new ManagementContext(namespace, "central",
        new ManagementContextSpec("jdbc:postgresql://repo:5432/gantry", secret, "prod"));
  }

  static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void kubernetesSourceArgsCarryClusterZoneSortedLabelsAndTheOwnNamespaceByDefault() {
    GatewayClusterSpec spec = spec();
    spec.setZone("eu-west-1");
    Map<String, String> labels = new TreeMap<>(java.util.Comparator.reverseOrder());
    labels.put("tier", "edge");
    labels.put("audience", "public");
    spec.setLabels(labels);
    var inputs = new FleetDeployment.Inputs(fleet(spec), "cluster-a", Optional.empty());

    assertThat(FleetDeployment.args(inputs)).containsExactly("fleet", "--fleet=edge", "--cluster=cluster-a",
        "--zone=eu-west-1", "--label=audience=public", "--label=fleet=edge", "--label=tier=edge",
        "--label=zone=eu-west-1", "--cache-dir=/var/cache/gantry", "--secrets-dir=/etc/gantry/secrets",
        "--drain-delay=5", "--source=kubernetes", "--namespaces=gateways");
    Container container = container(FleetDeployment.deployment(inputs));
    assertThat(container.getCommand()).containsExactly("/gantry/app/run");
    assertThat(container.getArgs()).isEqualTo(FleetDeployment.args(inputs));
    assertThat(container.getImage()).isEqualTo("registry/gantry/runtime:0.1.0");
    assertThat(container.getEnv()).isEmpty();

    spec.setNamespaces(List.of("shop", "billing"));
    assertThat(FleetDeployment.args(inputs)).contains("--namespaces=shop,billing").doesNotContain("--namespaces=gateways");
  }

  @Test
  void repositorySourceTakesUrlAndEnvironmentFromTheContextAndCredentialsFromItsSecret() {
    GatewayClusterSpec spec = spec();
    spec.setSource(FleetSource.REPOSITORY);
    spec.setContextRef(new ContextRef("central", null));
    var inputs = new FleetDeployment.Inputs(fleet(spec), "default", Optional.of(context("gateways")));

    assertThat(FleetDeployment.args(inputs)).contains("--source=repository",
        "--repository-url=jdbc:postgresql://repo:5432/gantry", "--environment=prod")
        .doesNotContain("--source=kubernetes").noneMatch(a -> a.startsWith("--namespaces") || a.startsWith("--zone"))
        .noneMatch(a -> a.contains("pw") || a.contains("repo-credentials"));
    Container container = container(FleetDeployment.deployment(inputs));
    assertThat(container.getEnv()).extracting(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName(),
        e -> e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("GANTRY_REPOSITORY_USER", "repo-credentials", "username"),
            org.assertj.core.groups.Tuple.tuple("GANTRY_REPOSITORY_PASSWORD", "repo-credentials", "pw"));
    assertThat(container.getEnv()).allSatisfy(e -> assertThat(e.getValue()).isNull());
    assertThat(FleetDeployment.deployment(inputs).getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
        .isFalse();
  }

  @Test
  void repositorySourceRefusesAMissingContextOrOneInAnotherNamespace() {
    GatewayClusterSpec spec = spec();
    spec.setSource(FleetSource.REPOSITORY);
    assertThatThrownBy(() -> FleetDeployment.args(new FleetDeployment.Inputs(fleet(spec), "c", Optional.empty())))
        .hasMessageContaining("no resolved context");
    assertThatThrownBy(() -> FleetDeployment.deployment(
        new FleetDeployment.Inputs(fleet(spec), "c", Optional.of(context("elsewhere")))))
        .hasMessageContaining("fleet's namespace");
  }

  @Test
  void aConnectionBoundIsPassedOnAndAnUnsetOneLeavesTheRuntimesDefault() {
    GatewayClusterSpec spec = spec();
    spec.setMaxConnections(10000);
    assertThat(FleetDeployment.args(new FleetDeployment.Inputs(fleet(spec), "c", Optional.empty())))
        .contains("--max-connections=10000");
    assertThat(FleetDeployment.args(new FleetDeployment.Inputs(fleet(spec()), "c", Optional.empty())))
        .noneMatch(arg -> arg.startsWith("--max-connections"));
    spec.setMaxConnectionsPerClient(50);
    assertThat(FleetDeployment.args(new FleetDeployment.Inputs(fleet(spec), "c", Optional.empty())))
        .contains("--max-connections=10000", "--max-connections-per-client=50");
  }

  @Test
  void tlsSecretIsMountedAndPassedAsCertAndKeyAndTheEndpointIsHttps() {
    GatewayClusterSpec spec = spec();
    spec.setTlsSecret("edge-tls");
    var inputs = new FleetDeployment.Inputs(fleet(spec), "c", Optional.empty());
    Deployment deployment = FleetDeployment.deployment(inputs);
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> "tls".equals(v.getName())).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("edge-tls"));
    assertThat(container(deployment).getVolumeMounts()).filteredOn(m -> "tls".equals(m.getName())).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/etc/gantry/tls"))
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(FleetDeployment.args(inputs)).contains("--tls-cert=/etc/gantry/tls/tls.crt",
        "--tls-key=/etc/gantry/tls/tls.key");
    assertThat(FleetDeployment.endpoints(inputs.fleet()))
        .containsExactly(new FleetEndpoint("https", "https://edge-fleet.gateways.svc:8080"));

    GatewayCluster plain = fleet(spec());
    Deployment without = FleetDeployment.deployment(new FleetDeployment.Inputs(plain, "c", Optional.empty()));
    assertThat(without.getSpec().getTemplate().getSpec().getVolumes()).extracting(Volume::getName)
        .containsExactly("cache", "tmp");
    assertThat(container(without).getVolumeMounts()).extracting(VolumeMount::getMountPath)
        .containsExactly("/var/cache/gantry", "/tmp");
    assertThat(container(without).getArgs()).noneMatch(a -> a.startsWith("--tls"));
    assertThat(FleetDeployment.endpoints(plain)).containsExactly(new FleetEndpoint("http", "http://edge-fleet.gateways.svc:8080"));
  }

  @Test
  void listedSecretsAreMountedReadOnlyWhereTheServedApisReadThemInAStableOrder() {
    GatewayClusterSpec spec = spec();
    spec.setSecrets(List.of("vault-keys", "billing.htpasswd", "vault-keys"));
    Deployment deployment = FleetDeployment.deployment(new FleetDeployment.Inputs(fleet(spec), "c", Optional.empty()));
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName()).containsExactly("billing.htpasswd", "vault-keys");
    assertThat(container(deployment).getVolumeMounts()).filteredOn(m -> m.getMountPath().startsWith("/etc/gantry/secrets/"))
        .extracting(VolumeMount::getMountPath, VolumeMount::getReadOnly)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/etc/gantry/secrets/billing.htpasswd", true),
            org.assertj.core.groups.Tuple.tuple("/etc/gantry/secrets/vault-keys", true));
    assertThat(container(deployment).getArgs()).contains("--secrets-dir=/etc/gantry/secrets");
  }

  @Test
  void objectsAreLabelledOwnedProbedAndTheServiceHasTrafficAndManagementPorts() {
    GatewayCluster fleet = fleet(spec());
    Deployment deployment = FleetDeployment.deployment(new FleetDeployment.Inputs(fleet, "c", Optional.empty()));
    assertThat(deployment.getMetadata().getName()).isEqualTo("edge-fleet");
    assertThat(deployment.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "gantry-fleet")
        .containsEntry("app.kubernetes.io/instance", "edge");
    assertThat(deployment.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-edge"))
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("GatewayCluster"));
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet().stream()
            .filter(e -> FleetDeployment.selector(fleet).containsKey(e.getKey()))
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    Container container = container(deployment);
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(container.getResources().getRequests()).as("defaults: the HPA needs a CPU request")
        .containsKeys("cpu", "memory");
    assertThat(container.getPorts()).anySatisfy(p -> {
      assertThat(p.getName()).isEqualTo("management"); // the name the probes use is the management port
      assertThat(p.getContainerPort()).isEqualTo(9090);
    });

    var service = FleetDeployment.service(fleet);
    assertThat(service.getMetadata().getName()).isEqualTo("edge-fleet");
    assertThat(service.getSpec().getSelector()).isEqualTo(FleetDeployment.selector(fleet));
    assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080),
            org.assertj.core.groups.Tuple.tuple("management", 9090));
    assertThat(service.getMetadata().getOwnerReferences()).hasSize(1);
  }

  @Test
  void anHpaOnlyWithAutoscalingAndThenTheDeploymentLeavesReplicasToIt() {
    GatewayClusterSpec spec = spec();
    spec.setReplicas(4);
    GatewayCluster fleet = fleet(spec);
    assertThat(FleetDeployment.autoscaler(fleet)).isEmpty();
    assertThat(FleetDeployment.deployment(new FleetDeployment.Inputs(fleet, "c", Optional.empty())).getSpec()
        .getReplicas()).isEqualTo(4);

    Autoscaling autoscaling = new Autoscaling();
    autoscaling.setMinReplicas(2);
    autoscaling.setMaxReplicas(8);
    spec.setAutoscaling(autoscaling);
    var hpa = FleetDeployment.autoscaler(fleet).orElseThrow();
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("edge-fleet");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
    assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(75);
    assertThat(FleetDeployment.deployment(new FleetDeployment.Inputs(fleet, "c", Optional.empty())).getSpec()
        .getReplicas()).isNull();
  }

  @Test
  void aFleetOfTwoOrMorePodsLosesAtMostOneToADrain() {
    GatewayClusterSpec spec = spec();
    GatewayCluster fleet = fleet(spec);
    var budget = FleetDeployment.disruptionBudget(fleet).orElseThrow(); // two pods by default
    assertThat(budget.getMetadata().getName()).isEqualTo("edge-fleet");
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(FleetDeployment.selector(fleet));

    spec.setReplicas(1);
    assertThat(FleetDeployment.disruptionBudget(fleet)).isEmpty();
  }

  @Test
  void aKubernetesSourceFleetRunsAsItsOwnAccountWhichMayOnlyReadConfigMapsInTheWatchedNamespaces() {
    GatewayClusterSpec spec = spec();
    spec.setNamespaces(List.of("shop", "gateways"));
    GatewayCluster fleet = fleet(spec);
    var pod = FleetDeployment.deployment(new FleetDeployment.Inputs(fleet, "c", Optional.empty())).getSpec()
        .getTemplate().getSpec();
    assertThat(FleetAccess.needed(fleet)).isTrue();
    assertThat(pod.getServiceAccountName()).isEqualTo("edge-fleet");
    assertThat(pod.getAutomountServiceAccountToken()).isTrue();

    ServiceAccount account = FleetAccess.serviceAccount(fleet);
    assertThat(account.getMetadata().getName()).isEqualTo(pod.getServiceAccountName());
    assertThat(account.getMetadata().getNamespace()).isEqualTo("gateways");
    assertThat(account.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-edge"));

    for (String ns : List.of("shop", "gateways")) {
      Role role = FleetAccess.role(fleet, ns);
      assertThat(role.getMetadata().getNamespace()).isEqualTo(ns);
      assertThat(role.getMetadata().getName()).isEqualTo("gateways.edge-fleet-bundles");
      assertThat(role.getMetadata().getLabels()).containsEntry(FleetAccess.LABEL_FLEET, "gateways.edge");
      assertThat(role.getRules()).singleElement().satisfies(rule -> {
        assertThat(rule.getApiGroups()).containsExactly("");
        assertThat(rule.getResources()).containsExactly("configmaps");
        assertThat(rule.getVerbs()).containsExactly("get", "list", "watch");
        assertThat(rule.getResourceNames()).isNullOrEmpty();
      });
      RoleBinding binding = FleetAccess.roleBinding(fleet, ns);
      assertThat(binding.getMetadata().getNamespace()).isEqualTo(ns);
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo("edge-fleet");
        assertThat(subject.getNamespace()).isEqualTo("gateways");
      });
    }
    // Owner references cannot cross namespaces: only the fleet's own namespace's objects are owned.
    assertThat(FleetAccess.role(fleet, "gateways").getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(FleetAccess.role(fleet, "shop").getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(FleetAccess.roleBinding(fleet, "shop").getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void aRepositorySourceFleetHasNoAccountOfItsOwnAndNoToken() {
    GatewayClusterSpec spec = spec();
    spec.setSource(FleetSource.REPOSITORY);
    spec.setContextRef(new ContextRef("central", null));
    GatewayCluster fleet = fleet(spec);
    var pod = FleetDeployment.deployment(new FleetDeployment.Inputs(fleet, "c", Optional.of(context("gateways"))))
        .getSpec().getTemplate().getSpec();
    assertThat(FleetAccess.needed(fleet)).isFalse();
    assertThat(pod.getServiceAccountName()).isNull();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void readerNamesOfFleetsInDifferentNamespacesNeverCollide() {
    assertThat(Names.fleetBundleReader("a-b", "c")).isNotEqualTo(Names.fleetBundleReader("a", "b-c"));
    assertThat(Names.fleetBundleReader("team", "x".repeat(80))).hasSizeLessThanOrEqualTo(63).endsWith("-fleet-bundles");
  }
}
