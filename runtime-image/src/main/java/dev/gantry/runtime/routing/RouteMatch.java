package dev.gantry.runtime.routing;

import java.util.Set;

/** What the route table says about a request: a route, the methods a known path allows, or nothing. */
public sealed interface RouteMatch<T> {
  record Found<T>(T route) implements RouteMatch<T> {}

  record MethodNotAllowed<T>(Set<String> allowed) implements RouteMatch<T> {}

  record NotFound<T>() implements RouteMatch<T> {}
}
