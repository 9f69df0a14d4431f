package dev.gantry.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalCacheTest {
  private static final Instant LATER = Instant.now().plusSeconds(3600);

  private static Principal principal(String name) {
    return new Principal(name, Set.of(), "test");
  }

  @Test
  void aCachedCredentialIsFoundAgainAndNoOtherIs() {
    PrincipalCache cache = new PrincipalCache(100, Duration.ofMinutes(5));
    String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";
    cache.put(token, principal("a"), LATER);

    assertThat(cache.get(new String(token.toCharArray()))).isEqualTo(principal("a"));
    // One character changed anywhere, a prefix, an extension, a re-cased copy: never the cached principal.
    for (int i = 0; i < token.length(); i++) {
      char[] other = token.toCharArray();
      other[i] = other[i] == 'A' ? 'B' : 'A';
      assertThat(cache.get(new String(other))).as("changed at %d", i).isNull();
    }
    assertThat(cache.get(token.substring(0, token.length() - 1))).isNull();
    assertThat(cache.get(token + "x")).isNull();
    assertThat(cache.get(token.toLowerCase())).isNull();
    assertThat(cache.get("")).isNull();
  }

  @Test
  void manyCredentialsKeepTheirOwnPrincipals() {
    PrincipalCache cache = new PrincipalCache(10_000, Duration.ofMinutes(5));
    for (int i = 0; i < 2000; i++) {
      cache.put("token-" + i, principal("p" + i), LATER);
    }
    for (int i = 0; i < 2000; i++) {
      assertThat(cache.get("token-" + i)).isEqualTo(principal("p" + i));
    }
    assertThat(cache.size()).isEqualTo(2000);
  }

  @Test
  void keysAreSaltedDigestsNotTheCredential() {
    PrincipalCache one = new PrincipalCache(10, Duration.ofMinutes(5));
    PrincipalCache two = new PrincipalCache(10, Duration.ofMinutes(5));
    String token = "secret-token-value";
    assertThat(one.key(token)).isEqualTo(one.key(token)).isNotEqualTo(two.key(token));
    assertThat(one.key(token).remaining()).isEqualTo(32);
    assertThat(new String(one.key(token).array(), StandardCharsets.ISO_8859_1)).doesNotContain("secret");
  }

  @Test
  void anExpiredEntryIsNotReturned() {
    PrincipalCache cache = new PrincipalCache(10, Duration.ofMinutes(5));
    cache.put("gone", principal("g"), Instant.now().minusSeconds(1));
    assertThat(cache.get("gone")).isNull();
  }
}
