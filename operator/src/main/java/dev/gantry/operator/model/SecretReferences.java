package dev.gantry.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.toolkit.resolve.ResolvedApi;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The Secrets a resolved API needs at run time: every {@code *SecretRef} of its Security and
 * Endpoint resources. Found by walking the specs rather than listing fields, so a new kind of
 * secret reference in the CRDs is mounted without a change here. Pure.
 */
public final class SecretReferences {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SecretReferences() {}

  public static SortedSet<String> of(ResolvedApi api) {
    SortedSet<String> names = new TreeSet<>();
    api.securities().values().forEach(spec -> collect(MAPPER.valueToTree(spec), names));
    api.endpoints().values().forEach(spec -> collect(MAPPER.valueToTree(spec), names));
    return names;
  }

  private static void collect(JsonNode node, SortedSet<String> names) {
    if (node.isArray()) {
      node.forEach(child -> collect(child, names));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode name = field.getValue().get("name");
      if (field.getKey().endsWith("SecretRef") && name != null && name.isTextual()) {
        names.add(name.asText());
      } else {
        collect(field.getValue(), names);
      }
    }
  }
}
