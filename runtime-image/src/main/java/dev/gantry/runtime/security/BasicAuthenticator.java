package dev.gantry.runtime.security;

import dev.gantry.runtime.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.mindrot.jbcrypt.BCrypt;

/**
 * HTTP Basic against an htpasswd file of bcrypt hashes. bcrypt is slow by design, so checks run on
 * a small shared worker pool, successes are cached for 2 minutes (salted digest of user and
 * password) and at most {@value #MAX_PENDING} checks may wait: beyond that the answer is 503
 * rather than a gateway stalled by a password-guessing flood.
 */
public final class BasicAuthenticator implements Authenticator {

  static final String DEFAULT_REALM = "gantry";
  static final int MAX_PENDING = 256;
  private static final Pattern BCRYPT_HASH = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
  private static final Duration CACHE_TTL = Duration.ofMinutes(2);
  private static final int CACHE_SIZE = 10_000;

  private final String scheme;
  private final String realm;
  private final Map<String, String> hashes = new HashMap<>();
  /** Checked for unknown users so that they cost as much time as known ones. */
  private final String dummyHash;
  private final PrincipalCache verified = new PrincipalCache(CACHE_SIZE, CACHE_TTL);
  private final WorkerExecutor bcrypt;
  private final AtomicInteger pending = new AtomicInteger();

  public BasicAuthenticator(SecurityConfig config, Vertx vertx) {
    SecurityConfig.Basic basic = config.basic();
    if (basic == null) {
      throw SecurityConfigException.of(config, "basic settings are missing");
    }
    int maxCost = 4;
    for (SecurityFiles.Line line : SecurityFiles.lines(config, basic.credentialsFile())) {
      int colon = line.text().indexOf(':');
      String hash = colon > 0 ? line.text().substring(colon + 1) : "";
      var matcher = BCRYPT_HASH.matcher(hash);
      if (!matcher.matches()) {
        throw SecurityConfigException.of(config, basic.credentialsFile(),
            "line " + line.number() + " is not user:bcrypt-hash ($2a$, $2b$ or $2y$)", null);
      }
      int cost = Integer.parseInt(matcher.group(1));
      if (cost < 4 || cost > 30) {
        throw SecurityConfigException.of(config, basic.credentialsFile(),
            "line " + line.number() + " has bcrypt cost " + cost + " (must be 4 to 30)", null);
      }
      // jBCrypt knows only $2a$; $2b$ and $2y$ name the same algorithm with fixes jBCrypt never needed.
      if (hashes.put(line.text().substring(0, colon), "$2a$" + hash.substring(4)) != null) {
        throw SecurityConfigException.of(config, basic.credentialsFile(),
            "line " + line.number() + " repeats a user name", null);
      }
      maxCost = Math.max(maxCost, cost);
    }
    this.scheme = config.name();
    this.realm = basic.realm() == null || basic.realm().isBlank() ? DEFAULT_REALM : basic.realm();
    this.dummyHash = BCrypt.hashpw(UUID.randomUUID().toString(), BCrypt.gensalt(maxCost));
    this.bcrypt = vertx.createSharedWorkerExecutor("gantry-bcrypt", Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  @Override
  public Future<Principal> authenticate(HttpServerRequest request) {
    String pair;
    try {
      pair = new String(Base64.getDecoder().decode(HttpAuth.credentials(request, "Basic")), StandardCharsets.UTF_8);
    } catch (AuthenticationFailure failure) {
      return Future.failedFuture(failure);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(AuthenticationFailure.invalid("Basic credentials are not valid base64"));
    }
    int colon = pair.indexOf(':');
    if (colon < 0) {
      return Future.failedFuture(AuthenticationFailure.invalid("Basic credentials lack the user:password colon"));
    }
    // User names cannot contain ':', so the pair is unambiguous; the same pair sent again while its
    // bcrypt check runs joins that check.
    return verified.lookup(pair, 0, this::checkOffLoop);
  }

  private Future<Principal> checkOffLoop(String pair) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      return Future.failedFuture(AuthenticationFailure.unavailable("too many password checks in progress", null));
    }
    int colon = pair.indexOf(':');
    String user = pair.substring(0, colon);
    String password = pair.substring(colon + 1);
    return bcrypt.<Principal>executeBlocking(() -> check(user, password, pair), false)
        .andThen(result -> pending.decrementAndGet());
  }

  @Override
  public String challenge() {
    return "Basic realm=" + HttpAuth.quote(realm) + ", charset=\"UTF-8\"";
  }

  @Override
  public Future<Void> close() {
    verified.clear();
    return bcrypt.close();
  }

  private Principal check(String user, String password, String pair) {
    String hash = hashes.get(user);
    String expected = hash != null ? hash : dummyHash;
    boolean matches = MessageDigest.isEqual(
        BCrypt.hashpw(password, expected).getBytes(StandardCharsets.US_ASCII),
        expected.getBytes(StandardCharsets.US_ASCII));
    if (!matches || hash == null) {
      throw AuthenticationFailure.invalid("wrong user name or password");
    }
    Principal principal = new Principal(user, Set.of(), scheme);
    verified.put(pair, principal, null);
    return principal;
  }
}
