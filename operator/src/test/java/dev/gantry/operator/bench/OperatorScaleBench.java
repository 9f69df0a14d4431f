package dev.gantry.operator.bench;

import dev.gantry.crds.v1alpha1.Api;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 5's scale benchmark: N APIs whose images already exist, reconciled to {@code Deployed=True}
 * by the real operator in its own JVM ({@code bin/gantry-operator}). Prints wall time, registry
 * requests per API (by kind) and the operator's heap after a full GC. Run by
 * {@code bench/operator-scale.sh}; arguments: N, repository root, work folder.
 */
public final class OperatorScaleBench {
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  static final double GOAL_SECONDS = 20;
  static final double GOAL_REQUESTS = 1;
  static final double GOAL_HEAP_MIB = 256;

  private OperatorScaleBench() {}

  public static void main(String[] args) throws Exception {
    // The mock server logs every request at INFO through JUL: at 1,000 APIs that logging alone
    // would load the machine the operator is measured on.
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    int n = Integer.parseInt(args[0]);
    Path root = Path.of(args[1]).toAbsolutePath();
    Path work = Path.of(args[2]).toAbsolutePath();
    try (ScaleCluster cluster = new ScaleCluster()) {
      run(n, root, work, cluster);
    }
  }

  private static void run(int n, Path root, Path work, ScaleCluster cluster) throws Exception {
    Process operator = null;
    try {
      long setup = System.nanoTime();
      cluster.installOperatorSide(root.resolve("crds/generated"));
      cluster.pushImages(n, Integer.parseInt(System.getProperty("bench.buildThreads", "4")));
      cluster.createApis(n);
      System.out.printf("setup: %d APIs, images and resources in %.1f s%n", n, seconds(System.nanoTime() - setup));
      Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), cluster.kubeconfig());

      Set<String> deployed = ConcurrentHashMap.newKeySet();
      Map<String, String> builtReasons = new ConcurrentHashMap<>();
      CountDownLatch all = new CountDownLatch(1);
      SharedIndexInformer<Api> informer = cluster.client.resources(Api.class).inNamespace(ScaleCluster.NAMESPACE)
          .inform(new Watcher(n, deployed, builtReasons, all));
      int requestsBefore = cluster.registry.requests().size();
      apiRequests(cluster); // drops the set-up's
      int port = freePort();
      settle();

      long start = System.nanoTime();
      long benchCpu = processCpuNanos();
      operator = startOperator(root, work, kubeconfig, port);
      double ready = awaitReady(port, operator, start);
      boolean done = all.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      double wall = seconds(System.nanoTime() - start);
      // Who was busy: the operator, or this JVM (mostly the mock API server answering it)?
      double operatorCpu = operator.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
      double mockCpu = seconds(processCpuNanos() - benchCpu);
      System.out.printf("CPU during the run: operator %.1f s, mock API server + registry watcher JVM %.1f s%n",
          operatorCpu, mockCpu);
      Map<String, Double> threads = threadCpu(operator.pid());
      System.out.printf("operator CPU by thread (live threads, from /proc): JIT compilers %.1f s, VM thread (serial GC,"
          + " safepoints) %.1f s, other threads %.1f s%n", threads.getOrDefault("jit", 0.0),
          threads.getOrDefault("vm", 0.0), operatorCpu - threads.getOrDefault("jit", 0.0) - threads.getOrDefault("vm", 0.0));
      printReconciles(port, n);
      List<String> requests = cluster.registry.requests();
      requests = requests.subList(requestsBefore, requests.size());
      informer.close();
      Map<String, Integer> api = apiRequests(cluster);
      int apiTotal = api.values().stream().mapToInt(Integer::intValue).sum();
      System.out.printf("API-server requests per API: %.1f (%d in all, the bench's own watch included: %s)%n",
          apiTotal / (double) n, apiTotal, api);
      if (!done) {
        System.out.printf("FAILED: %d of %d APIs Deployed after %.0f s (see %s)%n", deployed.size(), n, wall,
            work.resolve("operator.log"));
      }
      report(n, wall, ready, requests, heapAfterGc(operator.pid()), builtReasons, deployed.size());
      if (!done) {
        throw new IllegalStateException("not every API reached Deployed=True");
      }
    } finally {
      if (operator != null) {
        operator.destroy();
        if (!operator.waitFor(10, TimeUnit.SECONDS)) {
          operator.destroyForcibly();
        }
      }
    }
  }

  /**
   * Lets the set-up's own work (the registry writing 1,000 images, this JVM's GC and JIT) finish before
   * the clock starts: waits, at most 15 s, until the machine's CPUs are under 25% busy over a second.
   */
  private static void settle() throws Exception {
    System.gc();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    double busy = 100;
    while (System.nanoTime() < deadline && (busy = cpuBusyPercent()) >= 25) {
      Thread.onSpinWait(); // cpuBusyPercent itself waits a second
    }
    System.out.printf("CPUs %.0f%% busy when the operator started%n", busy);
  }

  /** Share of all CPUs' time that was not idle over one second, from /proc/stat. */
  private static double cpuBusyPercent() throws Exception {
    long[] a = cpuTimes();
    Thread.sleep(1000);
    long[] b = cpuTimes();
    long idle = (b[0] - a[0]);
    long total = (b[1] - a[1]);
    return total <= 0 ? 0 : 100.0 * (total - idle) / total;
  }

  /** {idle + iowait, total} jiffies of the "cpu" line. */
  private static long[] cpuTimes() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    return new long[] {Long.parseLong(f[4]) + Long.parseLong(f[5]), total};
  }

  /** Counts APIs whose Deployed condition is True; remembers each one's Built reason. */
  private record Watcher(int n, Set<String> deployed, Map<String, String> builtReasons, CountDownLatch all)
      implements ResourceEventHandler<Api> {
    @Override
    public void onAdd(Api api) {
      see(api);
    }

    @Override
    public void onUpdate(Api old, Api api) {
      see(api);
    }

    @Override
    public void onDelete(Api api, boolean unknown) {}

    private void see(Api api) {
      if (api.getStatus() == null || api.getStatus().getConditions() == null) {
        return;
      }
      String name = api.getMetadata().getName();
      for (Condition c : api.getStatus().getConditions()) {
        if ("Built".equals(c.getType())) {
          builtReasons.put(name, c.getStatus() + "/" + c.getReason());
        }
        if ("Deployed".equals(c.getType()) && "True".equals(c.getStatus()) && deployed.add(name)
            && deployed.size() == n) {
          all.countDown();
        }
      }
    }
  }

  private static Process startOperator(Path root, Path work, Path kubeconfig, int port) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/gantry-operator").toString(),
        "--leader-election=false", "--operator-namespace=" + ScaleCluster.OPERATOR_NAMESPACE,
        "--management-port=" + port)
        .redirectErrorStream(true).redirectOutput(work.resolve("operator.log").toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().remove("KUBERNETES_MASTER");
    return builder.start();
  }

  /** Seconds from start until {@code /readyz} answers 200 (the operator's informers have synced). */
  private static double awaitReady(int port, Process operator, long start) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
        .timeout(Duration.ofSeconds(1)).build();
    while (System.nanoTime() - start < TIMEOUT.toNanos()) {
      if (!operator.isAlive()) {
        throw new IllegalStateException("the operator exited with " + operator.exitValue());
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return seconds(System.nanoTime() - start);
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(50); // polling a process's port; nothing to wait on
    }
    return Double.NaN;
  }

  /**
   * How often the API reconciler reached the image step, per API, from the operator's /metrics: each
   * such reconcile counts one Jib outcome (a remembered skip included).
   */
  private static void printReconciles(int port, int n) throws Exception {
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^gantry_builds_total\\{[^}]*builder=\"jib\"[^}]*} (\\S+)$").matcher(metrics);
    double reconciles = 0;
    while (m.find()) {
      reconciles += Double.parseDouble(m.group(1));
    }
    System.out.printf("API reconciles reaching the image step: %.0f (%.2f per API)%n", reconciles, reconciles / n);
  }

  /** Used heap (all generations, no metaspace) after a full GC, in MiB, from {@code jcmd GC.heap_info}. */
  static double heapAfterGc(long pid) throws Exception {
    run("jcmd", Long.toString(pid), "GC.run");
    String info = run("jcmd", Long.toString(pid), "GC.heap_info");
    Matcher m = Pattern.compile("(?m)^\\s*(?:def new generation|tenured generation|garbage-first heap|PSYoungGen"
        + "|ParOldGen)\\b.*?used (\\d+)K").matcher(info);
    long kib = 0;
    boolean found = false;
    while (m.find()) {
      String line = m.group(0);
      // G1 reports the whole heap on one line; the serial and parallel collectors per generation.
      kib += Long.parseLong(m.group(1));
      found = true;
      if (line.contains("garbage-first")) {
        break;
      }
    }
    if (!found) {
      throw new IllegalStateException("cannot read the heap from jcmd GC.heap_info:\n" + info);
    }
    return kib / 1024.0;
  }

  /**
   * CPU seconds of a process's JIT compiler threads ("jit") and VM thread ("vm"), from Linux's
   * {@code /proc/PID/task/TID/stat}: where an operator that has just started spends what is not its
   * own work. Threads that have ended are not there; an empty map where there is no /proc.
   */
  static Map<String, Double> threadCpu(long pid) {
    Map<String, Double> cpu = new TreeMap<>();
    double tick = 100; // USER_HZ: 100 on every Linux the JDK runs on
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue; // the thread ended since the listing (the JDK's HTTP client starts one per response here)
        }
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / tick; // utime, stime
        String kind = comm.contains("CompilerThre") ? "jit" : comm.equals("VM Thread") ? "vm" : "other";
        cpu.merge(kind, seconds, Double::sum);
      }
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return cpu;
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return out;
  }

  private static void report(int n, double wall, double ready, List<String> requests, double heapMib,
                             Map<String, String> builtReasons, int deployed) throws Exception {
    Map<String, Integer> kinds = new TreeMap<>();
    for (String request : requests) {
      kinds.merge(kind(request), 1, Integer::sum);
    }
    Map<String, Integer> reasons = new TreeMap<>();
    builtReasons.values().forEach(r -> reasons.merge(r, 1, Integer::sum));
    double perApi = requests.size() / (double) n;
    System.out.printf("load: %s%n", run("uptime").strip());
    System.out.printf("N = %d APIs, %d Deployed; Built conditions: %s%n", n, deployed, reasons);
    System.out.printf("operator ready (informers synced) after %.1f s%n", ready);
    System.out.printf("wall time to all Deployed: %.1f s (from operator start)   %s (goal <= %.0f s)%n", wall,
        wall <= GOAL_SECONDS ? "PASS" : "SHORT", GOAL_SECONDS);
    System.out.printf("registry requests per API: %.2f (%d in all: %s)   %s (goal <= %.0f round trip)%n", perApi,
        requests.size(), kinds, perApi <= GOAL_REQUESTS ? "PASS" : "SHORT", GOAL_REQUESTS);
    System.out.printf("operator heap after full GC: %.1f MiB   %s (goal <= %.0f MiB)%n", heapMib,
        heapMib <= GOAL_HEAP_MIB ? "PASS" : "SHORT", GOAL_HEAP_MIB);
  }

  /** The mock API server's requests since the last call, by method and resource ("PATCH apis/status"…). */
  static Map<String, Integer> apiRequests(ScaleCluster cluster) throws InterruptedException {
    Map<String, Integer> kinds = new TreeMap<>();
    Pattern resource = Pattern.compile("/(?:api/v1|apis/[^/]+/[^/]+)(?:/namespaces/[^/]+)?/([a-z]+)(?:/[^/?]+)?(/status)?");
    for (var r = cluster.server.takeRequest(1, TimeUnit.MILLISECONDS); r != null;
         r = cluster.server.takeRequest(1, TimeUnit.MILLISECONDS)) {
      Matcher m = resource.matcher(r.getPath());
      String what = m.lookingAt() ? m.group(1) + (m.group(2) == null ? "" : m.group(2)) : r.getPath();
      kinds.merge(r.getMethod() + " " + what, 1, Integer::sum);
    }
    return kinds;
  }

  /** "GET manifest", "HEAD blob", "GET /v2/ (auth ping)", "POST upload"… */
  static String kind(String request) {
    String[] parts = request.split(" ", 2);
    String path = parts[1];
    String what = path.equals("/v2/") ? "/v2/ ping" : path.contains("/manifests/") ? "manifest"
        : path.contains("/blobs/uploads") ? "upload" : path.contains("/blobs/") ? "blob" : path;
    return parts[0] + " " + what;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
