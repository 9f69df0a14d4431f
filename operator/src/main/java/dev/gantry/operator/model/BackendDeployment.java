package dev.gantry.operator.model;

import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.EndpointSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backend of an Endpoint that names an image: a Deployment and a Service, both named after
 * the Endpoint, because the environment compiler points the gateway's upstream at
 * {@code <scheme>://<endpoint>:<port>}. Owned by the Endpoint, so it lives as long as the Endpoint.
 */
public final class BackendDeployment {
  static final int DEFAULT_PORT = 8080;

  private BackendDeployment() {}

  public static Deployment deployment(Endpoint endpoint) {
    EndpointSpec spec = endpoint.getSpec();
    return new DeploymentBuilder()
        .withMetadata(metadata(endpoint))
        .withNewSpec()
          .withReplicas(spec.getReplicas() == null ? 1 : spec.getReplicas())
          .withNewSelector().withMatchLabels(selector(endpoint)).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(selector(endpoint)).endMetadata()
            .withNewSpec()
              .addNewContainer()
                .withName("backend")
                .withImage(spec.getImage())
                .addNewPort().withName("http").withContainerPort(port(spec)).withProtocol("TCP").endPort()
                .withEnv(spec.getEnv())
                .withResources(spec.getResources())
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString("http")).endTcpSocket()
                  .withPeriodSeconds(5).endReadinessProbe()
              .endContainer()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  public static Service service(Endpoint endpoint) {
    int port = port(endpoint.getSpec());
    return new ServiceBuilder()
        .withMetadata(metadata(endpoint))
        .withNewSpec()
          .withSelector(selector(endpoint))
          // Same port number as the container, so the URL in environment.yaml needs no translation.
          .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString("http")).withProtocol("TCP")
            .endPort()
        .endSpec()
        .build();
  }

  static int port(EndpointSpec spec) {
    return spec.getPort() == null ? DEFAULT_PORT : spec.getPort();
  }

  private static Map<String, String> selector(Endpoint endpoint) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(GatewayLabels.NAME, "gantry");
    labels.put(GatewayLabels.COMPONENT, "backend");
    labels.put(GatewayLabels.INSTANCE, Names.labelValue(endpoint.getMetadata().getName()));
    return labels;
  }

  private static ObjectMeta metadata(Endpoint endpoint) {
    ObjectMeta owner = endpoint.getMetadata();
    Map<String, String> labels = selector(endpoint);
    labels.put(GatewayLabels.MANAGED_BY, "gantry-operator");
    return new ObjectMetaBuilder()
        .withName(owner.getName())
        .withNamespace(owner.getNamespace())
        .withLabels(labels)
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(endpoint.getApiVersion()).withKind(endpoint.getKind())
            .withName(owner.getName()).withUid(owner.getUid())
            .withController(true).withBlockOwnerDeletion(true).build())
        .build();
  }
}
