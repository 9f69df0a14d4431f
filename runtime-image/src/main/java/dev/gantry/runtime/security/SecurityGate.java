package dev.gantry.runtime.security;

import dev.gantry.runtime.config.RouteConfig.SchemeRef;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Enforces a route's security requirement: alternatives are tried in order and the first that
 * passes admits the request (later ones are not evaluated); all schemes of an alternative must
 * authenticate and hold the scopes it names. Each scheme is asked at most once per request.
 * <p>
 * Failures are {@link AccessDenied}: 503 if a verifying service was down (the outcome is unknown,
 * so a retry beats a definitive no), else 403 if some alternative authenticated but lacked scopes,
 * else 401 with the challenges of every scheme the route names.
 */
public final class SecurityGate {

  private final Map<String, Authenticator> authenticators;

  public SecurityGate(Map<String, Authenticator> authenticators) {
    this.authenticators = Map.copyOf(authenticators);
  }

  /** For start-up checks: every scheme a route names must have an authenticator (not checked per request). */
  public void requireKnownSchemes(List<List<SchemeRef>> alternatives) {
    for (List<SchemeRef> alternative : alternatives) {
      for (SchemeRef ref : alternative) {
        if (!authenticators.containsKey(ref.scheme())) {
          throw new IllegalArgumentException("unknown security scheme '" + ref.scheme() + "'");
        }
      }
    }
  }

  /**
   * Succeeds with the principal of the admitting alternative's first scheme, or with null for a
   * public route (no alternatives, or an empty one). Fails with {@link AccessDenied}; any other
   * failure is a bug or a misconfiguration (unknown scheme) and should become a 500.
   */
  public Future<Principal> check(HttpServerRequest request, List<List<SchemeRef>> alternatives) {
    if (alternatives == null || alternatives.isEmpty() || anyEmpty(alternatives)) {
      return Future.succeededFuture(null);
    }
    Attempt attempt = new Attempt(request);
    if (alternatives.size() == 1 && alternatives.get(0).size() == 1) {
      // The usual requirement, one scheme, with its principal already known (a cached token): the
      // authenticator's own future is the answer, with no chain of futures per request.
      SchemeRef only = alternatives.get(0).get(0);
      Future<Principal> result = attempt.authenticate(only.scheme());
      if (result.succeeded() && result.result().hasScopes(only.scopes())) {
        return result;
      }
    }
    return tryFrom(attempt, alternatives, 0);
  }

  /** An empty alternative ({@code {}} in OpenAPI) makes the operation public. */
  private static boolean anyEmpty(List<List<SchemeRef>> alternatives) {
    for (List<SchemeRef> alternative : alternatives) { // a loop, not a stream: this runs per request
      if (alternative.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private Future<Principal> tryFrom(Attempt attempt, List<List<SchemeRef>> alternatives, int index) {
    if (index == alternatives.size()) {
      return Future.failedFuture(attempt.denial(alternatives));
    }
    return tryAlternative(attempt, alternatives.get(index)).compose(principal -> principal != null
        ? Future.succeededFuture(principal)
        : tryFrom(attempt, alternatives, index + 1));
  }

  /** The first scheme's principal, or null (with the reason recorded) if the alternative fails. */
  private Future<Principal> tryAlternative(Attempt attempt, List<SchemeRef> alternative) {
    if (alternative.size() == 1) { // the usual case: no list of principals to gather
      SchemeRef ref = alternative.get(0);
      return attempt.authenticate(ref.scheme()).map(principal -> {
        if (principal.hasScopes(ref.scopes())) {
          return principal;
        }
        attempt.insufficientScope(ref);
        return null;
      }).recover(SecurityGate::failedAlternative);
    }
    Future<List<Principal>> all = Future.succeededFuture(new ArrayList<>());
    for (SchemeRef ref : alternative) {
      all = all.compose(principals -> attempt.authenticate(ref.scheme()).map(principal -> {
        principals.add(principal);
        return principals;
      }));
    }
    return all.map(principals -> {
      boolean sufficient = true;
      for (int i = 0; i < alternative.size(); i++) {
        if (!principals.get(i).hasScopes(alternative.get(i).scopes())) {
          attempt.insufficientScope(alternative.get(i));
          sufficient = false;
        }
      }
      return sufficient ? principals.get(0) : null;
    }).recover(SecurityGate::failedAlternative);
  }

  /** An alternative whose scheme refused the credentials is passed over; any other failure is a bug. */
  private static Future<Principal> failedAlternative(Throwable error) {
    if (!(error instanceof AuthenticationFailure)) {
      return Future.failedFuture(error); // a bug: surface it instead of masking it as a 401
    }
    return Future.succeededFuture(null);
  }

  /** One request's evaluation: memoised scheme results and what went wrong so far. */
  private final class Attempt {
    private final HttpServerRequest request;
    private String firstScheme;
    private Future<Principal> firstResult;
    // Schemes after the first, made when first needed: most requests ask one scheme once and pass.
    private Map<String, Future<Principal>> results;
    private StringJoiner reasons;
    private Set<String> scopeChallenges;
    private boolean unavailable;

    Attempt(HttpServerRequest request) {
      this.request = request;
    }

    Future<Principal> authenticate(String scheme) {
      if (firstScheme == null) { // most requests ask one scheme once: no map for them
        firstScheme = scheme;
        return firstResult = ask(scheme);
      }
      if (firstScheme.equals(scheme)) {
        return firstResult;
      }
      if (results == null) {
        results = new HashMap<>(4);
      }
      return results.computeIfAbsent(scheme, this::ask);
    }

    private Future<Principal> ask(String name) {
      Authenticator authenticator = authenticators.get(name);
      Future<Principal> result;
      try {
        result = authenticator != null ? authenticator.authenticate(request)
            : Future.failedFuture(new IllegalStateException("unknown security scheme '" + name + "'"));
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      return result.onFailure(error -> {
        if (error instanceof AuthenticationFailure failure) {
          unavailable |= failure.upstreamUnavailable();
          reason(name + ": " + failure.getMessage());
        }
      });
    }

    private void reason(String reason) {
      if (reasons == null) {
        reasons = new StringJoiner("; ");
      }
      reasons.add(reason);
    }

    void insufficientScope(SchemeRef ref) {
      reason(ref.scheme() + ": missing scopes of " + ref.scopes());
      if (scopeChallenges == null) {
        scopeChallenges = new LinkedHashSet<>();
      }
      scopeChallenges.add(authenticators.get(ref.scheme()).challenge() + ", error=\"insufficient_scope\", scope="
          + HttpAuth.quote(String.join(" ", ref.scopes())));
    }

    AccessDenied denial(List<List<SchemeRef>> alternatives) {
      String why = reasons == null ? "" : reasons.toString();
      if (unavailable) {
        return AccessDenied.unavailable(why);
      }
      if (scopeChallenges != null) {
        return AccessDenied.insufficientScope(List.copyOf(scopeChallenges), why);
      }
      Set<String> challenges = new LinkedHashSet<>();
      alternatives.forEach(alternative -> alternative.forEach(ref -> challenges.add(authenticators.get(ref.scheme()).challenge())));
      return AccessDenied.unauthenticated(List.copyOf(challenges), why);
    }
  }
}
