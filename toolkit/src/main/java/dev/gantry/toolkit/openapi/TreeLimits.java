package dev.gantry.toolkit.openapi;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits on a tree that SnakeYAML (or Jackson) has loaded, checked before anything walks it.
 * YAML aliases can make a tree far bigger than its text (48 aliases stand for 2^24 nodes, well under
 * any alias-count limit) or cyclic (an anchor used inside itself); Jackson, swagger-parser or a mere
 * {@code String.valueOf} would then run out of time, memory or stack. The walk counts every alias as
 * often as it is used, and stops at the first limit reached.
 */
public final class TreeLimits {
  /** Most nesting accepted in a definition or resource file (as written, before aliases). */
  public static final int MAX_DEPTH = 200;
  /** Largest YAML text read, in characters. */
  public static final int MAX_CHARS = 8 * 1024 * 1024;

  private TreeLimits() {}

  /** SnakeYAML settings for every user file Gantry reads: few aliases, bounded depth and size, no duplicate keys. */
  public static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
    org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(MAX_CHARS);
    options.setAllowDuplicateKeys(false);
    return options;
  }

  /** Node budget for a tree read from {@code textLength} characters: what such a text without aliases may hold. */
  public static long maxNodes(int textLength) {
    return Math.max(100_000L, 2L * textLength);
  }

  /** Why {@code root} is refused (a cycle, too many nodes, too deep), or empty when it is within limits. */
  public static Optional<String> check(Object root, long maxNodes, int maxDepth) {
    return Optional.ofNullable(new Walk(maxNodes, maxDepth).visit(root, 1));
  }

  private static final class Walk {
    private final long maxNodes;
    private final int maxDepth;
    private final Map<Object, Boolean> enclosing = new IdentityHashMap<>();
    private long nodes;

    Walk(long maxNodes, int maxDepth) {
      this.maxNodes = maxNodes;
      this.maxDepth = maxDepth;
    }

    String visit(Object node, int depth) {
      if (++nodes > maxNodes) {
        return "holds more than " + maxNodes + " values once YAML aliases are expanded";
      }
      if (!(node instanceof Map<?, ?>) && !(node instanceof Collection<?>)) {
        return null;
      }
      if (depth > maxDepth) {
        return "is nested more than " + maxDepth + " levels deep once YAML aliases are expanded";
      }
      if (enclosing.put(node, Boolean.TRUE) != null) {
        return "contains itself: a YAML alias refers to a node that encloses it";
      }
      String problem = null;
      if (node instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          problem = visit(entry.getKey(), depth + 1);
          if (problem == null) {
            problem = visit(entry.getValue(), depth + 1);
          }
          if (problem != null) {
            break;
          }
        }
      } else {
        for (Object item : (Collection<?>) node) {
          problem = visit(item, depth + 1);
          if (problem != null) {
            break;
          }
        }
      }
      enclosing.remove(node);
      return problem;
    }
  }
}
