package dev.gantry.operator.api;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reading a Kaniko Job's state: done or not, the digest it pushed, why it failed. */
final class KanikoJobs {
  static final int LOG_LINES = 20;
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private KanikoJobs() {}

  static boolean succeeded(Job job) {
    return job.getStatus() != null && job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0
        || condition(job, "Complete").isPresent();
  }

  static boolean failed(Job job) {
    return job.getStatus() != null && job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0
        || condition(job, "Failed").isPresent();
  }

  /**
   * The digest Kaniko wrote to {@code --digest-file=/dev/termination-log}: the build container's
   * termination message, read from the Job's pod.
   */
  static Optional<String> pushedDigest(KubernetesClient client, Job job) {
    for (Pod pod : pods(client, job)) {
      List<ContainerStatus> statuses = pod.getStatus() == null ? List.of() : pod.getStatus().getContainerStatuses();
      for (ContainerStatus status : statuses == null ? List.<ContainerStatus>of() : statuses) {
        var terminated = status.getState() == null ? null : status.getState().getTerminated();
        if (terminated != null && terminated.getMessage() != null) {
          var matcher = DIGEST.matcher(terminated.getMessage().trim());
          if (matcher.find()) {
            return Optional.of(matcher.group());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The Job's failure reason and message, and the last lines of the builder's log when it can be read. */
  static String failure(KubernetesClient client, Job job) {
    String reason = condition(job, "Failed").map(c -> c.getReason() + ": " + c.getMessage())
        .orElse("the build container exited with an error");
    String log;
    try {
      log = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
          .withName(job.getMetadata().getName()).getLog();
    } catch (KubernetesClientException | IllegalStateException e) {
      // Pods of a failed Job may already be gone (TTL, node loss): the condition is all there is.
      log = null;
    }
    if (log == null || log.isBlank()) {
      return reason;
    }
    String[] lines = log.strip().split("\n");
    String tail = String.join("\n", Arrays.asList(lines).subList(Math.max(0, lines.length - LOG_LINES), lines.length));
    return reason + "; last lines of the build log:\n" + tail;
  }

  static Duration runTime(Job job) {
    if (job.getStatus() == null || job.getStatus().getStartTime() == null) {
      return Duration.ZERO;
    }
    Instant start = Instant.parse(job.getStatus().getStartTime());
    Instant end = job.getStatus().getCompletionTime() != null ? Instant.parse(job.getStatus().getCompletionTime())
        : Instant.now();
    return Duration.between(start, end);
  }

  private static List<Pod> pods(KubernetesClient client, Job job) {
    return client.pods().inNamespace(job.getMetadata().getNamespace())
        .withLabel("job-name", job.getMetadata().getName()).list().getItems();
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }
}
