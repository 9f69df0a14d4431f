package dev.gantry.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sample YAML of each kind reaches the Java types and goes back out without unset fields. */
class RoundTripTest {

  static final String API = """
      apiVersion: gantry.dev/v1alpha1
      kind: API
      metadata: {name: petstore, namespace: shop}
      spec:
        definitions: [petstore-openapi]
        version: 1.0.3
        replicas: 2
        override: true
        builder: kaniko
        env: [{name: LOG_LEVEL, value: debug}]
        exposure:
          type: Ingress
          host: pets.example.com
          ingressClassName: nginx
          tlsSecretName: pets-tls
          annotations: {a: b}
        autoscaling: {minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 70}
        resources: {requests: {cpu: 100m, memory: 128Mi}}
      status:
        observedGeneration: 3
        image: registry/petstore:1.0.3@sha256:abc
        bundleDigest: sha256:def
        url: https://pets.example.com
        readyReplicas: 2
        conditions:
        - {type: Ready, status: "True", reason: Deployed, lastTransitionTime: "2026-01-01T00:00:00Z"}
      """;

  @Test
  void api() {
    Api api = Serialization.unmarshal(API, Api.class);
    assertThat(api.getKind()).isEqualTo("API");
    assertThat(api.getMetadata().getNamespace()).isEqualTo("shop");
    ApiSpec spec = api.getSpec();
    assertThat(spec.getDefinitions()).containsExactly("petstore-openapi");
    assertThat(spec.getVersion()).isEqualTo("1.0.3");
    assertThat(spec.getReplicas()).isEqualTo(2);
    assertThat(spec.getOverride()).isTrue();
    assertThat(spec.getBuilder()).isEqualTo(Builder.KANIKO);
    assertThat(spec.getImage()).isNull();
    assertThat(spec.getEnv().get(0).getValue()).isEqualTo("debug");
    assertThat(spec.getExposure().getType()).isEqualTo(ExposureType.INGRESS);
    assertThat(spec.getExposure().getHost()).isEqualTo("pets.example.com");
    assertThat(spec.getExposure().getIngressClassName()).isEqualTo("nginx");
    assertThat(spec.getExposure().getTlsSecretName()).isEqualTo("pets-tls");
    assertThat(spec.getExposure().getAnnotations()).containsEntry("a", "b");
    assertThat(spec.getAutoscaling().getMaxReplicas()).isEqualTo(5);
    assertThat(spec.getAutoscaling().getTargetCPUUtilizationPercentage()).isEqualTo(70);
    assertThat(spec.getResources().getRequests()).containsEntry("cpu", new Quantity("100m"));
    ApiStatus status = api.getStatus();
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getImage()).endsWith("@sha256:abc");
    assertThat(status.getBundleDigest()).isEqualTo("sha256:def");
    assertThat(status.getUrl()).isEqualTo("https://pets.example.com");
    assertThat(status.getReadyReplicas()).isEqualTo(2);
    assertThat(status.getConditions().get(0).getStatus()).isEqualTo("True");

    Api again = Serialization.unmarshal(Serialization.asYaml(api), Api.class);
    assertThat(again).usingRecursiveComparison().isEqualTo(api);
    // The generic unmarshal finds the class through META-INF/services registration.
    assertThat(Serialization.<Object>unmarshal(API)).isInstanceOf(Api.class);
  }

  @Test
  void unsetFieldsAreNotSerialized() {
    ApiSpec spec = new ApiSpec();
    spec.setDefinitions(List.of("a"));
    spec.setVersion("1");
    spec.setBuilder(Builder.JIB);
    Api api = new Api("ns", "a", spec);
    ApiStatus status = new ApiStatus();
    status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("False").build()));
    api.setStatus(status);
    String yaml = Serialization.asYaml(api);
    assertThat(yaml).contains("apiVersion: \"gantry.dev/v1alpha1\"", "kind: \"API\"", "builder: \"jib\"")
        .doesNotContain("replicas", "override", "image", "exposure", "null", "observedGeneration");
  }

  @Test
  void endpoint() {
    Endpoint endpoint = Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: pets-backend}
        spec:
          urls: [https://a.internal:8443, https://b.internal:8443]
          protocol: https
          timeouts: {connect: 2s, response: 30s}
          caSecretRef: {name: backend-ca, key: ca.crt}
        """, Endpoint.class);
    EndpointSpec spec = endpoint.getSpec();
    assertThat(spec.getUrls()).containsExactly("https://a.internal:8443", "https://b.internal:8443");
    assertThat(spec.getProtocol()).isEqualTo(EndpointProtocol.HTTPS);
    assertThat(spec.getTimeouts().getConnect()).isEqualTo("2s");
    assertThat(spec.getTimeouts().getResponse()).isEqualTo("30s");
    assertThat(spec.getCaSecretRef()).isEqualTo(new SecretKeyRef("backend-ca", "ca.crt"));

    Endpoint deployed = Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: echo}
        spec: {image: "registry/echo:1", port: 9000, replicas: 0, env: [{name: X, value: "1"}],
               resources: {limits: {memory: 64Mi}}}
        """, Endpoint.class);
    assertThat(deployed.getSpec().getImage()).isEqualTo("registry/echo:1");
    assertThat(deployed.getSpec().getPort()).isEqualTo(9000);
    assertThat(deployed.getSpec().getReplicas()).isZero();
    assertThat(deployed.getSpec().getEnv()).hasSize(1);
    assertThat(deployed.getSpec().getResources().getLimits()).containsKey("memory");
  }

  @Test
  void rateLimit() {
    RateLimit rateLimit = Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: RateLimit
        metadata: {name: gold}
        spec: {requests: 100, per: 1m, burst: 20, scope: consumer, key: {header: X-Client-Id}}
        """, RateLimit.class);
    RateLimitSpec spec = rateLimit.getSpec();
    assertThat(spec.getRequests()).isEqualTo(100);
    assertThat(spec.getPer()).isEqualTo("1m");
    assertThat(spec.getBurst()).isEqualTo(20);
    assertThat(spec.getScope()).isEqualTo(RateLimitScope.CONSUMER);
    assertThat(spec.getKey().getHeader()).isEqualTo("X-Client-Id");
    assertThat(spec.getKey().getClaim()).isNull();
  }

  @Test
  void security() {
    Security jwt = Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: Security
        metadata: {name: corp-jwt}
        spec:
          type: jwt
          jwt: {issuer: "https://idp", audiences: [pets], jwksUrl: "https://idp/jwks", clockSkew: 30s,
                principalClaim: email}
        """, Security.class);
    assertThat(jwt.getSpec().getType()).isEqualTo(SecurityType.JWT);
    assertThat(jwt.getSpec().getJwt().getIssuer()).isEqualTo("https://idp");
    assertThat(jwt.getSpec().getJwt().getAudiences()).containsExactly("pets");
    assertThat(jwt.getSpec().getJwt().getJwksUrl()).isEqualTo("https://idp/jwks");
    assertThat(jwt.getSpec().getJwt().getClockSkew()).isEqualTo("30s");
    assertThat(jwt.getSpec().getJwt().getPrincipalClaim()).isEqualTo("email");

    Security all = Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: Security
        metadata: {name: everything}
        spec:
          type: apikey
          jwt: {issuer: i, certificateSecretRef: {name: jwt-cert, key: tls.crt}}
          oauth2: {introspectionUrl: "https://idp/introspect", clientId: gw,
                   clientSecretRef: {name: idp, key: secret}, cacheTtl: 60s}
          basic: {credentialsSecretRef: {name: users, key: htpasswd}, realm: pets}
          apikey: {in: query, name: api_key, keysSecretRef: {name: keys, key: keys}}
          mtls: {caSecretRef: {name: client-ca, key: ca.crt}, principalFrom: san-email}
        """, Security.class);
    SecuritySpec spec = all.getSpec();
    assertThat(spec.getType()).isEqualTo(SecurityType.APIKEY);
    assertThat(spec.getJwt().getCertificateSecretRef()).isEqualTo(new SecretKeyRef("jwt-cert", "tls.crt"));
    assertThat(spec.getOauth2().getIntrospectionUrl()).isEqualTo("https://idp/introspect");
    assertThat(spec.getOauth2().getClientId()).isEqualTo("gw");
    assertThat(spec.getOauth2().getClientSecretRef().getKey()).isEqualTo("secret");
    assertThat(spec.getOauth2().getCacheTtl()).isEqualTo("60s");
    assertThat(spec.getBasic().getCredentialsSecretRef().getName()).isEqualTo("users");
    assertThat(spec.getBasic().getRealm()).isEqualTo("pets");
    assertThat(spec.getApikey().getIn()).isEqualTo(ApiKeyLocation.QUERY);
    assertThat(spec.getApikey().getName()).isEqualTo("api_key");
    assertThat(spec.getApikey().getKeysSecretRef().getName()).isEqualTo("keys");
    assertThat(spec.getMtls().getCaSecretRef().getName()).isEqualTo("client-ca");
    assertThat(spec.getMtls().getPrincipalFrom()).isEqualTo("san-email");
    assertThat(Serialization.asYaml(all)).contains("in: \"query\"").doesNotContain("in_");
  }

  @Test
  void unknownEnumValuesAreRejected() {
    assertThatThrownBy(() -> Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: API
        metadata: {name: a}
        spec: {definitions: [a], version: "1", builder: docker}
        """, Api.class)).hasStackTraceContaining("not one of the values accepted").hasStackTraceContaining("docker");
    assertThatThrownBy(() -> Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: Security
        metadata: {name: s}
        spec: {type: JWT}
        """, Security.class)).hasStackTraceContaining("not one of the values accepted").hasStackTraceContaining("JWT");
    assertThatThrownBy(() -> Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: RateLimit
        metadata: {name: r}
        spec: {requests: 1, per: 1s, scope: global}
        """, RateLimit.class)).hasStackTraceContaining("not one of the values accepted").hasStackTraceContaining("global");
  }

  @Test
  void fleetFieldsOfAnApi() {
    Api api = Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: API
        metadata: {name: pets, namespace: shop}
        spec:
          definitions: [pets-openapi]
          version: "1"
          local: false
          state: STOPPED
          contextRef: {name: central, namespace: gantry-system}
          gateways: {matchLabels: {tier: edge}}
        """, Api.class);
    assertThat(api.getSpec().getLocal()).isFalse();
    assertThat(api.getSpec().localOrDefault()).isFalse();
    assertThat(api.getSpec().getState()).isEqualTo(ApiState.STOPPED);
    assertThat(api.getSpec().getContextRef()).isEqualTo(new ContextRef("central", "gantry-system"));
    assertThat(api.getSpec().getGateways().getMatchLabels()).containsEntry("tier", "edge");
    ApiSpec unset = new ApiSpec();
    assertThat(unset.localOrDefault()).isTrue();
    assertThat(unset.stateOrDefault()).isEqualTo(ApiState.STARTED);
    assertThat(new ContextRef("c", null).namespaceOr("shop")).isEqualTo("shop");
    assertThat(Serialization.asYaml(api)).doesNotContain("localOrDefault", "stateOrDefault");
  }

  @Test
  void managementContextAndGatewayCluster() {
    ManagementContext context = Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: ManagementContext
        metadata: {name: central, namespace: gantry-system}
        spec:
          jdbcUrl: jdbc:postgresql://repo:5432/gantry
          secretRef: {name: repo-credentials, passwordKey: pw}
          environment: prod
        """, ManagementContext.class);
    assertThat(context.getSpec().getJdbcUrl()).isEqualTo("jdbc:postgresql://repo:5432/gantry");
    assertThat(context.getSpec().getSecretRef().getName()).isEqualTo("repo-credentials");
    assertThat(context.getSpec().getSecretRef().usernameKeyOrDefault()).isEqualTo("username");
    assertThat(context.getSpec().getSecretRef().passwordKeyOrDefault()).isEqualTo("pw");
    assertThat(context.getSpec().getEnvironment()).isEqualTo("prod");

    GatewayCluster fleet = Serialization.unmarshal("""
        apiVersion: gantry.dev/v1alpha1
        kind: GatewayCluster
        metadata: {name: edge, namespace: gateways}
        spec:
          runtimeImage: registry/gantry/runtime:0.1.0
          replicas: 3
          tlsSecret: edge-tls
          zone: eu-west-1
          labels: {tier: edge}
          source: repository
          contextRef: {name: central}
          namespaces: [shop, billing]
        status:
          phase: Degraded
          ready: 1/3
          readyReplicas: 1
          replicas: 3
          endpoints: [{name: http, uri: "http://edge.gateways.svc:8080"}]
        """, GatewayCluster.class);
    GatewayClusterSpec spec = fleet.getSpec();
    assertThat(spec.getRuntimeImage()).isEqualTo("registry/gantry/runtime:0.1.0");
    assertThat(spec.getReplicas()).isEqualTo(3);
    assertThat(spec.getTlsSecret()).isEqualTo("edge-tls");
    assertThat(spec.getZone()).isEqualTo("eu-west-1");
    assertThat(spec.getLabels()).containsEntry("tier", "edge");
    assertThat(spec.getSource()).isEqualTo(FleetSource.REPOSITORY);
    assertThat(spec.getContextRef().getName()).isEqualTo("central");
    assertThat(spec.getNamespaces()).containsExactly("shop", "billing");
    assertThat(fleet.getStatus().getPhase()).isEqualTo(FleetPhase.DEGRADED);
    assertThat(fleet.getStatus().getReady()).isEqualTo("1/3");
    assertThat(fleet.getStatus().getEndpoints()).containsExactly(new FleetEndpoint("http", "http://edge.gateways.svc:8080"));
    assertThat(Serialization.asYaml(fleet)).contains("source: \"repository\"", "phase: \"Degraded\"");
    assertThat(Serialization.<Object>unmarshal(Serialization.asYaml(fleet))).isInstanceOf(GatewayCluster.class);
  }
}
