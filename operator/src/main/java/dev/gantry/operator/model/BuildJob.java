package dev.gantry.operator.model;

import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.toolkit.image.context.BuildContext;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kaniko build of one API version, as desired Kubernetes objects: a ConfigMap holding the
 * build context tarball and a Job that runs the executor over it. Pure: no client, clock or
 * environment, so tests call it directly and a restarted operator computes the same names.
 */
public final class BuildJob {
  public static final String CONTEXT_KEY = "context.tar.gz";
  static final String WORKSPACE = "/workspace";
  static final String DOCKER_CONFIG_DIR = "/kaniko/.docker";

  public static final String LABEL_API = "gantry.dev/api";
  public static final String LABEL_DIGEST = "gantry.dev/bundle-digest";
  public static final String ANNOTATION_DIGEST = "gantry.dev/bundle-digest";
  public static final String ANNOTATION_DESTINATION = "gantry.dev/destination";

  /**
   * @param api           the API being built (owner of both objects)
   * @param bundleDigest  {@code sha256:…} of the bundle the context compiles to
   * @param destination   {@code <registry>/<api>:<version>}
   * @param context       the build context (Dockerfile, definitions, secret-free resources, build args)
   */
  public record Request(Api api, String bundleDigest, String destination, BuildContext context) {}

  private BuildJob() {}

  public static ConfigMap context(Request request) {
    return new ConfigMapBuilder()
        .withMetadata(metadata(request, Names.buildContext(request.api().getMetadata().getName(), request.bundleDigest())))
        .addToBinaryData(CONTEXT_KEY, Base64.getEncoder().encodeToString(request.context().tarGz()))
        .withImmutable(true)
        .build();
  }

  public static Job job(Request request, KanikoSettings settings) {
    String apiName = request.api().getMetadata().getName();
    String contextName = Names.buildContext(apiName, request.bundleDigest());
    var podSpec = new PodSpecBuilder()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withServiceAccountName(settings.serviceAccount().orElse(null))
        .addToContainers(new ContainerBuilder()
            .withName("kaniko")
            .withImage(settings.executorImage())
            .withArgs(arguments(request, settings))
            .withResources(settings.resources())
            // The executor writes the pushed digest here; the operator reads it from the pod status.
            .withTerminationMessagePath("/dev/termination-log")
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withVolumeMounts(volumeMounts(settings))
            .build())
        .addToVolumes(new VolumeBuilder().withName("context")
            .withNewConfigMap().withName(contextName).endConfigMap().build());
    settings.pushSecret().ifPresent(secret -> podSpec.addToVolumes(new VolumeBuilder().withName("docker-config")
        .withNewSecret().withSecretName(secret)
        .addNewItem().withKey(".dockerconfigjson").withPath("config.json").endItem()
        .endSecret().build()));

    ObjectMeta meta = metadata(request, Names.buildJob(apiName, request.bundleDigest()));
    return new JobBuilder()
        .withMetadata(meta)
        .withNewSpec()
          // A failed build is reported, not retried blindly: the cause (bad push credentials, a
          // registry refusing the image) would fail the same way again.
          .withBackoffLimit(0)
          .withActiveDeadlineSeconds(settings.deadlineSeconds())
          .withTtlSecondsAfterFinished(settings.keepFinishedSeconds())
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(meta.getLabels())
              // A mesh sidecar would keep the pod (and so the Job) running after Kaniko exits.
              .addToAnnotations("sidecar.istio.io/inject", "false")
            .endMetadata()
            .withSpec(podSpec.build())
          .endTemplate()
        .endSpec()
        .build();
  }

  static List<String> arguments(Request request, KanikoSettings settings) {
    var api = request.api();
    List<String> args = new ArrayList<>(List.of(
        "--context=tar://" + WORKSPACE + "/" + CONTEXT_KEY,
        "--dockerfile=Dockerfile",
        "--destination=" + request.destination(),
        "--digest-file=/dev/termination-log",
        "--reproducible",
        "--single-snapshot"));
    buildArgs(request, settings).forEach((key, value) -> args.add("--build-arg=" + key + "=" + value));
    // The same labels the Jib builder writes, so the skip rule treats both builders' images alike.
    new java.util.TreeMap<>(request.context().labels())
        .forEach((key, value) -> args.add("--label=" + key + "=" + value));
    if (settings.insecureRegistry()) {
      args.add("--insecure");
      args.add("--insecure-pull");
    }
    return args;
  }

  /** The Dockerfile's ARGs; stage 1 fails the build when its bundle digest differs from BUNDLE_DIGEST. */
  static Map<String, String> buildArgs(Request request, KanikoSettings settings) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("TOOLKIT_IMAGE", settings.toolkitImage());
    args.put("RUNTIME_IMAGE", settings.runtimeImage());
    args.putAll(request.context().buildArgs());
    return args;
  }

  private static List<io.fabric8.kubernetes.api.model.VolumeMount> volumeMounts(KanikoSettings settings) {
    List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("context").withMountPath(WORKSPACE).withReadOnly(true).build());
    settings.pushSecret().ifPresent(secret -> mounts.add(new VolumeMountBuilder()
        .withName("docker-config").withMountPath(DOCKER_CONFIG_DIR).withReadOnly(true).build()));
    return mounts;
  }

  private static ObjectMeta metadata(Request request, String name) {
    Api api = request.api();
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(api.getMetadata().getNamespace())
        .addToLabels(GatewayLabels.NAME, "gantry")
        .addToLabels(GatewayLabels.MANAGED_BY, "gantry-operator")
        .addToLabels(GatewayLabels.COMPONENT, "build")
        .addToLabels(LABEL_API, Names.labelValue(api.getMetadata().getName()))
        .addToLabels(LABEL_DIGEST, Names.digestPrefix(request.bundleDigest()))
        .addToAnnotations(ANNOTATION_DIGEST, request.bundleDigest())
        .addToAnnotations(ANNOTATION_DESTINATION, request.destination())
        .withOwnerReferences(owner(api))
        .build();
  }

  static OwnerReference owner(Api api) {
    return new OwnerReferenceBuilder()
        .withApiVersion(api.getApiVersion())
        .withKind(api.getKind())
        .withName(api.getMetadata().getName())
        .withUid(api.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
