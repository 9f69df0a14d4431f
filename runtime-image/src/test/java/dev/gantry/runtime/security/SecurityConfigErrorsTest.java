package dev.gantry.runtime.security;

import static dev.gantry.runtime.security.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.runtime.config.SecurityConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scheme that cannot be enforced stops the start, with a message naming scheme and file. */
class SecurityConfigErrorsTest {

  static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  AbstractThrowableAssert<?, ? extends Throwable> assertRejected(SecurityConfig config) {
    return assertThatThrownBy(() -> Authenticators.create(config, vertx))
        .isInstanceOf(SecurityConfigException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("security scheme '" + config.name() + "' (" + config.type() + ")");
  }

  @Test
  void missingFile() {
    Path missing = dir.resolve("nope/keys");
    assertRejected(Schemes.apiKey("key", "header", "X-Key", missing)).hasMessageContaining(missing + ": not found");
    Path secret = dir.resolve("secret");
    assertRejected(Schemes.oauth2("oauth", URI.create("http://127.0.0.1/i"), secret, null))
        .hasMessageContaining(secret.toString());
    assertRejected(Schemes.apiKey("key", "header", "X-Key", null)).hasMessageContaining("no file configured");
  }

  @Test
  void emptyOrCommentOnlyKeysFile() {
    Path empty = Schemes.write(dir, "empty", " \n\n");
    assertRejected(Schemes.apiKey("key", "header", "X-Key", empty)).hasMessageContaining(empty + ": is empty");
    Path comments = Schemes.write(dir, "comments", "# rotated out\n");
    assertRejected(Schemes.apiKey("key", "header", "X-Key", comments)).hasMessageContaining("has no entries");
  }

  @Test
  void duplicateKeysAndBadLocation() {
    Path keys = Schemes.write(dir, "keys", "a:same\nb:same\n");
    assertRejected(Schemes.apiKey("key", "header", "X-Key", keys)).hasMessageContaining("line 2 repeats a key");
    assertRejected(Schemes.apiKey("key", "cookie", "k", Schemes.write(dir, "ok", "k1\n"))).hasMessageContaining("cookie");
  }

  @Test
  void malformedHtpasswdNamesTheLineNotTheContent() {
    Path file = Schemes.write(dir, "htpasswd", "# ok\nalice:plain-text-password\n");
    assertRejected(Schemes.basic("basic", file, null))
        .hasMessageContaining(file + ": line 2 is not user:bcrypt-hash")
        .hasMessageNotContaining("plain-text-password");
  }

  @Test
  void unparseablePem() {
    Path notPem = Schemes.write(dir, "not.pem", "hello");
    assertRejected(Schemes.jwtFile("jwt", notPem)).hasMessageContaining(notPem + ": contains no PEM block");
    Path badCert = Schemes.write(dir, "bad.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertRejected(Schemes.jwtFile("jwt", badCert)).hasMessageContaining(badCert + ": unparseable certificate");
    Path badKey = Schemes.write(dir, "key.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    assertRejected(Schemes.jwtFile("jwt", badKey)).hasMessageContaining("unparseable PUBLIC KEY");
    assertRejected(Schemes.mtls("mtls", badCert, null)).hasMessageContaining(badCert.toString());
  }

  @Test
  void caFileWithoutCertificate() {
    Path keyOnly = Schemes.write(dir, "ca.pem", Pki.pem("PUBLIC KEY", Pki.ca("x").keys().getPublic().getEncoded()));
    assertRejected(Schemes.mtls("mtls", keyOnly, null)).hasMessageContaining("contains no PEM CERTIFICATE");
  }

  @Test
  void invalidSettings() {
    Path cert = Schemes.write(dir, "ca.pem", Pki.ca("x").certificatePem());
    assertRejected(new SecurityConfig("jwt", SecurityConfig.Type.JWT, new SecurityConfig.Jwt("iss", null,
        URI.create("http://127.0.0.1/jwks"), cert, null, null), null, null, null, null)).hasMessageContaining("exactly one");
    assertRejected(new SecurityConfig("jwt", SecurityConfig.Type.JWT, new SecurityConfig.Jwt(null, null, null, cert,
        null, null), null, null, null, null)).hasMessageContaining("issuer");
    assertRejected(Schemes.mtls("mtls", cert, "email")).hasMessageContaining("principalFrom");
    assertRejected(new SecurityConfig("jwt", SecurityConfig.Type.JWT, null, null, null, null, null))
        .hasMessageContaining("jwt settings are missing");
  }

  @Test
  void createAllBuildsEveryType() {
    Path cert = Schemes.write(dir, "ca.pem", Pki.ca("x").certificatePem());
    Map<String, SecurityConfig> schemes = new LinkedHashMap<>();
    schemes.put("jwt", Schemes.jwtFile("jwt", cert));
    schemes.put("oauth", Schemes.oauth2("oauth", URI.create("https://idp.test/introspect"), Schemes.write(dir, "s", "x"), null));
    schemes.put("basic", Schemes.basic("basic", Schemes.write(dir, "h", "u:" + org.mindrot.jbcrypt.BCrypt.hashpw("p",
        org.mindrot.jbcrypt.BCrypt.gensalt(4)) + "\n"), null));
    schemes.put("key", Schemes.apiKey("key", null, "X-Key", Schemes.write(dir, "k", "k1\n")));
    schemes.put("mtls", Schemes.mtls("mtls", cert, "dn"));
    var authenticators = Authenticators.createAll(schemes, vertx);
    assertThat(authenticators.keySet()).containsExactly("jwt", "oauth", "basic", "key", "mtls");
    assertThat(authenticators.values()).extracting(a -> a.getClass().getSimpleName()).containsExactly(
        "JwtAuthenticator", "OAuth2IntrospectionAuthenticator", "BasicAuthenticator", "ApiKeyAuthenticator",
        "MtlsAuthenticator");
    await(Authenticators.closeAll(authenticators.values()));
  }
}
