package dev.gantry.runtime.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Path templates ({@code /pets/{id}}) and methods compiled into a segment tree once, so a lookup
 * is one walk over the request's segments with no regex and no allocation but the split. As in
 * OpenAPI, a literal segment wins over a template at the same position. Paths are matched as
 * sent (percent-encoded): an encoded slash never splits a segment.
 */
public final class RouteTable<T> {
  private final Node<T> root = new Node<>();

  private static final class Node<T> {
    final Map<String, Node<T>> literals = new HashMap<>();
    Node<T> parameter;
    final Map<String, T> methods = new HashMap<>();
  }

  /** Builds a table; {@code method} and {@code template} of each route come from the functions given. */
  public static <T> RouteTable<T> of(List<T> routes, java.util.function.Function<T, String> method,
                                     java.util.function.Function<T, String> template) {
    RouteTable<T> table = new RouteTable<>();
    for (T route : routes) {
      Node<T> node = table.root;
      for (String segment : segments(template.apply(route))) {
        if (segment.startsWith("{") && segment.endsWith("}")) {
          node = node.parameter == null ? (node.parameter = new Node<>()) : node.parameter;
        } else {
          node = node.literals.computeIfAbsent(segment, s -> new Node<>());
        }
      }
      node.methods.putIfAbsent(method.apply(route), route);
    }
    return table;
  }

  public RouteMatch<T> match(String method, String path) {
    Node<T> node = find(root, segments(path), 0);
    if (node == null || node.methods.isEmpty()) {
      return new RouteMatch.NotFound<>();
    }
    T route = node.methods.get(method);
    if (route != null) {
      return new RouteMatch.Found<>(route);
    }
    return new RouteMatch.MethodNotAllowed<>(java.util.Collections.unmodifiableSortedSet(new TreeSet<>(node.methods.keySet())));
  }

  /** Depth-first, literal before parameter, backtracking when a literal branch dead-ends. */
  private static <T> Node<T> find(Node<T> node, String[] segments, int index) {
    if (index == segments.length) {
      return node.methods.isEmpty() ? null : node;
    }
    String segment = segments[index];
    Node<T> literal = node.literals.get(segment);
    if (literal != null) {
      Node<T> found = find(literal, segments, index + 1);
      if (found != null) {
        return found;
      }
    }
    if (node.parameter != null && !segment.isEmpty()) {
      return find(node.parameter, segments, index + 1);
    }
    return null;
  }

  /** "/a/b" → [a, b]; "/" → []; a trailing slash keeps an empty last segment so "/a/" is not "/a". */
  static String[] segments(String path) {
    if (path.equals("/") || path.isEmpty()) {
      return new String[0];
    }
    return (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
  }
}
