package dev.gantry.runtime.fleet;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Whether fabric8 will find an API server to talk to, checked before it is loaded: without any
 * configuration it would quietly try https://kubernetes.default.svc forever, and the gateway would
 * never turn ready without saying why. No fabric8 here, so that the check costs nothing.
 */
final class KubernetesConfigCheck {
  private KubernetesConfigCheck() {}

  /** Null when a configuration is there (in-cluster, KUBECONFIG, ~/.kube/config or a master URL), else what to do. */
  static String problem(Map<String, String> env, Path home) {
    if (env.get("KUBERNETES_SERVICE_HOST") != null || env.get("KUBERNETES_MASTER") != null
        || System.getProperty("kubernetes.master") != null) {
      return null;
    }
    String kubeconfig = env.get("KUBECONFIG");
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      boolean any = Arrays.stream(kubeconfig.split(File.pathSeparator))
          .anyMatch(f -> !f.isBlank() && Files.isRegularFile(Path.of(f)));
      return any ? null : "KUBECONFIG=" + kubeconfig + ": no such file; --source kubernetes reads ConfigMaps with it";
    }
    if (Files.isRegularFile(home.resolve(".kube").resolve("config"))) {
      return null;
    }
    return "--source kubernetes needs a Kubernetes API server: run in a pod (its service account is used), "
        + "or set KUBECONFIG";
  }
}
