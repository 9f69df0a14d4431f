package dev.gantry.runtime.server;

import dev.gantry.runtime.pipeline.CompiledGateway;
import dev.gantry.runtime.pipeline.GatewayHandler;
import dev.gantry.runtime.security.SecretFingerprint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Enforces rotated Secrets without a restart. Kubelet updates the files of a mounted Secret in place
 * when the Secret changes (a revoked API key, a renewed certificate), so every poll this reads the
 * files that the served APIs' security schemes, their Endpoints' CAs and the TLS server were built
 * from, and when they changed reads them again: routes, quotas and upstream pools stay as they are. New files that
 * cannot be used are refused with a message naming the scheme and file, and the previous ones stay
 * enforced (a gateway never opens up because a Secret was broken); the same refused content is not
 * tried again until it changes.
 */
final class SecretRotation {
  /**
   * The TLS server's files (certificate, key, client CAs), what they held when the server read
   * them, and how to make new connections use them as they are now (throws when they cannot be used).
   */
  record ServerTls(List<Path> files, SecretFingerprint served, Supplier<Future<?>> reload) {}

  private final Vertx vertx;
  private final Supplier<Collection<GatewayHandler>> served;
  private final ServerTls tls; // null for plain HTTP
  private final Duration grace;
  private final Consumer<String> log;
  private final Map<GatewayHandler, SecretFingerprint> refused = new WeakHashMap<>(); // on the poll's worker only
  private SecretFingerprint tlsApplied;
  private SecretFingerprint tlsRefused;
  private boolean polling; // on the event loop: one poll at a time
  private long timer = -1;

  SecretRotation(Vertx vertx, Supplier<Collection<GatewayHandler>> served, ServerTls tls, Duration grace,
                 Consumer<String> log) {
    this.vertx = vertx;
    this.served = served;
    this.tls = tls;
    this.grace = grace;
    this.log = log;
    this.tlsApplied = tls == null ? null : tls.served();
  }

  /** Polls every {@code interval}; zero or negative: never. */
  void start(Duration interval) {
    if (!interval.isNegative() && !interval.isZero()) {
      timer = vertx.setPeriodic(interval.toMillis(), id -> poll());
    }
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void poll() {
    if (polling) {
      return;
    }
    polling = true;
    // Reading files and building authenticators (bcrypt users, certificates) blocks: a worker does it.
    vertx.executeBlocking(() -> {
      served.get().forEach(this::check);
      return tls == null ? null : checkTls();
    }, false).compose(reload -> reload == null ? Future.succeededFuture() : reload)
        .onComplete(done -> {
          polling = false;
          if (done.failed() && !(done.cause() instanceof TlsRefused)) { // a bug: said, and the next poll tries again
            log.accept("gantry: checking the mounted secret files failed: " + done.cause());
          }
        });
  }

  private void check(GatewayHandler handler) {
    CompiledGateway current = handler.current();
    SecretFingerprint now = SecretFingerprint.of(current.secrets().digests().keySet());
    if (now.equals(current.secrets()) || now.equals(refused.get(handler))) {
      return;
    }
    String api = current.config().api();
    CompiledGateway rebuilt;
    try {
      rebuilt = current.withSecretsReread(vertx, now);
    } catch (RuntimeException e) {
      refused.put(handler, now);
      current.metrics().secretsReloaded(false);
      log.accept("gantry: API " + api + ": the changed secret files cannot be used, the previous ones stay in use: "
          + e.getMessage());
      return;
    }
    refused.remove(handler);
    if (handler.replace(current, rebuilt)) {
      current.metrics().secretsReloaded(true);
      log.accept("gantry: API " + api + ": secret files changed, now in use: " + changed(current.secrets(), now));
      // Requests already in the old schemes finish on them; their JWKS and introspection clients close after.
      vertx.setTimer(Math.max(1, grace.toMillis()), id -> current.closeSecurity());
    } else { // the API was reloaded meanwhile, and that build read the files itself
      rebuilt.closeSecurity();
    }
  }

  /** The TLS reload to run when the server's files changed, else null. */
  private Future<?> checkTls() {
    SecretFingerprint now = SecretFingerprint.of(tls.files());
    if (now.equals(tlsApplied) || now.equals(tlsRefused)) {
      return null;
    }
    Future<?> reload;
    try {
      reload = tls.reload().get();
    } catch (RuntimeException unusable) { // unreadable, or a certificate and key of two pairs
      reload = Future.failedFuture(unusable);
    }
    return reload.onSuccess(v -> {
      log.accept("gantry: TLS files changed, new connections use them: " + changed(tlsApplied, now));
      tlsApplied = now;
      tlsRefused = null;
    }).recover(e -> {
      tlsRefused = now;
      log.accept("gantry: the changed TLS files cannot be used, connections keep the previous ones: " + e.getMessage());
      return Future.failedFuture(new TlsRefused());
    });
  }

  /** The TLS files were refused, and that was said already. */
  private static final class TlsRefused extends RuntimeException {
    TlsRefused() {
      super(null, null, false, false);
    }
  }

  private static List<Path> changed(SecretFingerprint before, SecretFingerprint after) {
    return after.digests().keySet().stream()
        .filter(file -> !after.digests().get(file).equals(before.digests().get(file))).toList();
  }
}
