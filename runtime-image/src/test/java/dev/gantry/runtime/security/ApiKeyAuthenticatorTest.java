package dev.gantry.runtime.security;

import static dev.gantry.runtime.security.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyAuthenticatorTest {

  static Vertx vertx;
  static TestHttp http;
  static ApiKeyAuthenticator inHeader;
  static ApiKeyAuthenticator inQuery;
  static int headerPort;
  static int queryPort;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = new TestHttp(vertx);
    Path keys = Schemes.write(dir, "keys", "# consumers\nbilling:k-billing-1234567890\n\n  anonymous-key-abcdef  \nops:with:colon\n");
    inHeader = new ApiKeyAuthenticator(Schemes.apiKey("key", "header", "X-API-Key", keys));
    inQuery = new ApiKeyAuthenticator(Schemes.apiKey("qkey", "query", "api_key", keys));
    headerPort = http.serve(inHeader::authenticate);
    queryPort = http.serve(inQuery::authenticate);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @Test
  void headerKeyNamesItsConsumer() {
    assertThat(http.get(headerPort, "/", "X-API-Key", "k-billing-1234567890").body()).isEqualTo("billing||key");
    assertThat(http.get(headerPort, "/", "x-api-key", "with:colon").body()).isEqualTo("ops||key");
  }

  @Test
  void keyWithoutConsumerGetsAStableOpaqueName() {
    String expected = "key-" + Hashes.sha256Hex("anonymous-key-abcdef").substring(0, 8);
    assertThat(http.get(headerPort, "/", "X-API-Key", "anonymous-key-abcdef").body()).isEqualTo(expected + "||key");
  }

  @Test
  void queryKey() {
    assertThat(http.get(queryPort, "/orders?api_key=k-billing-1234567890&x=1").body()).isEqualTo("billing||qkey");
    assertThat(http.get(queryPort, "/orders", "X-API-Key", "k-billing-1234567890").status())
        .as("a header does not count for a query scheme").isEqualTo(401);
  }

  @Test
  void wrongMissingOrRepeatedKeysAre401() {
    assertThat(http.get(headerPort, "/", "X-API-Key", "k-billing-123456789").body()).isEqualTo("unknown API key");
    assertThat(http.get(headerPort, "/", "X-API-Key", "billing:k-billing-1234567890").status()).isEqualTo(401);
    assertThat(http.get(headerPort, "/").body()).isEqualTo("no API key in header X-API-Key");
    assertThat(http.get(queryPort, "/?api_key=nope").status()).isEqualTo(401);
    assertThat(http.get(queryPort, "/?api_key=k-billing-1234567890&api_key=nope").status()).isEqualTo(401);
  }

  @Test
  void challengesNameTheLocation() {
    assertThat(inHeader.challenge()).isEqualTo("ApiKey header=\"X-API-Key\"");
    assertThat(inQuery.challenge()).isEqualTo("ApiKey query=\"api_key\"");
  }
}
