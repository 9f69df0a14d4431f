package dev.gantry.operator;

import java.util.Set;

/**
 * How one operator process runs (not what it builds: that is the settings ConfigMap).
 *
 * @param namespaces        namespaces to watch; empty for all
 * @param operatorNamespace where the settings ConfigMap and the leader-election Lease live
 * @param settingsConfigMap name of the settings ConfigMap
 * @param leaderElection    take a Lease before reconciling, so two replicas can run
 * @param reconcileThreads  concurrent reconciles (a Jib build holds one for its duration)
 */
public record OperatorOptions(Set<String> namespaces, String operatorNamespace, String settingsConfigMap,
                              boolean leaderElection, int reconcileThreads) {
  public static final String LEASE = "gantry-operator";
}
