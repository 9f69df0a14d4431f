package dev.gantry.runtime.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A bounded cache of credentials already verified, so repeated requests skip crypto, bcrypt or a
 * network call. Keys are salted SHA-256 digests: a heap dump shows no usable credential.
 * Only successes are cached; each entry lives until the credential's own expiry or the cap.
 */
final class PrincipalCache {

  private record Entry(Principal principal, Instant expiresAt) {}

  private final byte[] salt = new byte[16];
  private final Duration maxTtl;
  private final Cache<String, Entry> cache;

  PrincipalCache(long maxSize, Duration maxTtl) {
    new SecureRandom().nextBytes(salt);
    this.maxTtl = maxTtl;
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxSize)
        .expireAfter(Expiry.creating((String key, Entry entry) -> Duration.between(Instant.now(), entry.expiresAt())))
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

  private String key(String credential) {
    return HexFormat.of().formatHex(Hashes.sha256(salt, credential.getBytes(StandardCharsets.UTF_8)));
  }
}
