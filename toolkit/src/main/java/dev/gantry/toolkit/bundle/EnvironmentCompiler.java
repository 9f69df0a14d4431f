package dev.gantry.toolkit.bundle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.crds.v1alpha1.EndpointSpec;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-cluster half of a compiled API: the Endpoints' URLs and timeouts and the Security
 * resources' settings, with Secrets as references only. It is injected at deploy time (a
 * ConfigMap mounted at {@link BundleCompiler#ENVIRONMENT_FILE}); it is not part of the bundle,
 * its digest or any image.
 */
public final class EnvironmentCompiler {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final int DEFAULT_PORT = 8080;

  public byte[] compile(ResolvedApi api) {
    Map<String, Object> upstreams = new TreeMap<>();
    api.endpoints().forEach((name, spec) -> upstreams.put(name, upstream(name, spec)));
    Map<String, Object> security = new TreeMap<>();
    api.securities().forEach((name, spec) -> security.put(name, MAPPER.convertValue(spec, MAP)));
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("api", api.identity().name());
    environment.put("version", api.identity().version());
    environment.put("upstreams", upstreams);
    environment.put("security", security);
    return CanonicalYaml.bytes(environment);
  }

  /** An Endpoint that names an image is served by a Service of the Endpoint's name. */
  private static Map<String, Object> upstream(String name, EndpointSpec spec) {
    Map<String, Object> upstream = MAPPER.convertValue(spec, MAP);
    if (spec.getImage() != null) {
      String scheme = spec.getProtocol() == null ? "http" : spec.getProtocol().name().toLowerCase(java.util.Locale.ROOT);
      int port = spec.getPort() == null ? DEFAULT_PORT : spec.getPort();
      upstream.keySet().retainAll(List.of("protocol", "timeouts", "caSecretRef"));
      upstream.put("urls", List.of(scheme + "://" + name + ":" + port));
    }
    return upstream;
  }
}
