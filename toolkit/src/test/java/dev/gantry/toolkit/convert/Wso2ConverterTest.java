package dev.gantry.toolkit.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.RateLimitScope;
import dev.gantry.crds.v1alpha1.SecretKeyRef;
import dev.gantry.crds.v1alpha1.Security;
import dev.gantry.crds.v1alpha1.SecurityType;
import dev.gantry.toolkit.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each WSO2 resource kind converted, and what cannot be mapped reported with file, line and field. */
class Wso2ConverterTest {
  private static final Path SAMPLE = Path.of("../samples/wso2/resources.yaml");

  @TempDir
  Path temp;

  private Wso2Converter.Result convert(String yaml) throws IOException {
    Path file = temp.resolve("wso2.yaml");
    Files.writeString(file, yaml);
    return Wso2Files.convert(List.of(file));
  }

  private List<String> messages(Wso2Converter.Result result) {
    return result.problems().stream().map(Problem::toString).map(m -> m.replace(temp + "/", "")).toList();
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T find(Wso2Converter.Result result, Class<T> type, String name) {
    return (T) result.resources().stream().filter(r -> type.isInstance(r) && r.getMetadata().getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError(type.getSimpleName() + "/" + name + " not converted"));
  }

  @Test
  void everyKindOfTheSampleConverts() {
    Wso2Converter.Result result = Wso2Files.convert(List.of(SAMPLE));
    assertThat(result.problems()).noneMatch(Problem::isError);

    Api api = find(result, Api.class, "petstore");
    assertThat(api.getSpec().getDefinitions()).containsExactly("petstore-swagger");
    assertThat(api.getSpec().getVersion()).isEqualTo("v1");
    assertThat(api.getSpec().getReplicas()).isEqualTo(2);
    assertThat(api.getSpec().getOverride()).isFalse();

    Endpoint endpoint = find(result, Endpoint.class, "inventory-backend");
    assertThat(endpoint.getSpec().getImage()).isEqualTo("example/inventory:1.0.0");
    assertThat(endpoint.getSpec().getPort()).isEqualTo(9090);
    assertThat(endpoint.getSpec().getReplicas()).isEqualTo(1);
    assertThat(endpoint.getSpec().getResources().getLimits().get("memory").toString()).isEqualTo("64Mi");

    RateLimit four = find(result, RateLimit.class, "fourreqpolicy");
    assertThat(four.getSpec().getRequests()).isEqualTo(4);
    assertThat(four.getSpec().getPer()).isEqualTo("1m");
    assertThat(four.getSpec().getScope()).isEqualTo(RateLimitScope.API);
    assertThat(find(result, RateLimit.class, "bandwidthpolicy").getSpec().getPer()).isEqualTo("2h");

    Security jwt = find(result, Security.class, "petstorejwt");
    assertThat(jwt.getSpec().getType()).isEqualTo(SecurityType.JWT);
    assertThat(jwt.getSpec().getJwt().getIssuer()).isEqualTo("https://wso2apim:32001/oauth2/token");
    assertThat(jwt.getSpec().getJwt().getAudiences()).containsExactly("http://org.wso2.apimgt/gateway");
    // The Secret is among the inputs with one key: that key is used, no guess to report.
    assertThat(jwt.getSpec().getJwt().getCertificateSecretRef()).isEqualTo(new SecretKeyRef("wso2am-secret", "server.pem"));
    assertThat(find(result, Security.class, "petstorekeys").getSpec().getApikey().getName()).isEqualTo("apikey");
    assertThat(find(result, Security.class, "petstorebasic").getSpec().getBasic().getCredentialsSecretRef())
        .isEqualTo(new SecretKeyRef("petstore-users-htpasswd", "htpasswd"));
    assertThat(find(result, Security.class, "petstoreoauth").getSpec().getOauth2().getIntrospectionUrl())
        .isEqualTo("https://wso2apim.wso2:32001/oauth2/introspect");
    // Secrets are never copied.
    assertThat(result.resources()).noneMatch(r -> r.getKind().equals("Secret"));
  }

  @Test
  void theSamplesUnmappableFieldsAreNamedWithFileLineAndField() {
    assertThat(messages(Wso2Files.convert(List.of(SAMPLE)))).contains(
        "warning: ../samples/wso2/resources.yaml:30: wso2 TargetEndpoint/inventory-backend: spec.deploy.maxReplicas: "
            + "not mapped: Gantry does not autoscale Endpoint backends; it runs minReplicas (1) pods",
        "warning: ../samples/wso2/resources.yaml:59: wso2 RateLimiting/bandwidthpolicy: spec.bandwidth: not mapped: "
            + "Gantry counts requests, not bytes; only requestCount.limit applies")
        .anyMatch(m -> m.startsWith("warning: ../samples/wso2/resources.yaml:92: wso2 Security/petstorebasic: "
            + "spec.securityConfig.0.credentials:") && m.contains("--from-literal=htpasswd=\"$(htpasswd -nbB USER PASSWORD)\""));
  }

  @Test
  void unmappableRateLimitsAreErrors() throws IOException {
    assertThat(messages(convert("""
        apiVersion: wso2.com/v1alpha1
        kind: RateLimiting
        metadata: {name: bytes}
        spec: {type: advance, timeUnit: min, unitTime: 1, bandwidth: {dataAmount: 1, dataUnit: GB}}
        ---
        apiVersion: wso2.com/v1alpha1
        kind: RateLimiting
        metadata: {name: monthly}
        spec:
          type: subscription
          timeUnit: month
          unitTime: 1
          requestCount: {limit: 1000}
        ---
        apiVersion: wso2.com/v1alpha1
        kind: RateLimiting
        metadata: {name: weekly}
        spec: {type: application, timeUnit: week, unitTime: 2, requestCount: {limit: 10}, conditionalGroups: []}
        """))).containsExactlyInAnyOrder(
        "error: wso2.yaml:4: wso2 RateLimiting/bytes: spec.bandwidth: cannot be mapped: Gantry counts requests, not "
            + "bytes (a bandwidth quota has no equivalent)",
        "error: wso2.yaml:11: wso2 RateLimiting/monthly: spec.timeUnit: \"month\" × unitTime 1 cannot be mapped: use "
            + "sec, min, hour, day or week with a positive unitTime (Gantry periods are fixed lengths, not calendar "
            + "months or years)",
        "warning: wso2.yaml:18: wso2 RateLimiting/weekly: spec.type: application quotas count per consumer in Gantry: "
            + "per authenticated principal (token subject, API key consumer, user), as Gantry has no subscriptions or "
            + "applications",
        "warning: wso2.yaml:18: wso2 RateLimiting/weekly: spec.conditionalGroups: not mapped: Gantry quotas have no "
            + "conditions (header, IP, query or claim based groups)");
  }

  @Test
  void severalSecurityConfigsBecomeSeveralSecurities() throws IOException {
    Wso2Converter.Result result = convert("""
        apiVersion: wso2.com/v1alpha1
        kind: Security
        metadata: {name: idp, namespace: shop}
        spec:
          type: JWT
          securityConfig:
            - {issuer: https://a.example.com, jwksURL: https://a.example.com/jwks, validateSubscription: true}
            - {issuer: https://b.example.com, certificate: b-cert}
            - {audience: x}
        """);
    assertThat(result.resources()).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactly("shop/idp", "shop/idp-2");
    assertThat(find(result, Security.class, "idp-2").getSpec().getJwt().getCertificateSecretRef())
        .isEqualTo(new SecretKeyRef("b-cert", "server.pem"));
    assertThat(messages(result)).containsExactlyInAnyOrder(
        "error: wso2.yaml:9: wso2 Security/idp: spec.securityConfig.2.issuer: is missing: Gantry checks the token's iss",
        "warning: wso2.yaml:7: wso2 Security/idp: spec.securityConfig.0.validateSubscription: not mapped: Gantry has "
            + "no API Manager subscriptions; any valid token of the issuer is admitted (use scopes or audience to narrow)",
        "warning: wso2.yaml:8: wso2 Security/idp: spec.securityConfig.1.certificate: Gantry needs the key inside "
            + "Secret \"b-cert\" too: `server.pem` is assumed (the Secret is not among the inputs); change "
            + "certificateSecretRef.key if needed",
        "warning: wso2.yaml:8: wso2 Security/idp: spec.securityConfig.1: became Security \"idp-2\": a definition's "
            + "`security: [{idp: []}]` accepts only the first entry; add `{idp-2: []}` as another alternative to "
            + "accept this one too");
  }

  @Test
  void endpointsAndApisReportWhatTheyCannotKeep() throws IOException {
    List<String> messages = messages(convert("""
        apiVersion: wso2.com/v1alpha1
        kind: TargetEndpoint
        metadata: {name: side}
        spec:
          applicationProtocol: grpc
          ports: [{name: p, port: 80, targetPort: 80}]
          deploy: {name: side, dockerImage: example/side:1}
          mode: sidecar
        ---
        apiVersion: wso2.com/v1alpha1
        kind: TargetEndpoint
        metadata: {name: external}
        spec: {applicationProtocol: http, ports: [{port: 80}]}
        ---
        apiVersion: wso2.com/v1alpha1
        kind: API
        metadata: {name: shop}
        spec:
          definition:
            swaggerConfigmapNames: [shop-swagger]
            interceptors: {ballerina: [shop-interceptors]}
          version: "1.0.0"
          updateTimeStamp: "2020-01-01"
          analytics: true
        """));
    assertThat(messages).containsExactlyInAnyOrder(
        "error: wso2.yaml:5: wso2 TargetEndpoint/side: spec.applicationProtocol: \"grpc\" cannot be mapped: the "
            + "Gantry gateway proxies http and https backends only",
        "warning: wso2.yaml:8: wso2 TargetEndpoint/side: spec.mode: sidecar is not supported: the backend runs as its "
            + "own Deployment and Service (WSO2's privateJet mode), reached over the cluster network",
        "error: wso2.yaml:13: wso2 TargetEndpoint/external: spec.deploy.dockerImage: is missing: a TargetEndpoint "
            + "Gantry can deploy needs an image; for a backend that already runs, write a Gantry Endpoint with spec.urls "
            + "instead",
        "warning: wso2.yaml:21: wso2 API/shop: spec.definition.interceptors: not mapped: Gantry runs no Ballerina or "
            + "Java interceptors; move that logic into the backend or a service in front of it",
        "warning: wso2.yaml:23: wso2 API/shop: spec.updateTimeStamp: not needed: Gantry rebuilds when the bundle "
            + "digest changes (or with override), not on a timestamp",
        "warning: wso2.yaml:24: wso2 API/shop: spec.analytics: not mapped: Gantry has no equivalent of this WSO2 "
            + "field, it is ignored");
  }

  @Test
  void durations() {
    assertThat(Wso2Durations.per("min", 1)).isEqualTo("1m");
    assertThat(Wso2Durations.per("sec", 30)).isEqualTo("30s");
    assertThat(Wso2Durations.per("hour", null)).isEqualTo("1h");
    assertThat(Wso2Durations.per("day", 3)).isEqualTo("3d");
    assertThat(Wso2Durations.per("week", 1)).isEqualTo("7d");
    assertThat(Wso2Durations.per("month", 1)).isNull();
    assertThat(Wso2Durations.per("min", 0)).isNull();
  }
}
