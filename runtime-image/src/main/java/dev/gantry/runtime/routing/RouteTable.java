package dev.gantry.runtime.routing;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Path templates ({@code /pets/{id}}) and methods compiled into a segment tree once, so a lookup
 * is one walk over the request's path with no regex and no allocation: segments are compared where
 * they stand in the path, and every answer a node can give is made when the table is built. As in
 * OpenAPI, a literal segment wins over a template at the same position. Paths are matched as sent
 * (percent-encoded): an encoded slash never splits a segment.
 */
public final class RouteTable<T> {
  @SuppressWarnings("rawtypes")
  private static final RouteMatch.NotFound NOT_FOUND = new RouteMatch.NotFound<>();

  private final Node<T> root = new Node<>();

  private static final class Node<T> {
    final Map<String, Node<T>> literals = new HashMap<>();
    Node<T> parameter;
    final Map<String, T> methods = new HashMap<>();
    // Made by freeze(), read by requests:
    Literals<T> children;
    Map<String, RouteMatch<T>> answers; // by method: Found
    RouteMatch<T> otherMethods;         // MethodNotAllowed, or null on a node no template ends at

    void freeze() {
      children = new Literals<>(literals);
      literals.values().forEach(Node::freeze);
      if (parameter != null) {
        parameter.freeze();
      }
      answers = new HashMap<>();
      methods.forEach((method, route) -> answers.put(method, new RouteMatch.Found<>(route)));
      otherMethods = methods.isEmpty() ? null
          : new RouteMatch.MethodNotAllowed<>(Collections.unmodifiableSortedSet(new TreeSet<>(methods.keySet())));
    }
  }

  /**
   * A node's literal children by segment, open-addressed by String's own hash so that a segment
   * can be looked up as a region of the path, without a substring.
   */
  private static final class Literals<T> {
    final String[] keys;
    final Node<T>[] nodes;
    final int mask;

    @SuppressWarnings("unchecked")
    Literals(Map<String, Node<T>> literals) {
      int size = Integer.highestOneBit(Math.max(1, literals.size()) * 2 - 1) << 1;
      keys = new String[size];
      nodes = new Node[size];
      mask = size - 1;
      literals.forEach((key, node) -> {
        int i = spread(key.hashCode()) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = key;
        nodes[i] = node;
      });
    }

    Node<T> get(String path, int start, int end) {
      int hash = 0;
      for (int i = start; i < end; i++) {
        hash = 31 * hash + path.charAt(i);
      }
      int length = end - start;
      for (int i = spread(hash) & mask; keys[i] != null; i = (i + 1) & mask) {
        String key = keys[i];
        if (key.length() == length && path.regionMatches(start, key, 0, length)) {
          return nodes[i];
        }
      }
      return null;
    }

    private static int spread(int hash) {
      return hash ^ (hash >>> 16);
    }
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
    table.root.freeze();
    return table;
  }

  @SuppressWarnings("unchecked")
  public RouteMatch<T> match(String method, String path) {
    // "/" and "" have no segments: start past the end. Otherwise after the leading slash, if any.
    int start = path.isEmpty() || path.equals("/") ? path.length() + 1 : path.charAt(0) == '/' ? 1 : 0;
    Node<T> node = find(root, path, start);
    if (node == null) {
      return NOT_FOUND;
    }
    RouteMatch<T> found = node.answers.get(method);
    return found != null ? found : node.otherMethods;
  }

  /**
   * The node the segments from {@code start} lead to: depth-first, literal before parameter,
   * backtracking when a literal branch dead-ends. Past the end of the path, no segments are left.
   */
  private static <T> Node<T> find(Node<T> node, String path, int start) {
    if (start > path.length()) {
      return node.otherMethods == null ? null : node;
    }
    int end = path.indexOf('/', start);
    if (end < 0) {
      end = path.length();
    }
    Node<T> literal = node.children.get(path, start, end);
    if (literal != null) {
      Node<T> found = find(literal, path, end + 1);
      if (found != null) {
        return found;
      }
    }
    if (node.parameter != null && end > start) {
      return find(node.parameter, path, end + 1);
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
