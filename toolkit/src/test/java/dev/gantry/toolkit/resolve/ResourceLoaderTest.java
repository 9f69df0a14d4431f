package dev.gantry.toolkit.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.problem.Problems;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceLoaderTest {

  private static List<String> load(String yaml, ResourceSet into) {
    Problems problems = new Problems();
    new ResourceLoader().loadText("r.yaml", yaml, into, problems);
    return problems.sorted().stream().map(Problem::toString).toList();
  }

  @Test
  void strictFieldsAndTypesAsTheApiServerChecksThem() {
    List<String> problems = load("""
        apiVersion: gantry.dev/v1alpha1
        kind: RateLimit
        metadata: {name: a}
        spec: {reqests: 10, per: 1m}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: RateLimit
        metadata: {name: b}
        spec: {requests: "10", per: 1m}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: Security
        metadata: {name: c}
        spec: {type: saml}
        """, new ResourceSet());

    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).startsWith("error: r.yaml: RateLimit/a: spec.reqests: unknown field \"reqests\" "
        + "(known fields: ");
    assertThat(problems.get(1)).isEqualTo("error: r.yaml (document 2): RateLimit/b: spec.requests: expected an integer");
    assertThat(problems.get(2)).isEqualTo(
        "error: r.yaml (document 3): Security/c: spec.type: \"saml\" is not one of: jwt, oauth2, basic, apikey, mtls");
  }

  @Test
  void duplicatesMissingNamesAndWrongVersionsAreErrorsOtherKindsAreIgnored() {
    ResourceSet set = new ResourceSet();
    List<String> problems = load("""
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: e}
        spec: {urls: [http://a]}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        metadata: {name: e}
        spec: {urls: [http://b]}
        ---
        apiVersion: gantry.dev/v1beta9
        kind: Endpoint
        metadata: {name: f}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: Endpoint
        spec: {urls: [http://c]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d}
        ---
        - not a mapping
        """, set);

    assertThat(problems).containsExactly(
        "error: r.yaml (document 2): Endpoint/e: defined twice; first in r.yaml",
        "error: r.yaml (document 3): Endpoint: apiVersion gantry.dev/v1beta9 is not supported; use gantry.dev/v1alpha1",
        "error: r.yaml (document 4): Endpoint: metadata.name is missing",
        "error: r.yaml (document 6): a resource must be a mapping with apiVersion, kind and metadata",
        "warning: r.yaml (document 5): ignored apps/v1 Deployment: not a kind Gantry reads");
    assertThat(set.endpoint("e").orElseThrow().resource().getSpec().getUrls()).containsExactly("http://a");
  }

  @Test
  void listsAndSecretsAreRead() {
    ResourceSet set = new ResourceSet();
    List<String> problems = load("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: gantry.dev/v1alpha1
            kind: RateLimit
            metadata: {name: gold}
            spec: {requests: 1, per: 1s}
          - apiVersion: v1
            kind: Secret
            metadata: {name: s}
            data: {a: c2VjcmV0}
            stringData: {b: secret}
        """, set);

    assertThat(problems).isEmpty();
    assertThat(set.rateLimit("gold")).isPresent();
    assertThat(set.secretsKnown()).isTrue();
    assertThat(set.secret("s").orElseThrow().resource()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void syntaxErrorsCarryTheLine() {
    List<String> problems = load("apiVersion: v1\nkind: Secret\nmetadata: {name: [\n", new ResourceSet());

    assertThat(problems).singleElement().asString().startsWith("error: r.yaml:4: not valid YAML:");
  }
}
