package dev.gantry.runtime.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * A bounded cache of credentials already verified, so repeated requests skip crypto, bcrypt or a
 * network call. Keys are salted SHA-256 digests: a heap dump shows no usable credential.
 * Only successes are cached; each entry lives until the credential's own expiry or the cap.
 */
final class PrincipalCache {

  private record Entry(Principal principal, Instant expiresAt) {}

  /** Longest credential hashed from a per-thread buffer; longer ones are copied (rare, and still correct). */
  private static final int SCRATCH_BYTES = 2048;

  /**
   * Per thread (event loops, and the workers that verify): a digest, and a buffer the credential's
   * ASCII characters are copied into, so that hashing a token allocates nothing but the key.
   */
  private record Hasher(MessageDigest digest, byte[] buffer) {
    Hasher() {
      this(sha256(), new byte[SCRATCH_BYTES]);
    }
  }

  private final byte[] salt = new byte[16];
  private final ThreadLocal<Hasher> hashers = ThreadLocal.withInitial(Hasher::new);
  private final Duration maxTtl;
  private final Cache<ByteBuffer, Entry> cache;

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

  Principal get(String credential) {
    return get(credential, 0);
  }

  /** The principal cached for the credential {@code text.substring(start)}, without making that substring. */
  Principal get(String text, int start) {
    Entry entry = cache.getIfPresent(key(text, start));
    // Expiry is also checked here: Caffeine evicts lazily and its clock is not the wall clock.
    return entry == null || !entry.expiresAt().isAfter(Instant.now()) ? null : entry.principal();
  }

  /** Caches until {@code expiresAt} (null = no own expiry), but never longer than the cap. */
  void put(String credential, Principal principal, Instant expiresAt) {
    Instant cap = Instant.now().plus(maxTtl);
    Instant until = expiresAt == null || expiresAt.isAfter(cap) ? cap : expiresAt;
    if (until.isAfter(Instant.now())) {
      cache.put(key(credential), new Entry(principal, until));
    }
  }

  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  void clear() {
    cache.invalidateAll();
  }

  /* test */ ByteBuffer key(String credential) {
    return key(credential, 0);
  }

  /** SHA-256 of the salt and the UTF-8 bytes of {@code text.substring(start)}. */
  private ByteBuffer key(String text, int start) {
    Hasher hasher = hashers.get();
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
