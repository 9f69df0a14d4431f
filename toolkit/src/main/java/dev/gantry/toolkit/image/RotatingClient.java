package dev.gantry.toolkit.image;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One client shared by concurrent callers and replaced after {@code usesPerClient} uses; a replaced
 * client is closed once its last caller is done.
 *
 * <p>Why: Jib's {@code FailoverHttpClient} keeps every transport and response it made until it is
 * shut down, so a client kept for the life of the operator grows with every lookup (heap and open
 * connections); one client per lookup forgets that a registry speaks plain HTTP and tries TLS first
 * every time. Rotating keeps both bounded: one failed TLS attempt, and at most a few hundred retained
 * transports, per client.
 */
final class RotatingClient<T> {
  /** A use of the client; close it when done (try-with-resources). */
  final class Lease implements AutoCloseable {
    private final Generation generation;

    private Lease(Generation generation) {
      this.generation = generation;
    }

    T client() {
      return generation.client;
    }

    @Override
    public void close() {
      release(generation);
    }
  }

  private final class Generation {
    final T client;
    int uses;
    int inUse;
    boolean replaced;

    Generation(T client) {
      this.client = client;
    }
  }

  private final Supplier<T> factory;
  private final Consumer<T> closer;
  private final int usesPerClient;
  private Generation current;

  RotatingClient(Supplier<T> factory, Consumer<T> closer, int usesPerClient) {
    this.factory = factory;
    this.closer = closer;
    this.usesPerClient = usesPerClient;
  }

  synchronized Lease lease() {
    if (current == null || current.uses >= usesPerClient) {
      if (current != null) {
        current.replaced = true;
        closeIfIdle(current);
      }
      current = new Generation(factory.get());
    }
    current.uses++;
    current.inUse++;
    return new Lease(current);
  }

  private synchronized void release(Generation generation) {
    generation.inUse--;
    closeIfIdle(generation);
  }

  private void closeIfIdle(Generation generation) {
    if (generation.replaced && generation.inUse == 0) {
      closer.accept(generation.client);
    }
  }
}
