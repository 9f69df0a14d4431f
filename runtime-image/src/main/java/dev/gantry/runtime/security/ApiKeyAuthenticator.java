package dev.gantry.runtime.security;

import dev.gantry.runtime.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API keys in a header or query parameter. Only SHA-256 digests of the keys are held and looked up,
 * so lookup time does not depend on how much of a guess matches a real key. Keys file lines are
 * {@code key} or {@code consumer:key} (split at the first colon: a key containing ':' needs a
 * consumer); a key without consumer is named {@code key-} + 8 hex digits of its digest.
 */
public final class ApiKeyAuthenticator implements Authenticator {

  private final String scheme;
  private final boolean inQuery;
  private final String name;
  /** SHA-256 hex of each key → principal name. */
  private final Map<String, String> consumers = new HashMap<>();

  public ApiKeyAuthenticator(SecurityConfig config) {
    SecurityConfig.ApiKey apikey = config.apikey();
    if (apikey == null) {
      throw SecurityConfigException.of(config, "apikey settings are missing");
    }
    String in = apikey.in() == null ? "header" : apikey.in();
    if (!List.of("header", "query").contains(in)) {
      throw SecurityConfigException.of(config, "in must be header or query, got " + in);
    }
    if (apikey.name() == null || apikey.name().isBlank()) {
      throw SecurityConfigException.of(config, "the " + in + " name is required");
    }
    for (SecurityFiles.Line line : SecurityFiles.lines(config, apikey.keysFile())) {
      int colon = line.text().indexOf(':');
      String key = line.text().substring(colon + 1).strip();
      String digest = Hashes.sha256Hex(key);
      String consumer = colon > 0 ? line.text().substring(0, colon).strip() : "key-" + digest.substring(0, 8);
      if (key.isEmpty() || consumer.isEmpty()) {
        throw SecurityConfigException.of(config, apikey.keysFile(), "line " + line.number() + " has an empty consumer or key", null);
      }
      if (consumers.put(digest, consumer) != null) {
        throw SecurityConfigException.of(config, apikey.keysFile(), "line " + line.number() + " repeats a key", null);
      }
    }
    this.scheme = config.name();
    this.inQuery = in.equals("query");
    this.name = apikey.name();
  }

  @Override
  public Future<Principal> authenticate(HttpServerRequest request) {
    List<String> values = inQuery ? request.params().getAll(name) : request.headers().getAll(name);
    if (values.isEmpty()) {
      return Future.failedFuture(AuthenticationFailure.missing("no API key in " + (inQuery ? "query parameter " : "header ") + name));
    }
    if (values.size() > 1) {
      return Future.failedFuture(AuthenticationFailure.invalid("more than one API key"));
    }
    String consumer = consumers.get(Hashes.sha256Hex(values.get(0).strip()));
    return consumer == null
        ? Future.failedFuture(AuthenticationFailure.invalid("unknown API key"))
        : Future.succeededFuture(new Principal(consumer, Set.of(), scheme));
  }

  @Override
  public String challenge() {
    return "ApiKey " + (inQuery ? "query=" : "header=") + HttpAuth.quote(name);
  }
}
