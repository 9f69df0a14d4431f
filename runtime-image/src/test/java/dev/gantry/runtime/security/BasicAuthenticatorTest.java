package dev.gantry.runtime.security;

import static dev.gantry.runtime.security.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

class BasicAuthenticatorTest {

  static Vertx vertx;
  static TestHttp http;
  static BasicAuthenticator authenticator;
  static int port;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = new TestHttp(vertx);
    String alice = BCrypt.hashpw("wonderland", BCrypt.gensalt(4));
    // htpasswd -B writes $2y$: accepted as the same algorithm.
    String bob = "$2y$" + BCrypt.hashpw("builder", BCrypt.gensalt(5)).substring(4);
    Path file = Schemes.write(dir, "htpasswd", "# users\nalice:" + alice + "\n\nbob:" + bob + "\n");
    authenticator = new BasicAuthenticator(Schemes.basic("basic", file, "Orders \"API\""), vertx);
    port = http.serve(authenticator::authenticate);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rightPasswordYieldsUser() {
    assertThat(http.get(port, "/", "Authorization", basic("alice:wonderland")).body()).isEqualTo("alice||basic");
    assertThat(http.get(port, "/", "Authorization", basic("bob:builder")).body()).isEqualTo("bob||basic");
  }

  @Test
  void schemeNameIsCaseInsensitive() {
    assertThat(http.get(port, "/", "Authorization", basic("alice:wonderland").replace("Basic", "bAsIc")).status())
        .isEqualTo(200);
  }

  @Test
  void successIsCachedSoBcryptRunsOnce() {
    http.get(port, "/", "Authorization", basic("bob:builder"));
    var again = http.get(port, "/", "Authorization", basic("bob:builder"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.synchronous()).isTrue();
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSameAnswer() {
    var wrong = http.get(port, "/", "Authorization", basic("alice:looking-glass"));
    var unknown = http.get(port, "/", "Authorization", basic("mallory:wonderland"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.body()).as("no hint whether the user exists").isEqualTo(wrong.body());
  }

  @Test
  void cachedSuccessDoesNotAdmitAnotherPassword() {
    http.get(port, "/", "Authorization", basic("alice:wonderland"));
    assertThat(http.get(port, "/", "Authorization", basic("alice:wonderlan")).status()).isEqualTo(401);
  }

  @Test
  void malformedHeadersAre401() {
    assertThat(http.get(port, "/", "Authorization", "Basic !!!not-base64!!!").body()).contains("base64");
    assertThat(http.get(port, "/", "Authorization", basic("no-colon")).body()).contains("colon");
    assertThat(http.get(port, "/", "Authorization", "Bearer abc").status()).isEqualTo(401);
    assertThat(http.get(port, "/").status()).isEqualTo(401);
  }

  @Test
  void challengeQuotesTheRealm() {
    assertThat(authenticator.challenge()).isEqualTo("Basic realm=\"Orders \\\"API\\\"\", charset=\"UTF-8\"");
  }
}
