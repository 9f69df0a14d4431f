package dev.gantry.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
  void aCredentialInsideItsHeaderFindsWhatWasCachedForItAlone() {
    // The request path hashes the token where it stands in "Bearer …"; put() gets the bare token.
    PrincipalCache cache = new PrincipalCache(100, Duration.ofMinutes(5));
    String ascii = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";
    String accented = "pässwörd-ünicode";
    String huge = "t".repeat(5000) + "end"; // longer than the per-thread buffer
    cache.put(ascii, principal("ascii"), LATER);
    cache.put(accented, principal("accented"), LATER);
    cache.put(huge, principal("huge"), LATER);
    cache.put("ABC", principal("abc"), LATER);

    assertThat(cache.get("Bearer " + ascii, 7)).isEqualTo(principal("ascii"));
    assertThat(cache.get("Basic " + accented, 6)).isEqualTo(principal("accented"));
    assertThat(cache.get("Bearer " + huge, 7)).isEqualTo(principal("huge"));
    assertThat(cache.get("Bearer " + ascii, 6)).isNull(); // the space is part of a different credential
    assertThat(cache.get("Bearer " + huge.substring(0, huge.length() - 1) + "x", 7)).isNull();
    assertThat(cache.get("Basic pässwörd-ünicodf", 6)).isNull();
    // A character above U+00FF must not hash as its low byte ("\u0141" is not "A").
    assertThat(cache.get("\u0141BC", 0)).isNull();
    assertThat(cache.get("xABC", 1)).isEqualTo(principal("abc"));
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
  void aBurstOfMissesForOneCredentialOnAnEventLoopSharesOneCheck() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PrincipalCache cache = new PrincipalCache(10, Duration.ofMinutes(5));
      AtomicInteger checks = new AtomicInteger();
      Promise<Principal> slow = Promise.promise();
      Function<String, Future<Principal>> check = credential -> {
        checks.incrementAndGet();
        return credential.equals("new-token") ? slow.future() : Future.failedFuture(new IllegalStateException("denied"));
      };
      Context loop = vertx.getOrCreateContext();
      CompletableFuture<List<Future<Principal>>> burst = new CompletableFuture<>();
      loop.runOnContext(v -> burst.complete(List.of(cache.lookup("Bearer new-token", 7, check),
          cache.lookup("Bearer new-token", 7, check), cache.lookup("new-token", 0, check))));
      List<Future<Principal>> waiting = burst.get(5, TimeUnit.SECONDS);
      assertThat(checks).as("one check for three requests").hasValue(1);

      loop.runOnContext(v -> slow.complete(principal("n")));
      for (Future<Principal> future : waiting) {
        assertThat(future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(principal("n"));
      }
      // Finished checks are forgotten: a failure is not shared with later requests, and is checked again.
      CompletableFuture<Integer> after = new CompletableFuture<>();
      loop.runOnContext(v -> {
        cache.lookup("other", 0, check);
        cache.lookup("other", 0, check);
        after.complete(checks.get());
      });
      assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void anExpiredEntryIsNotReturned() {
    PrincipalCache cache = new PrincipalCache(10, Duration.ofMinutes(5));
    cache.put("gone", principal("g"), Instant.now().minusSeconds(1));
    assertThat(cache.get("gone")).isNull();
  }

  /** A check that must not run: the credential was expected to be found without it. */
  private static Future<Principal> mustNotCheck(String credential) {
    throw new AssertionError("checked again: " + credential);
  }

  @Test
  void aConnectionSendingItsTokenAgainIsAnsweredFromWhatItRemembers() {
    PrincipalCache cache = new PrincipalCache(100, Duration.ofMinutes(5));
    String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";
    cache.put(token, principal("a"), LATER);
    io.netty.channel.embedded.EmbeddedChannel connection = new io.netty.channel.embedded.EmbeddedChannel();

    Future<Principal> hashed = cache.lookup(connection, "Bearer " + token, 7, PrincipalCacheTest::mustNotCheck);
    Future<Principal> remembered = cache.lookup(connection, new String(("Bearer " + token).toCharArray()), 7,
        PrincipalCacheTest::mustNotCheck);
    assertThat(hashed.result()).isEqualTo(principal("a"));
    assertThat(remembered).as("the remembered answer, not another hashed lookup").isSameAs(
        cache.lookup(connection, "Bearer " + token, 7, PrincipalCacheTest::mustNotCheck));

    // Another token on the same connection is never the remembered principal, however close it is.
    AtomicInteger checks = new AtomicInteger();
    Function<String, Future<Principal>> check = credential -> {
      checks.incrementAndGet();
      return Future.succeededFuture(principal("checked " + credential));
    };
    String edited = token.substring(0, token.length() - 1) + "m";
    assertThat(cache.lookup(connection, "Bearer " + edited, 7, check).result()).isEqualTo(principal("checked " + edited));
    assertThat(cache.lookup(connection, "bearer " + token, 7, check).result()).isEqualTo(principal("a")); // hashed: same token
    assertThat(checks).hasValue(1);
    // Another cache (another scheme, or the same one rebuilt on a rotation) does not share it.
    PrincipalCache other = new PrincipalCache(100, Duration.ofMinutes(5));
    cache.lookup(connection, "Bearer " + token, 7, PrincipalCacheTest::mustNotCheck);
    assertThat(other.lookup(connection, "Bearer " + token, 7, check).result()).isEqualTo(principal("checked " + token));
    assertThat(checks).hasValue(2);
    connection.finishAndReleaseAll();
  }

  @Test
  void whatAConnectionRemembersEndsWhenTheCacheIsClearedOrTheCredentialExpires() throws Exception {
    PrincipalCache cache = new PrincipalCache(100, Duration.ofMinutes(5));
    io.netty.channel.embedded.EmbeddedChannel connection = new io.netty.channel.embedded.EmbeddedChannel();
    AtomicInteger checks = new AtomicInteger();
    Function<String, Future<Principal>> check = credential -> {
      checks.incrementAndGet();
      return Future.failedFuture(AuthenticationFailure.invalid("not any more"));
    };
    cache.put("revoked", principal("r"), LATER);
    cache.lookup(connection, "Bearer revoked", 7, PrincipalCacheTest::mustNotCheck);
    cache.lookup(connection, "Bearer revoked", 7, PrincipalCacheTest::mustNotCheck);
    cache.clear(); // an authenticator closed: what it verified no longer counts
    assertThat(cache.lookup(connection, "Bearer revoked", 7, check).failed()).isTrue();
    assertThat(checks).hasValue(1);

    cache.put("short", principal("s"), Instant.now().plusMillis(300));
    cache.lookup(connection, "Bearer short", 7, PrincipalCacheTest::mustNotCheck);
    assertThat(cache.lookup(connection, "Bearer short", 7, PrincipalCacheTest::mustNotCheck).result())
        .isEqualTo(principal("s"));
    Thread.sleep(400);
    assertThat(cache.lookup(connection, "Bearer short", 7, check).failed()).as("expired while remembered").isTrue();
    assertThat(checks).hasValue(2);
    connection.finishAndReleaseAll();
  }
}
