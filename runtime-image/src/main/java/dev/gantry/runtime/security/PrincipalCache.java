package dev.gantry.runtime.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded cache of credentials already verified, so repeated requests skip crypto, bcrypt or a
 * network call. Keys are salted SHA-256 digests: a heap dump shows no usable credential.
 * Only successes are cached; each entry lives until the credential's own expiry or the cap.
 * Concurrent misses for one credential on one event loop share one check (see {@link #lookup}).
 * <p>
 * A bearer token found here is also remembered on the client's connection ({@link #lookup(Channel,
 * String, int, Function)}): a keep-alive client sends the same token on every request, and the
 * next one is then recognised by comparing the header with the remembered one, without hashing it
 * (the salted SHA-256 of a JWT was the largest single cost of a cached check, bench/README.md).
 * That keeps the token's text in the heap while its connection lives, as the connection's own
 * read buffers do; it is never done for passwords (Basic), which outlive any token.
 */
final class PrincipalCache {

  private record Entry(Principal principal, Instant expiresAt) {}

  /**
   * A connection's last bearer header found in a cache, valid while that cache's {@code epoch} is
   * current (it is not cleared since) and until {@code expiresAtMillis}. One per connection, so a
   * client switching tokens (or a fleet connection switching APIs) only falls back to the hashed
   * lookup. The epoch, not the cache, is kept: a rebuilt cache's predecessor is not held alive.
   */
  private record Remembered(Object epoch, String header, long expiresAtMillis, Future<Principal> principal) {}

  private static final AttributeKey<Remembered> REMEMBERED = AttributeKey.valueOf("gantry.rememberedCredential");

  /** Longest credential hashed from a per-thread buffer; longer ones are copied (rare, and still correct). */
  private static final int SCRATCH_BYTES = 2048;

  /**
   * Per thread (event loops, and the workers that verify): a digest, and a buffer the credential's
   * ASCII characters are copied into, so that hashing a token allocates nothing but the key; and the
   * checks this thread (an event loop) has in flight, by key.
   */
  private record Hasher(MessageDigest digest, byte[] buffer, Map<ByteBuffer, Future<Principal>> checking) {
    Hasher() {
      this(sha256(), new byte[SCRATCH_BYTES], new HashMap<>());
    }
  }

  private final byte[] salt = new byte[16];
  private final ThreadLocal<Hasher> hashers = ThreadLocal.withInitial(Hasher::new);
  private final Duration maxTtl;
  private final Cache<ByteBuffer, Entry> cache;
  // This cache's, and new at each clear(): what connections remember from another no longer counts.
  private volatile Object epoch = new Object();

  PrincipalCache(long maxSize, Duration maxTtl) {
    new SecureRandom().nextBytes(salt);
    this.maxTtl = maxTtl;
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxSize)
        // Maintenance on the calling event loop: the default executor (the common pool) wakes another
        // thread every few hundred reads, a futex and a context switch each time (bench/README.md).
        .executor(Runnable::run)
        .expireAfter(Expiry.creating((ByteBuffer key, Entry entry) -> Duration.between(Instant.now(), entry.expiresAt())))
        .build();
  }

  /* test */ Principal get(String credential) {
    return get(credential, 0);
  }

  /**
   * The principal cached for the credential {@code text.substring(start)}, without making that
   * substring. For tests: the request path asks {@link #lookup}, which also joins checks in flight.
   */
  /* test */ Principal get(String text, int start) {
    return valid(cache.getIfPresent(key(hashers.get(), text, start)));
  }

  /** Expiry is also checked here: Caffeine evicts lazily and its clock is not the wall clock. */
  private static Principal valid(Entry entry) {
    // Milliseconds: the wall clock in one cheap read (Instant.now() was a visible share of a hit).
    return entry == null || entry.expiresAt().toEpochMilli() <= System.currentTimeMillis() ? null : entry.principal();
  }

  /**
   * The principal for the credential {@code text.substring(start)}: cached, or from {@code check}
   * (given the credential) on a miss. A credential already being checked on this event loop joins
   * that check instead of starting another: a burst of requests with a new token makes one
   * signature check or introspection call, not one per request (and not one worker thread each).
   * Checks are shared per event loop only, so each request's continuation stays on its own loop.
   */
  Future<Principal> lookup(String text, int start, Function<String, Future<Principal>> check) {
    return lookup(null, text, start, check);
  }

  /**
   * As {@link #lookup(String, int, Function)}, for a bearer header ({@code text}, the credential
   * from {@code start}) that came on {@code connection} (null: none): the header this connection
   * last presented, if it is this one, is answered without hashing; a hit in the cache becomes
   * what the connection remembers. On the connection's event loop.
   */
  Future<Principal> lookup(Channel connection, String text, int start, Function<String, Future<Principal>> check) {
    Remembered remembered = connection == null ? null : connection.attr(REMEMBERED).get();
    if (remembered != null && remembered.epoch() == epoch && remembered.header().equals(text)
        && System.currentTimeMillis() < remembered.expiresAtMillis()) {
      return remembered.principal();
    }
    Object current = epoch; // read before the cache: see clear()
    Hasher hasher = hashers.get();
    ByteBuffer key = key(hasher, text, start);
    Entry entry = cache.getIfPresent(key);
    Principal cached = valid(entry);
    if (cached != null) {
      Future<Principal> found = Future.succeededFuture(cached);
      if (connection != null) {
        connection.attr(REMEMBERED).set(new Remembered(current, text, entry.expiresAt().toEpochMilli(), found));
      }
      return found;
    }
    Map<ByteBuffer, Future<Principal>> checking = hasher.checking();
    Future<Principal> pending = checking.get(key);
    if (pending != null) {
      return pending;
    }
    Future<Principal> started = check.apply(text.substring(start));
    // Completion runs on the context that started the check, this event loop: the map stays single-threaded.
    if (!started.isComplete() && Context.isOnEventLoopThread()) {
      checking.put(key, started);
      started.onComplete(done -> checking.remove(key, started));
    }
    return started;
  }

  /** Caches until {@code expiresAt} (null = no own expiry), but never longer than the cap. */
  void put(String credential, Principal principal, Instant expiresAt) {
    Instant cap = Instant.now().plus(maxTtl);
    Instant until = expiresAt == null || expiresAt.isAfter(cap) ? cap : expiresAt;
    if (until.isAfter(Instant.now())) {
      cache.put(key(hashers.get(), credential, 0), new Entry(principal, until));
    }
  }

  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  void clear() {
    cache.invalidateAll();
    // After emptying: a lookup that reads the new epoch finds no entry from before, and one that
    // read the old one remembers its hit under the old one, which no longer counts.
    epoch = new Object();
  }

  /* test */ ByteBuffer key(String credential) {
    return key(hashers.get(), credential, 0);
  }

  /** SHA-256 of the salt and the UTF-8 bytes of {@code text.substring(start)}. */
  private ByteBuffer key(Hasher hasher, String text, int start) {
    MessageDigest digest = hasher.digest(); // digest() below leaves it reset for the next key
    digest.update(salt);
    int length = text.length() - start;
    byte[] buffer = hasher.buffer();
    if (length <= buffer.length && copyAscii(text, start, buffer)) {
      digest.update(buffer, 0, length); // ASCII is its own UTF-8
    } else {
      digest.update(text.substring(start).getBytes(StandardCharsets.UTF_8));
    }
    return ByteBuffer.wrap(digest.digest());
  }

  /** Copies the characters from {@code start} into {@code buffer}; false (buffer unused) at the first non-ASCII one. */
  private static boolean copyAscii(String text, int start, byte[] buffer) {
    for (int i = start, j = 0; i < text.length(); i++, j++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return false;
      }
      buffer[j] = (byte) c;
    }
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
