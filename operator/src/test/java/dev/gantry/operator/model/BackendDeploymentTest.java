package dev.gantry.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.EndpointSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class BackendDeploymentTest {
  static Endpoint endpoint(Integer port) {
    Endpoint endpoint = new Endpoint();
    endpoint.setMetadata(new ObjectMetaBuilder().withName("orders-service").withNamespace("shop").withUid("u2").build());
    EndpointSpec spec = new EndpointSpec();
    spec.setImage("registry.example.com/orders:2.4.1");
    spec.setPort(port);
    spec.setReplicas(2);
    endpoint.setSpec(spec);
    return endpoint;
  }

  @Test
  void serviceIsNamedAfterTheEndpointOnTheContainerPortSoTheCompiledUrlReachesIt() {
    var service = BackendDeployment.service(endpoint(9000));
    var deployment = BackendDeployment.deployment(endpoint(9000));

    // EnvironmentCompiler writes http://orders-service:9000 for this Endpoint.
    assertThat(service.getMetadata().getName()).isEqualTo("orders-service");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(9000);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example.com/orders:2.4.1");
    assertThat(deployment.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Endpoint");
  }

  @Test
  void portDefaultsTo8080() {
    assertThat(BackendDeployment.service(endpoint(null)).getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
  }
}
