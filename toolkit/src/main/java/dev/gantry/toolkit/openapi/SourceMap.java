package dev.gantry.toolkit.openapi;

import java.io.StringReader;
import java.util.List;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Line numbers of a YAML or JSON document, looked up by field path, so that problems found in the
 * parsed model can point at the line the user has to change. swagger-parser keeps no positions.
 */
public final class SourceMap {
  private static final SourceMap EMPTY = new SourceMap(null);
  private final Node root;

  private SourceMap(Node root) {
    this.root = root;
  }

  /** Maps {@code text}; a document SnakeYAML cannot compose gives a map that knows no lines. */
  public static SourceMap of(String text) {
    try {
      Node node = new Yaml(TreeLimits.loaderOptions()).compose(new StringReader(text));
      return node == null ? EMPTY : new SourceMap(node);
    } catch (RuntimeException unparsable) {
      return EMPTY;
    }
  }

  /** One map per document of a multi-document stream, with lines counted from the stream's start. */
  public static List<SourceMap> ofAll(String text) {
    try {
      List<SourceMap> maps = new java.util.ArrayList<>();
      new Yaml(TreeLimits.loaderOptions()).composeAll(new StringReader(text)).forEach(n -> maps.add(new SourceMap(n)));
      return maps;
    } catch (RuntimeException unparsable) {
      return List.of();
    }
  }

  /**
   * The 1-based line of the deepest node along {@code path} that exists (keys of mappings, or
   * decimal indexes of sequences); 0 when not even the first step is found.
   */
  public int lineOf(List<String> path) {
    Node node = root;
    int line = 0;
    for (String step : path) {
      Node[] next = child(node, step);
      if (next == null) {
        return line;
      }
      line = next[0].getStartMark().getLine() + 1;
      node = next[1];
    }
    return line;
  }

  /** {key node, value node} of one step, or null. */
  private static Node[] child(Node node, String step) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(step)) {
          return new Node[] {key, tuple.getValueNode()};
        }
      }
    } else if (node instanceof SequenceNode sequence && step.chars().allMatch(Character::isDigit)
        && !step.isEmpty() && step.length() < 10) {
      int index = Integer.parseInt(step);
      if (index < sequence.getValue().size()) {
        Node item = sequence.getValue().get(index);
        return new Node[] {item, item};
      }
    }
    return null;
  }
}
