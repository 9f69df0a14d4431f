package dev.gantry.runtime.security;

import dev.gantry.runtime.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Opaque bearer tokens checked by RFC 7662 introspection (form POST, HTTP Basic client
 * credentials). Active results are cached for {@code cacheTtl} (never past the token's exp, 10k
 * entries). An endpoint that cannot be reached or answers anything but 200 + JSON yields an
 * {@link AuthenticationFailure#upstreamUnavailable() unavailable} failure: 503, not 401.
 */
public final class OAuth2IntrospectionAuthenticator implements Authenticator {

  static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);
  private static final int CACHE_SIZE = 10_000;
  private static final int TIMEOUT_MS = 5_000;

  private final String scheme;
  private final URI endpoint;
  private final String clientAuthorization;
  private final HttpClientAgent client;
  private final PrincipalCache active;

  public OAuth2IntrospectionAuthenticator(SecurityConfig config, Vertx vertx) {
    SecurityConfig.OAuth2 oauth2 = config.oauth2();
    if (oauth2 == null) {
      throw SecurityConfigException.of(config, "oauth2 settings are missing");
    }
    URI url = oauth2.introspectionUrl();
    if (url == null || url.getHost() == null
        || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
      throw SecurityConfigException.of(config, "introspectionUrl must be an absolute http(s) URL, got " + url);
    }
    if (oauth2.clientId() == null || oauth2.clientId().isBlank()) {
      throw SecurityConfigException.of(config, "clientId is required");
    }
    String secret = SecurityFiles.read(config, oauth2.clientSecretFile()).strip();
    this.scheme = config.name();
    this.endpoint = url;
    // RFC 6749 §2.3.1: both parts are form-encoded before Base64.
    this.clientAuthorization = "Basic " + Base64.getEncoder().encodeToString(
        (formEncode(oauth2.clientId()) + ":" + formEncode(secret)).getBytes(StandardCharsets.UTF_8));
    this.active = new PrincipalCache(CACHE_SIZE, oauth2.cacheTtl() == null ? DEFAULT_CACHE_TTL : oauth2.cacheTtl());
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(TIMEOUT_MS),
        new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(1_000));
  }

  @Override
  public Future<Principal> authenticate(HttpServerRequest request) {
    return HttpAuth.bearer(request, active, this::introspect);
  }

  @Override
  public String challenge() {
    return "Bearer realm=" + HttpAuth.quote("gantry");
  }

  @Override
  public Future<Void> close() {
    active.clear();
    return client.close();
  }

  private Future<Principal> introspect(String token) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(endpoint.toString())
        .setConnectTimeout(TIMEOUT_MS)
        .setIdleTimeout(TIMEOUT_MS)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
        .putHeader(HttpHeaders.ACCEPT, "application/json")
        .putHeader(HttpHeaders.AUTHORIZATION, clientAuthorization);
    String form = "token=" + formEncode(token) + "&token_type_hint=access_token";
    return client.request(options)
        .compose(request -> request.send(form))
        .compose(response -> response.body().map(body -> principal(token, response.statusCode(), body)))
        .recover(error -> Future.failedFuture(error instanceof AuthenticationFailure ? error
            : AuthenticationFailure.unavailable("introspection endpoint unreachable ("
                + error.getClass().getSimpleName() + ")", error)));
  }

  private Principal principal(String token, int status, Buffer body) {
    if (status != 200) {
      // Wrong client credentials or a broken endpoint are the gateway's problem, not the caller's.
      throw AuthenticationFailure.unavailable("introspection endpoint answered HTTP " + status, null);
    }
    JsonObject answer;
    try {
      answer = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw AuthenticationFailure.unavailable("introspection answer is not a JSON object", null);
    }
    if (!Boolean.TRUE.equals(answer.getValue("active"))) {
      throw AuthenticationFailure.invalid("token is not active");
    }
    Instant expiresAt = answer.getValue("exp") instanceof Number exp ? Instant.ofEpochSecond(exp.longValue()) : null;
    if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
      throw AuthenticationFailure.invalid("token expired");
    }
    Set<String> scopes = new HashSet<>();
    if (answer.getValue("scope") instanceof String scope) {
      JwtAuthenticator.addSpaceSeparated(scopes, scope);
    }
    Principal principal = new Principal(subject(answer), scopes, scheme, Principal.scalarClaims(answer.getMap()));
    active.put(token, principal, expiresAt);
    return principal;
  }

  private static String subject(JsonObject answer) {
    for (String claim : new String[] {"sub", "username", "client_id"}) {
      if (answer.getValue(claim) instanceof String value && !value.isBlank()) {
        return value;
      }
    }
    throw AuthenticationFailure.invalid("introspection named no sub, username or client_id");
  }

  private static String formEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
