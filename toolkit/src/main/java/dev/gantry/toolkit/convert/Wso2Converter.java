package dev.gantry.toolkit.convert;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.crds.v1alpha1.ApiSpec;
import dev.gantry.crds.v1alpha1.Endpoint;
import dev.gantry.crds.v1alpha1.EndpointProtocol;
import dev.gantry.crds.v1alpha1.EndpointSpec;
import dev.gantry.crds.v1alpha1.Exposure;
import dev.gantry.crds.v1alpha1.ExposureType;
import dev.gantry.crds.v1alpha1.RateLimit;
import dev.gantry.crds.v1alpha1.RateLimitScope;
import dev.gantry.crds.v1alpha1.RateLimitSpec;
import dev.gantry.toolkit.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns resources of the WSO2 Kubernetes API Operator 1.x ({@code wso2.com/v1alpha1} TargetEndpoint,
 * RateLimiting, Security, API) into Gantry resources. Whatever has no Gantry equivalent is reported
 * as a warning naming the file, line and field, never dropped silently; what makes a resource
 * unusable is an error. Names are kept, so the definitions' references still match.
 */
public final class Wso2Converter {
  public static final String GROUP = "wso2.com";

  /** The converted resources (Gantry CR objects) and every problem found. */
  public record Result(List<HasMetadata> resources, List<Problem> problems) {}

  public static boolean isWso2(Map<?, ?> document) {
    return String.valueOf(document.get("apiVersion")).startsWith(GROUP + "/");
  }

  /**
   * Converts one document. {@code lines} gives the line of a field path inside it (0 when unknown);
   * {@code secretKeys} the key names of Secrets known among the inputs, to pick certificate keys.
   */
  public Result convert(Map<?, ?> document, String source, Function<List<String>, Integer> lines,
                        Map<String, Set<String>> secretKeys) {
    List<Problem> problems = new ArrayList<>();
    Wso2Document doc = new Wso2Document(document, source, lines, problems);
    List<HasMetadata> out = new ArrayList<>();
    if (!"wso2.com/v1alpha1".equals(document.get("apiVersion"))) {
      doc.error(new String[] {"apiVersion"}, "only wso2.com/v1alpha1 (the WSO2 API Operator 1.x) is converted");
    } else if (doc.name() == null) {
      doc.error(new String[] {"metadata", "name"}, "is missing");
    } else {
      switch (doc.kind()) {
        case "TargetEndpoint" -> targetEndpoint(doc, out);
        case "RateLimiting" -> rateLimiting(doc, out);
        case "Security" -> new Wso2Security(doc, secretKeys).convert(out);
        case "API" -> api(doc, out);
        default -> doc.warning(new String[] {"kind"}, "ignored: Gantry converts TargetEndpoint, RateLimiting, "
            + "Security and API from " + GROUP);
      }
    }
    out.forEach(r -> r.setMetadata(new ObjectMetaBuilder().withName(r.getMetadata().getName())
        .withNamespace(doc.namespace()).build()));
    return new Result(out, problems);
  }

  static <T extends HasMetadata> T named(T resource, String name) {
    resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
    return resource;
  }

  private static void targetEndpoint(Wso2Document doc, List<HasMetadata> out) {
    doc.warnUnknown(Set.of("applicationProtocol", "ports", "deploy", "mode"), "spec");
    doc.warnUnknown(Set.of("name", "dockerImage", "minReplicas", "maxReplicas", "requestCPU", "reqMemory", "cpuLimit",
        "memoryLimit", "env"), "spec", "deploy");
    EndpointSpec spec = new EndpointSpec();
    String image = doc.string("spec", "deploy", "dockerImage");
    if (image == null) {
      doc.error(new String[] {"spec", "deploy", "dockerImage"}, "is missing: a TargetEndpoint Gantry can deploy needs "
          + "an image; for a backend that already runs, write a Gantry Endpoint with spec.urls instead");
      return;
    }
    spec.setImage(image);
    String protocol = doc.string("spec", "applicationProtocol");
    if (protocol != null) {
      switch (protocol.toLowerCase(Locale.ROOT)) {
        case "http" -> spec.setProtocol(EndpointProtocol.HTTP);
        case "https" -> spec.setProtocol(EndpointProtocol.HTTPS);
        default -> doc.error(new String[] {"spec", "applicationProtocol"}, "\"" + protocol
            + "\" cannot be mapped: the Gantry gateway proxies http and https backends only");
      }
    }
    List<?> ports = doc.list("spec", "ports");
    if (!ports.isEmpty()) {
      Integer port = doc.integer("spec", "ports", "0", "targetPort");
      spec.setPort(port != null ? port : doc.integer("spec", "ports", "0", "port"));
      if (port != null && doc.integer("spec", "ports", "0", "port") != null
          && !port.equals(doc.integer("spec", "ports", "0", "port"))) {
        doc.warning(new String[] {"spec", "ports", "0", "port"}, "the Endpoint's Service listens on the container "
            + "port (" + port + "), not on a separate service port");
      }
      if (ports.size() > 1) {
        doc.warning(new String[] {"spec", "ports", "1"}, "not mapped: a Gantry Endpoint has one port; the first is used");
      }
    }
    Integer min = doc.integer("spec", "deploy", "minReplicas");
    Integer max = doc.integer("spec", "deploy", "maxReplicas");
    spec.setReplicas(min);
    if (max != null && (min == null || max > min)) {
      doc.warning(new String[] {"spec", "deploy", "maxReplicas"}, "not mapped: Gantry does not autoscale Endpoint "
          + "backends; it runs minReplicas (" + (min == null ? 1 : min) + ") pods");
    }
    String deployName = doc.string("spec", "deploy", "name");
    if (deployName != null && !deployName.equals(doc.name())) {
      doc.warning(new String[] {"spec", "deploy", "name"}, "not mapped: Gantry names the backend's Deployment and "
          + "Service after the Endpoint, \"" + doc.name() + "\"");
    }
    spec.setResources(resources(doc));
    String mode = doc.string("spec", "mode");
    if ("sidecar".equalsIgnoreCase(String.valueOf(mode))) {
      doc.warning(new String[] {"spec", "mode"}, "sidecar is not supported: the backend runs as its own Deployment "
          + "and Service (WSO2's privateJet mode), reached over the cluster network");
    } else if (mode != null && !"privateJet".equalsIgnoreCase(mode)) {
      doc.error(new String[] {"spec", "mode"}, "\"" + mode + "\" cannot be mapped: Gantry deploys backends as a "
          + "Deployment and Service (WSO2's privateJet)");
    }
    if (doc.get("spec", "deploy", "env") != null) {
      doc.warning(new String[] {"spec", "deploy", "env"}, "not converted automatically: copy it to spec.env "
          + "(Kubernetes EnvVar format)");
    }
    Endpoint endpoint = new Endpoint();
    endpoint.setSpec(spec);
    out.add(named(endpoint, doc.name()));
  }

  private static ResourceRequirements resources(Wso2Document doc) {
    Map<String, Quantity> requests = new TreeMap<>();
    Map<String, Quantity> limits = new TreeMap<>();
    put(requests, "cpu", doc.string("spec", "deploy", "requestCPU"));
    put(requests, "memory", doc.string("spec", "deploy", "reqMemory"));
    put(limits, "cpu", doc.string("spec", "deploy", "cpuLimit"));
    put(limits, "memory", doc.string("spec", "deploy", "memoryLimit"));
    if (requests.isEmpty() && limits.isEmpty()) {
      return null;
    }
    ResourceRequirements resources = new ResourceRequirements();
    resources.setRequests(requests.isEmpty() ? null : requests);
    resources.setLimits(limits.isEmpty() ? null : limits);
    return resources;
  }

  private static void put(Map<String, Quantity> map, String key, String value) {
    if (value != null) {
      map.put(key, new Quantity(value));
    }
  }

  private static void rateLimiting(Wso2Document doc, List<HasMetadata> out) {
    doc.warnUnknown(Set.of("type", "description", "timeUnit", "unitTime", "requestCount", "bandwidth",
        "conditionalGroups", "stopOnQuotaReach", "billingPlan", "customAttributes", "rateLimitCount",
        "rateLimitTimeUnit"), "spec");
    RateLimitSpec spec = new RateLimitSpec();
    Integer limit = doc.integer("spec", "requestCount", "limit");
    if (doc.get("spec", "bandwidth") != null) {
      String[] at = {"spec", "bandwidth"};
      if (limit == null) {
        doc.error(at, "cannot be mapped: Gantry counts requests, not bytes (a bandwidth quota has no equivalent)");
        return;
      }
      doc.warning(at, "not mapped: Gantry counts requests, not bytes; only requestCount.limit applies");
    }
    if (limit == null || limit < 1) {
      doc.error(new String[] {"spec", "requestCount", "limit"}, "must be a positive number of requests");
      return;
    }
    spec.setRequests(limit);
    String per = Wso2Durations.per(doc.string("spec", "timeUnit"), doc.integer("spec", "unitTime"));
    if (per == null) {
      doc.error(new String[] {"spec", "timeUnit"}, "\"" + doc.string("spec", "timeUnit") + "\" × unitTime "
          + doc.get("spec", "unitTime") + " cannot be mapped: use sec, min, hour, day or week with a positive unitTime "
          + "(Gantry periods are fixed lengths, not calendar months or years)");
      return;
    }
    spec.setPer(per);
    String type = doc.string("spec", "type");
    if (type == null || type.equalsIgnoreCase("advance")) {
      spec.setScope(RateLimitScope.API);
    } else if (type.equalsIgnoreCase("subscription") || type.equalsIgnoreCase("application")) {
      spec.setScope(RateLimitScope.CONSUMER);
      doc.warning(new String[] {"spec", "type"}, type + " quotas count per consumer in Gantry: per authenticated "
          + "principal (token subject, API key consumer, user), as Gantry has no subscriptions or applications");
    } else {
      doc.error(new String[] {"spec", "type"}, "must be advance, subscription or application");
      return;
    }
    for (String unmapped : List.of("conditionalGroups", "billingPlan", "customAttributes", "rateLimitCount",
        "rateLimitTimeUnit")) {
      if (doc.get("spec", unmapped) != null) {
        doc.warning(new String[] {"spec", unmapped}, "not mapped: Gantry quotas have no "
            + (unmapped.startsWith("rateLimit") ? "separate spike arrest (use a RateLimit's burst)"
                : unmapped.equals("conditionalGroups") ? "conditions (header, IP, query or claim based groups)"
                : "billing or custom attributes"));
      }
    }
    if (Boolean.FALSE.equals(doc.bool("spec", "stopOnQuotaReach"))) {
      doc.warning(new String[] {"spec", "stopOnQuotaReach"}, "not mapped: Gantry always refuses requests over the "
          + "quota (429)");
    }
    RateLimit rateLimit = new RateLimit();
    rateLimit.setSpec(spec);
    out.add(named(rateLimit, doc.name()));
  }

  private static void api(Wso2Document doc, List<HasMetadata> out) {
    doc.warnUnknown(Set.of("definition", "replicas", "override", "version", "image", "mode", "ingressHostname",
        "updateTimeStamp"), "spec");
    doc.warnUnknown(Set.of("swaggerConfigmapNames", "type", "interceptors"), "spec", "definition");
    ApiSpec spec = new ApiSpec();
    List<String> names = new ArrayList<>();
    List<?> configMaps = doc.list("spec", "definition", "swaggerConfigmapNames");
    for (int i = 0; i < configMaps.size(); i++) {
      String name = doc.string("spec", "definition", "swaggerConfigmapNames", String.valueOf(i));
      if (name != null) {
        names.add(name);
      }
    }
    if (names.isEmpty()) {
      doc.error(new String[] {"spec", "definition", "swaggerConfigmapNames"}, "must name at least one ConfigMap");
      return;
    }
    spec.setDefinitions(names);
    spec.setVersion(doc.string("spec", "version"));
    spec.setReplicas(doc.integer("spec", "replicas"));
    spec.setOverride(doc.bool("spec", "override"));
    String image = doc.string("spec", "image");
    if (image != null) {
      spec.setImage(image);
      doc.warning(new String[] {"spec", "image"}, "in Gantry spec.image is a prebuilt gateway image that is deployed "
          + "as is (no build); remove it to have Gantry build <registry>/<api>:<version>");
    }
    String host = doc.string("spec", "ingressHostname");
    if (host != null) {
      Exposure exposure = new Exposure();
      exposure.setType(ExposureType.INGRESS);
      exposure.setHost(host);
      spec.setExposure(exposure);
    }
    if (doc.get("spec", "definition", "interceptors") != null) {
      doc.warning(new String[] {"spec", "definition", "interceptors"}, "not mapped: Gantry runs no Ballerina or Java "
          + "interceptors; move that logic into the backend or a service in front of it");
    }
    if ("sidecar".equalsIgnoreCase(String.valueOf(doc.get("spec", "mode")))) {
      doc.warning(new String[] {"spec", "mode"}, "sidecar is not supported: image backends run as their own "
          + "Deployment and Service (privateJet)");
    }
    if (doc.get("spec", "updateTimeStamp") != null) {
      doc.warning(new String[] {"spec", "updateTimeStamp"}, "not needed: Gantry rebuilds when the bundle digest "
          + "changes (or with override), not on a timestamp");
    }
    Api api = new Api();
    api.setSpec(spec);
    out.add(named(api, doc.name()));
  }
}
