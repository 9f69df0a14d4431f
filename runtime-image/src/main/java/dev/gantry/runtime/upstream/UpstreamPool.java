package dev.gantry.runtime.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The URLs of one or more Endpoints, balanced round-robin. A URL that fails to connect or times
 * out is ejected for a while (passive health checking); when every URL is ejected the one that
 * comes back soonest is tried rather than failing without trying.
 */
public final class UpstreamPool {
  private final List<Target> targets;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLongArray ejectedUntil;
  private final long ejectNanos;
  private final LongSupplier clock;

  /**
   * One URL together with the settings of the Endpoint it belongs to, and what each request needs
   * of them worked out once (host, port, TLS, path prefix without its trailing slash, timeouts, the
   * Host header, the key of its connection pool).
   */
  public record Target(String upstream, URI url, Duration connectTimeout, Duration responseTimeout,
                       java.nio.file.Path caFile, String host, int port, boolean tls, String pathPrefix,
                       long connectTimeoutMillis, long responseTimeoutMillis, String hostHeader, String poolKey) {

    public Target(String upstream, URI url, Duration connectTimeout, Duration responseTimeout,
                  java.nio.file.Path caFile) {
      this(upstream, url, connectTimeout, responseTimeout, caFile, url.getHost(), port(url), isTls(url),
          pathPrefix(url), connectTimeout.toMillis(), responseTimeout.toMillis(), hostHeader(url),
          (isTls(url) ? "https://" : "http://") + url.getHost() + ":" + port(url));
    }

    /** The upstream request's Host: the URL's host, and its port unless the scheme's default. */
    private static String hostHeader(URI url) {
      return url.getPort() > 0 && url.getPort() != (isTls(url) ? 443 : 80) ? url.getHost() + ":" + url.getPort()
          : url.getHost();
    }

    private static boolean isTls(URI url) {
      return "https".equalsIgnoreCase(url.getScheme());
    }

    private static int port(URI url) {
      return url.getPort() > 0 ? url.getPort() : isTls(url) ? 443 : 80;
    }

    private static String pathPrefix(URI url) {
      String path = url.getRawPath() == null ? "" : url.getRawPath();
      return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
  }

  public UpstreamPool(List<Target> targets, Duration ejectFor, LongSupplier nanoClock) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("an upstream pool needs at least one URL");
    }
    this.targets = List.copyOf(targets);
    this.ejectedUntil = new AtomicLongArray(targets.size());
    this.ejectNanos = ejectFor.toNanos();
    this.clock = nanoClock;
  }

  /** The index of the target to use next. */
  public int choose() {
    long now = clock.getAsLong();
    int size = targets.size();
    int start = Math.floorMod(next.getAndIncrement(), size);
    int soonest = start;
    for (int i = 0; i < size; i++) {
      int candidate = (start + i) % size;
      long until = ejectedUntil.get(candidate);
      if (until == 0 || until - now <= 0) {
        return candidate;
      }
      if (until - ejectedUntil.get(soonest) < 0) {
        soonest = candidate;
      }
    }
    return soonest;
  }

  public int size() {
    return targets.size();
  }

  public Target target(int index) {
    return targets.get(index);
  }

  public void failed(int index) {
    long until = clock.getAsLong() + ejectNanos;
    ejectedUntil.set(index, until == 0 ? 1 : until);
  }

  public void succeeded(int index) {
    ejectedUntil.set(index, 0);
  }

  public boolean allEjected() {
    long now = clock.getAsLong();
    for (int i = 0; i < targets.size(); i++) {
      long until = ejectedUntil.get(i);
      if (until == 0 || until - now <= 0) {
        return false;
      }
    }
    return true;
  }
}
