package dev.gantry.toolkit.resolve;

import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.problem.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small builders for resolver inputs: definitions and resources as inline YAML. */
public final class Fixtures {
  public static final Path SAMPLES = Path.of("../samples/petstore");
  public static final Path SAMPLE_RESOURCES = SAMPLES.resolve("resources");

  /** Resources every small test can rely on: Endpoint "backend", RateLimit "gold", Security "jwt". */
  public static final String BASE_RESOURCES = """
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: backend}
      spec: {urls: [http://backend:8080]}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Endpoint
      metadata: {name: other}
      spec: {urls: [http://other:8080]}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: RateLimit
      metadata: {name: gold}
      spec: {requests: 100, per: 1m}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: RateLimit
      metadata: {name: silver}
      spec: {requests: 10, per: 1s, scope: operation}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Security
      metadata: {name: jwt}
      spec:
        type: jwt
        jwt: {issuer: https://issuer.example.com/, jwksUrl: https://issuer.example.com/jwks}
      ---
      apiVersion: gantry.dev/v1alpha1
      kind: Security
      metadata: {name: keys}
      spec:
        type: apikey
        apikey: {name: X-API-Key, keysSecretRef: {name: api-keys, key: keys}}
      """;

  private Fixtures() {}

  public static ResourceSet resources(String... yamlDocuments) {
    Problems problems = new Problems();
    ResourceSet set = new ResourceSet();
    ResourceLoader loader = new ResourceLoader();
    for (int i = 0; i < yamlDocuments.length; i++) {
      loader.loadText("resources-" + i + ".yaml", yamlDocuments[i], set, problems);
    }
    if (problems.hasErrors()) {
      throw new IllegalArgumentException("fixture resources do not load: " + problems.sorted());
    }
    return set;
  }

  public static ApiResolver.Resolution resolve(String openapi, String... extraResources) {
    String[] all = new String[extraResources.length + 1];
    all[0] = BASE_RESOURCES;
    System.arraycopy(extraResources, 0, all, 1, extraResources.length);
    return new ApiResolver().resolve(new ApiIdentity("shop", "v1"),
        List.of(DefinitionFile.of("shop.yaml", openapi)), resources(all), "API/shop");
  }

  public static ResolvedApi resolved(String openapi, String... extraResources) {
    ApiResolver.Resolution resolution = resolve(openapi, extraResources);
    return resolution.api().orElseThrow(() -> new AssertionError("expected to resolve, got " + resolution.problems()));
  }

  public static List<Problem> errors(String openapi, String... extraResources) {
    return resolve(openapi, extraResources).problems().stream().filter(Problem::isError).toList();
  }

  public static ApiResolver.Resolution resolveSample(String definition) {
    return LocalInputs.resolve(List.of(SAMPLES.resolve(definition)), List.of(SAMPLE_RESOURCES), null, null);
  }

  public static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
