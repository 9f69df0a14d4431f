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

  /** A digest already fed the salt; each key is computed on a clone (cheaper than a new digest). */
  private final MessageDigest salted;
  private final Duration maxTtl;
  private final Cache<ByteBuffer, Entry> cache;

  PrincipalCache(long maxSize, Duration maxTtl) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    try {
      this.salted = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    salted.update(salt);
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
    Entry entry = cache.getIfPresent(key(credential));
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
    MessageDigest digest;
    try {
      digest = (MessageDigest) salted.clone(); // the JDK's SHA-256 is cloneable; never updated in place
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest not cloneable", e);
    }
    return ByteBuffer.wrap(digest.digest(credential.getBytes(StandardCharsets.UTF_8)));
  }
}
