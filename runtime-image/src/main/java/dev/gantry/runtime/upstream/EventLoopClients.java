package dev.gantry.runtime.upstream;

import io.vertx.core.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One upstream connection pool per event-loop thread. A single shared pool lends a connection made
 * on one event loop to a request on another, and every read and write then crosses threads; with
 * a pool per loop, a request and its upstream connection stay on the same thread.
 */
public final class EventLoopClients {
  private final Supplier<HttpClient> factory;
  private final Map<Thread, HttpClient> byThread = new ConcurrentHashMap<>();
  private final List<HttpClient> all = new CopyOnWriteArrayList<>();

  public EventLoopClients(Supplier<HttpClient> factory) {
    this.factory = factory;
  }

  /** The calling thread's pool, made on first use. */
  public HttpClient current() {
    return byThread.computeIfAbsent(Thread.currentThread(), t -> {
      HttpClient client = factory.get();
      all.add(client);
      return client;
    });
  }

  public void close() {
    all.forEach(HttpClient::close);
  }
}
