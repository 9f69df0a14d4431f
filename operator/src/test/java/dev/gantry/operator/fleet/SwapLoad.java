package dev.gantry.operator.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load on fleet gateways while their bundles are swapped: one client thread per entry of
 * {@code gateways} (repeat one for more), each asking {@code path} as soon as its last answer came.
 * Anything but 200 is a failure, recorded as {@code instance: status} (-1: an I/O error).
 */
final class SwapLoad implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger sent = new AtomicInteger();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> threads = new ArrayList<>();

  SwapLoad(List<FleetGatewayProcess> gateways, String path) {
    for (FleetGatewayProcess gateway : gateways) {
      Thread thread = new Thread(() -> {
        while (running.get()) {
          int status = gateway.get(path);
          sent.incrementAndGet();
          if (status != 200) {
            failures.add(gateway.instance + ": " + status);
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
  }

  int sent() {
    return sent.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops the clients and waits for their last answers. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }
}
