package dev.gantry.toolkit.kubectl;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/** One sentence for what went wrong talking to the cluster, with what to do about it. */
final class ClusterErrors {
  private ClusterErrors() {}

  static String describe(KubernetesClientException e, java.net.URL server) {
    String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : e.getMessage();
    if (e.getCode() <= 0) {
      return "cannot reach the cluster at " + server + ": " + rootCause(e)
          + " (check your kubeconfig's current context, or pass --context)";
    }
    return switch (e.getCode()) {
      case HttpURLConnection.HTTP_UNAUTHORIZED -> "the cluster did not accept your credentials: " + detail;
      case HttpURLConnection.HTTP_FORBIDDEN -> "not allowed: " + detail;
      case HttpURLConnection.HTTP_NOT_FOUND -> "not found: " + detail
          + " (are Gantry's CRDs installed? kubectl apply -k operator/deploy)";
      case HttpURLConnection.HTTP_CONFLICT -> "the object changed while it was being written; run the command again ("
          + detail + ")";
      case 422 -> "the cluster rejected the object: " + detail;
      default -> detail;
    };
  }

  /** The deepest cause that says something; JDK network errors often carry no message. */
  private static String rootCause(Throwable e) {
    String said = e.getMessage();
    String type = e.getClass().getSimpleName();
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      type = cause.getClass().getSimpleName();
      if (cause.getMessage() != null) {
        said = cause.getMessage();
      }
    }
    return type + (said == null ? "" : " (" + said + ")");
  }
}
