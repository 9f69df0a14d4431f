package dev.gantry.toolkit.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.crds.v1alpha1.Api;
import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.bundle.BundleCompiler;
import dev.gantry.toolkit.bundle.EnvironmentCompiler;
import dev.gantry.toolkit.openapi.DefinitionFile;
import dev.gantry.toolkit.problem.Problem;
import dev.gantry.toolkit.problem.Problems;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Mutations of one text; {@code multiDoc} for resource files (several YAML documents). */
final class Mutator {
  /** Raw text mutations. */
  static final List<String> TEXT_KINDS = List.of(
      "truncate", "delete-line", "insert-yaml-char", "byte-flip", "duplicate-key", "alias-bomb", "comment");
  /** Structure-aware mutations: parse with SnakeYAML, change one node, dump back. */
  static final List<String> TREE_KINDS = List.of(
      "delete-key", "wrong-type", "huge-string", "huge-list", "huge-integer", "deep-nesting", "rename-key",
      "share-node", "ref-injection");
  /** Every top-level kind; variant i uses KINDS[i % size], so each is used VARIANTS / size times. */
  static final List<String> KINDS = concat(TEXT_KINDS, TREE_KINDS, List.of("json", "stacked"));

  static final String[] SIGNIFICANT = {
      ":", "-", "{", "[", "]", "}", "*", "&", "!", "\t", "\0", "|", ">", "%", "@", "`", "#", "\"", "'", ",",
      "?", "\n", ": ", "- ", "\n---\n", "\n...\n", "&a ", "*a", "*missing", "<<: ", "!!binary ", "!!int ",
      "!!map ", "!custom ", "!!java.io.File ", "!!javax.script.ScriptEngineManager ", "\uFEFF", "\u2028",
      "\uD800", "%YAML 1.1\n", "\t\t"};
  static final Set<String> INTERESTING = Set.of(
      "openapi", "swagger", "info", "version", "paths", "security", "securitySchemes", "securityDefinitions",
      "components", "type", "scheme", "in", "name", "apiVersion", "kind", "metadata", "spec", "urls", "image",
      "port", "requests", "per", "burst", "scope", "key", "header", "claim", "jwt", "oauth2", "basic", "apikey",
      "mtls", "issuer", "jwksUrl", "introspectionUrl", "clientSecretRef", "caSecretRef", "keysSecretRef",
      "credentialsSecretRef", "stringData", "data", "items", "timeouts", "definitions", "parameters");
  static final String[] REFS = {
      "http://10.255.255.1/pets.yaml", "https://example.invalid/x.yaml#/paths", "file:///etc/passwd",
      "../../../../etc/passwd", "#/components/schemas/Missing", "#/", "#", "#/paths/~1pets", "#/definitions/Pet",
      "#/paths/~1pets/get/responses"};
  static final ObjectMapper JSON = new ObjectMapper();

  final Random random;

  Mutator(Random random) {
    this.random = random;
  }

  record Result(String name, String text, boolean json) {}

  Result mutate(String kind, String text, boolean multiDoc) {
    switch (kind) {
      case "json" -> {
        String json = toJson(parse(text), multiDoc);
        if (json == null) {
          json = text; // not convertible (already corrupted): corrupt the text as it is
        }
        int pick = random.nextInt(10);
        if (pick == 0) {
          return new Result("json", json, true); // a faithful conversion: must still resolve
        }
        String sub = pick < 5 ? pickOf(List.of("truncate", "delete-line", "insert-yaml-char", "byte-flip",
            "duplicate-key")) : pickOf(TREE_KINDS);
        return new Result("json+" + sub, apply(sub, json, multiDoc, true), true);
      }
      case "stacked" -> {
        List<String> names = new ArrayList<>();
        String out = text;
        for (int n = 2 + random.nextInt(2); n > 0; n--) {
          String sub = pickOf(concat(TEXT_KINDS, TREE_KINDS, List.of()));
          names.add(sub);
          out = apply(sub, out, multiDoc, false);
        }
        return new Result("stacked[" + String.join(",", names) + "]", out, false);
      }
      default -> {
        return new Result(kind, apply(kind, text, multiDoc, false), false);
      }
    }
  }

  private String apply(String kind, String text, boolean multiDoc, boolean json) {
    return switch (kind) {
      case "truncate" -> text.substring(0, random.nextInt(Math.max(1, text.length())));
      case "delete-line" -> deleteLine(text);
      case "insert-yaml-char" -> insertChars(text);
      case "byte-flip" -> flipBits(text);
      case "duplicate-key" -> json ? duplicateJsonKey(text) : duplicateYamlKey(text);
      case "alias-bomb" -> aliasBomb(text, multiDoc);
      case "comment" -> comment(text);
      default -> tree(kind, text, multiDoc, json);
    };
  }

  // ---- raw text

  private String deleteLine(String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    if (lines.isEmpty()) {
      return text;
    }
    int count = random.nextInt(4) == 0 ? 1 + random.nextInt(5) : 1;
    int at = random.nextInt(lines.size());
    for (int i = 0; i < count && at < lines.size(); i++) {
      lines.remove(at);
    }
    return String.join("\n", lines) + "\n";
  }

  private String insertChars(String text) {
    StringBuilder out = new StringBuilder(text);
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      String what = SIGNIFICANT[random.nextInt(SIGNIFICANT.length)];
      int at = random.nextInt(out.length() + 1);
      if (random.nextInt(3) == 0 && at < out.length()) {
        out.replace(at, at + 1, what); // replace rather than insert
      } else {
        out.insert(at, what);
      }
    }
    return out.toString();
  }

  private String flipBits(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0) {
      return text;
    }
    for (int n = 1 + random.nextInt(8); n > 0; n--) {
      int at = random.nextInt(bytes.length);
      bytes[at] = (byte) (bytes[at] ^ (1 << random.nextInt(8)));
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static final Pattern YAML_KEY_LINE = Pattern.compile("^( *)(- )?([^\\s#\\-\\[{][^:#]*):( .*)?$");

  private String duplicateYamlKey(String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = YAML_KEY_LINE.matcher(lines.get(i));
      if (m.matches() && (m.group(2) == null || m.group(4) != null)) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      return insertChars(text);
    }
    int at = candidates.get(random.nextInt(candidates.size()));
    Matcher m = YAML_KEY_LINE.matcher(lines.get(at));
    m.matches();
    String value = pickOf(List.of(m.group(4) == null ? "" : m.group(4), " dup", " 42", " [a, b]", " {}", ""));
    if (m.group(2) == null) {
      lines.add(at, m.group(1) + m.group(3) + ":" + value); // before: a block value below stays intact
    } else {
      lines.add(at + 1, m.group(1) + "  " + m.group(3) + ":" + value);
    }
    return String.join("\n", lines) + "\n";
  }

  private String duplicateJsonKey(String text) {
    Matcher m = Pattern.compile("\"([^\"\\\\]*)\"\\s*:").matcher(text);
    List<int[]> keys = new ArrayList<>();
    while (m.find()) {
      keys.add(new int[] {m.start(), m.end()});
    }
    if (keys.isEmpty()) {
      return insertChars(text);
    }
    int[] key = keys.get(random.nextInt(keys.size()));
    String name = text.substring(key[0], key[1]);
    String value = pickOf(List.of("null", "42", "\"dup\"", "[]", "{}", "true"));
    return text.substring(0, key[0]) + name + " " + value + ", " + text.substring(key[0]);
  }

  private String comment(String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    String[] garbage = {": - { [ * & ! | > % @ `", "---", "key: value", "&anchor *alias", "\"unterminated",
        "x-gantry-endpoint: nowhere", "\u00e9\u4e2d\ud83d\ude00", "#" + "#".repeat(200)};
    int at = random.nextInt(lines.size() + 1);
    lines.add(at, " ".repeat(2 * random.nextInt(3)) + "# " + garbage[random.nextInt(garbage.length)]);
    return String.join("\n", lines) + "\n";
  }

  /** Billion laughs in several shapes, anchored at the top of one document, sometimes used below. */
  private String aliasBomb(String text, boolean multiDoc) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    List<String> bomb = new ArrayList<>();
    String top;
    int shape = random.nextInt(multiDoc ? 8 : 6);
    switch (shape) {
      case 0, 1, 2 -> {
        // wide (90 aliases: over the loaders' limit of 50), 40 aliases for 10^5 leaves, and deep-narrow:
        // 48 aliases, under the limit, for 2^24 leaves
        int levels = shape == 0 ? 10 : shape == 1 ? 5 : 25;
        int width = shape == 0 ? 10 : shape == 1 ? 10 : 2;
        bomb.add("x-lol0: &lol0 [" + String.join(", ", java.util.Collections.nCopies(width, "lol")) + "]");
        for (int l = 1; l < levels; l++) {
          String alias = "*lol" + (l - 1);
          bomb.add("x-lol" + l + ": &lol" + l + " [" + String.join(", ", java.util.Collections.nCopies(width, alias)) + "]");
        }
        top = "*lol" + (levels - 1);
      }
      case 3 -> {
        bomb.add("x-loop: &loop [lol, *loop]");
        top = "*loop";
      }
      case 4 -> {
        bomb.add("x-loop: &loop {self: *loop, lol: [*loop]}");
        top = "*loop";
      }
      case 5 -> {
        // a few aliases, harmless where nothing reads them
        bomb.add("x-lol0: &lol0 {lol: [lol, lol, lol]}");
        bomb.add("x-lol1: &lol1 [*lol0, *lol0, *lol0]");
        top = "*lol1";
      }
      case 6 -> {
        // a v1 List of 2^24 items
        lines.addAll(List.of("---", "apiVersion: v1", "kind: List"));
        lines.add("x-lol0: &lol0 [lol, lol]");
        for (int l = 1; l < 25; l++) {
          lines.add("x-lol" + l + ": &lol" + l + " [*lol" + (l - 1) + ", *lol" + (l - 1) + "]");
        }
        lines.add("items: *lol24");
        return String.join("\n", lines) + "\n";
      }
      default -> {
        // a v1 List that contains itself
        lines.addAll(List.of("---", "apiVersion: v1", "kind: List",
            "items: &items [{apiVersion: v1, kind: List, items: *items}]"));
        return String.join("\n", lines) + "\n";
      }
    }
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("(apiVersion|openapi|swagger):.*")) {
        starts.add(i);
      }
    }
    int at = starts.isEmpty() ? 0 : starts.get(random.nextInt(starts.size()));
    lines.addAll(at, bomb);
    if (shape == 3 || shape == 4 || random.nextBoolean()) {
      List<Integer> uses = new ArrayList<>();
      for (int i = at + bomb.size(); i < lines.size() && !lines.get(i).startsWith("---"); i++) {
        if (lines.get(i).matches(" *[A-Za-z0-9_.$\"-]+: +[^\\s#|>].*")) {
          uses.add(i);
        }
      }
      List<Integer> interesting = uses.stream().filter(i -> INTERESTING.contains(lines.get(i).trim().split(":")[0]))
          .toList();
      List<Integer> versions = uses.stream().filter(i -> lines.get(i).trim().startsWith("version:")).toList();
      if (!versions.isEmpty() && random.nextInt(4) == 0) {
        uses = versions; // read by Gantry itself when it derives the API version
      } else if (!interesting.isEmpty() && random.nextBoolean()) {
        uses = interesting;
      }
      if (!uses.isEmpty()) {
        int use = uses.get(random.nextInt(uses.size()));
        String line = lines.get(use);
        int colon = line.indexOf(": ");
        lines.set(use, line.substring(0, colon) + ": " + top);
      }
    }
    return String.join("\n", lines) + "\n";
  }

  // ---- structure-aware

  /** One place in a parsed tree: a key of a map or an index of a list. */
  record Slot(Object parent, Object key, String path) {
    Object get() {
      return parent instanceof Map<?, ?> map ? map.get(key) : ((List<?>) parent).get((Integer) key);
    }

    @SuppressWarnings("unchecked")
    void set(Object value) {
      if (parent instanceof Map<?, ?> map) {
        ((Map<Object, Object>) map).put(key, value);
      } else {
        ((List<Object>) parent).set((Integer) key, value);
      }
    }

    void remove() {
      if (parent instanceof Map<?, ?> map) {
        map.remove(key);
      } else {
        ((List<?>) parent).remove((int) (Integer) key);
      }
    }

    boolean interesting() {
      String last = String.valueOf(key);
      return last.startsWith("x-gantry") || last.startsWith("/") || INTERESTING.contains(last)
          || path.contains("x-gantry") || path.contains("security");
    }
  }

  private String tree(String kind, String text, boolean multiDoc, boolean json) {
    List<Object> docs = parse(text);
    if (docs == null) {
      return insertChars(text); // already unparsable (a stacked mutation): corrupt it further as text
    }
    List<Slot> slots = slots(docs);
    if (slots.isEmpty()) {
      return text;
    }
    Slot slot = pickSlot(slots, s -> true);
    switch (kind) {
      case "delete-key" -> {
        Slot target = pickSlot(slots, s -> s.parent() != docs);
        if (target != null) {
          target.remove();
        }
      }
      case "wrong-type" -> slot.set(wrongType(slot.get()));
      case "huge-string" -> {
        // A third of the time aimed at what Gantry matches against patterns itself: paths and base paths.
        Slot target = random.nextInt(3) == 0 ? pickSlot(slots, Mutator::pathLike) : null;
        target = target == null ? slot : target;
        String huge = hugeString(pathLike(target));
        if (pathLike(target) && String.valueOf(target.key()).startsWith("/") && random.nextBoolean()) {
          renameTo(target, huge);
        } else {
          target.set(huge);
        }
      }
      case "huge-list" -> slot.set(hugeList(slot.get()));
      case "huge-integer" -> slot.set(hugeNumber());
      case "deep-nesting" -> slot.set(deep());
      case "rename-key" -> {
        Slot target = pickSlot(slots, s -> s.parent() instanceof Map<?, ?>);
        if (target != null) {
          rename(target);
        }
      }
      case "share-node" -> share(slots, slot);
      case "ref-injection" -> {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("$ref", REFS[random.nextInt(REFS.length)]);
        if (slot.get() instanceof Map<?, ?> map && random.nextBoolean()) {
          @SuppressWarnings("unchecked")
          Map<Object, Object> target = (Map<Object, Object>) map;
          target.put("$ref", ref.get("$ref")); // a $ref beside other keys
        } else {
          slot.set(ref);
        }
      }
      default -> throw new IllegalArgumentException(kind);
    }
    if (json) {
      String out = toJson(docs, multiDoc);
      if (out != null) {
        return out;
      }
    }
    return toYaml(docs, multiDoc);
  }

  private Slot pickSlot(List<Slot> slots, java.util.function.Predicate<Slot> filter) {
    List<Slot> fitting = slots.stream().filter(filter).toList();
    if (fitting.isEmpty()) {
      return null;
    }
    if (random.nextBoolean()) {
      List<Slot> interesting = fitting.stream().filter(Slot::interesting).toList();
      if (!interesting.isEmpty()) {
        return interesting.get(random.nextInt(interesting.size()));
      }
    }
    return fitting.get(random.nextInt(fitting.size()));
  }

  private Object wrongType(Object old) {
    List<Object> choices = new ArrayList<>();
    if (!(old instanceof Number)) {
      choices.add(random.nextBoolean() ? 42 : 3.5);
    }
    if (!(old instanceof List<?>)) {
      choices.add(new ArrayList<>(List.of("a", "b")));
      choices.add(new ArrayList<>());
    }
    if (!(old instanceof Map<?, ?>)) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("k", "v");
      choices.add(map);
      choices.add(new LinkedHashMap<>());
    }
    if (old != null) {
      choices.add(null);
    }
    if (!(old instanceof Boolean)) {
      choices.add(random.nextBoolean());
    }
    if (!(old instanceof String)) {
      choices.add(random.nextBoolean() ? "a string" : "");
    }
    return choices.get(random.nextInt(choices.size()));
  }

  private static boolean pathLike(Slot slot) {
    String key = String.valueOf(slot.key());
    return key.startsWith("/") || key.equals("x-gantry-basepath");
  }

  private String hugeString(boolean pathLike) {
    int n = 100_000;
    return switch (pathLike ? 1 + random.nextInt(3) : random.nextInt(5)) {
      case 0 -> "x".repeat(n);
      case 1 -> "/a".repeat(n / 2); // path-shaped: many segments
      case 2 -> "/" + "a".repeat(n - 1);
      case 3 -> "/" + "{p}".repeat(n / 3);
      default -> {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
          s.append((char) (32 + random.nextInt(95)));
        }
        yield s.toString();
      }
    };
  }

  private Object hugeList(Object old) {
    List<Object> list = new ArrayList<>(10_000);
    int shape = random.nextInt(4);
    for (int i = 0; i < 10_000; i++) {
      list.add(switch (shape) {
        case 0 -> "item-" + i;
        case 1 -> old instanceof String || old instanceof Number || old instanceof Boolean ? old : "petstore-backend";
        case 2 -> i;
        default -> new LinkedHashMap<>(Map.of("jwt-auth", List.of("pets:read")));
      });
    }
    return list;
  }

  private Object hugeNumber() {
    Object[] numbers = {new BigInteger("99999999999999999999"), new BigInteger("-99999999999999999999"),
        Long.MAX_VALUE, Long.MIN_VALUE, 2147483648L, -2147483649L, Integer.MAX_VALUE, -1, 0,
        BigInteger.TEN.pow(400), 1e308, -0.0, Double.POSITIVE_INFINITY, Double.NaN, 1e-320};
    return numbers[random.nextInt(numbers.length)];
  }

  private Object deep() {
    int[] depths = {500, 500, 500, 150, 199, 201, 1000};
    int depth = depths[random.nextInt(depths.length)];
    int shape = random.nextInt(3);
    Object value = "bottom";
    for (int i = 0; i < depth; i++) {
      boolean list = shape == 0 || (shape == 2 && i % 2 == 0);
      if (list) {
        value = new ArrayList<>(List.of(value));
      } else {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", value);
        value = map;
      }
    }
    return value;
  }

  private void rename(Slot slot) {
    String old = String.valueOf(slot.key());
    Object key = switch (random.nextInt(9)) {
      case 0 -> old.length() > 1 ? old.charAt(1) + old.substring(0, 1) + old.substring(2) : old + old;
      case 1 -> old.toUpperCase(java.util.Locale.ROOT);
      case 2 -> "";
      case 3 -> "x-gantry-" + old;
      case 4 -> old.startsWith("/") ? "/" + "seg/".repeat(25_000) + "x" : "k".repeat(100_000);
      case 5 -> old + ": - { [ * &";
      case 6 -> 42;
      case 7 -> null;
      default -> true;
    };
    renameTo(slot, key);
  }

  @SuppressWarnings("unchecked")
  private static void renameTo(Slot slot, Object key) {
    Map<Object, Object> map = (Map<Object, Object>) slot.parent();
    Map<Object, Object> copy = new LinkedHashMap<>(map);
    map.clear();
    copy.forEach((k, v) -> map.put(java.util.Objects.equals(k, slot.key()) ? key : k, v));
  }

  /** A node used twice (dumped as anchor and alias), or a node placed inside itself (a cycle). */
  @SuppressWarnings("unchecked")
  private void share(List<Slot> slots, Slot slot) {
    List<Slot> containers = slots.stream().filter(s -> s.get() instanceof Map<?, ?> || s.get() instanceof List<?>)
        .toList();
    if (containers.isEmpty()) {
      return;
    }
    Slot shared = containers.get(random.nextInt(containers.size()));
    if (random.nextBoolean()) {
      slot.set(shared.get());
      return;
    }
    Object outer = shared.get();
    List<Slot> inner = slots(List.of(outer)).stream()
        .filter(s -> s.get() instanceof Map<?, ?> || s.get() instanceof List<?>).toList();
    Object host = inner.get(random.nextInt(inner.size())).get();
    if (host instanceof Map<?, ?> map) {
      ((Map<Object, Object>) map).put("loop", outer);
    } else {
      ((List<Object>) host).add(outer);
    }
  }

  private static List<Slot> slots(List<Object> docs) {
    List<Slot> out = new ArrayList<>();
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    for (int i = 0; i < docs.size(); i++) {
      collect(docs, i, "", out, seen);
    }
    return out;
  }

  private static void collect(Object parent, Object key, String path, List<Slot> out, Map<Object, Boolean> seen) {
    Slot slot = new Slot(parent, key, path.isEmpty() ? String.valueOf(key) : path + "." + key);
    out.add(slot);
    Object value = slot.get();
    if ((value instanceof Map<?, ?> || value instanceof List<?>) && seen.put(value, true) == null) {
      if (value instanceof Map<?, ?> map) {
        for (Object k : new ArrayList<>(map.keySet())) {
          collect(map, k, slot.path(), out, seen);
        }
      } else {
        for (int i = 0; i < ((List<?>) value).size(); i++) {
          collect(value, i, slot.path(), out, seen);
        }
      }
    }
  }

  // ---- formats

  static List<Object> parse(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(Integer.MAX_VALUE);
    options.setNestingDepthLimit(5_000);
    options.setCodePointLimit(64 * 1024 * 1024);
    try {
      List<Object> docs = new ArrayList<>();
      new Yaml(new SafeConstructor(options)).loadAll(text).forEach(docs::add);
      return docs;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private String toYaml(List<Object> docs, boolean multiDoc) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(pickOf(List.of(DumperOptions.FlowStyle.BLOCK, DumperOptions.FlowStyle.BLOCK,
        DumperOptions.FlowStyle.FLOW, DumperOptions.FlowStyle.AUTO)));
    options.setSplitLines(random.nextBoolean());
    options.setAllowUnicode(true);
    Yaml yaml = new Yaml(options);
    if (multiDoc) {
      return yaml.dumpAll(docs.iterator());
    }
    return docs.isEmpty() ? "" : yaml.dump(docs.get(0));
  }

  /** JSON, one document per {@code ---}; null when the tree has no JSON form (null keys, cycles). */
  private String toJson(List<Object> docs, boolean multiDoc) {
    if (docs == null) {
      return null;
    }
    try {
      var writer = random.nextBoolean() ? JSON.writerWithDefaultPrettyPrinter() : JSON.writer();
      List<String> parts = new ArrayList<>();
      for (Object doc : multiDoc ? docs : docs.subList(0, Math.min(1, docs.size()))) {
        parts.add(writer.writeValueAsString(doc));
      }
      return String.join("\n---\n", parts) + "\n";
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return null;
    }
  }

  private <T> T pickOf(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  @SafeVarargs
  static <T> List<T> concat(List<T>... lists) {
    List<T> out = new ArrayList<>();
    for (List<T> list : lists) {
      out.addAll(list);
    }
    return List.copyOf(out);
  }}
