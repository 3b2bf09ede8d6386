package io.openclaw.operator.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.LocatedYaml;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.cli.Main;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Fuzz;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes manifest loading and validation (ManifestLoader, the schema walk, the semantic rules, the validate command)
 * with the real manifests of examples/ damaged every way a file can be: flipped bytes, truncation, splices of other
 * manifests, every field given a value of each wrong type, unknown fields, huge documents, deep nesting, alias bombs,
 * invalid UTF-8, NUL bytes, very long strings and keys. Each input must give a valid result or problems that name the
 * file — never an exception, never a hang (each within {@link Fuzz#PER_INPUT}).
 */
class ManifestFuzzTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @TempDir Path dir;

  static List<String> seeds() throws IOException {
    List<String> seeds = new ArrayList<>();
    for (String sub : List.of("", "local", "stack")) {
      for (Path f : ManifestLoader.manifestFiles(Fixtures.examples().resolve(sub))) seeds.add(Files.readString(f));
    }
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(9);
    return seeds;
  }

  /** Loads one file and checks the property; returns the result. */
  private ManifestLoader.Result load(Path file) {
    ManifestLoader.Result result = ManifestLoader.load(List.of(file));
    for (Problem p : result.problems()) {
      assertThat(p.file()).as("every problem names its file: %s", p).isEqualTo(file);
      assertThat(p.message()).as("every problem says what is wrong: %s", p).isNotBlank();
    }
    return result;
  }

  @Test
  void damagedManifestsGiveProblemsNamingTheFileAndNeverAnException() throws IOException {
    List<String> seeds = seeds();
    Path file = dir.resolve("fuzzed.yaml");
    int valid = 0;
    int refused = 0;
    try (Fuzz fuzz = Fuzz.target("manifests: damaged examples/", 800)) {
      for (int i = 0; i < fuzz.count(); i++) {
        String seed = fuzz.pick(seeds);
        byte[] input = switch (fuzz.random.nextInt(10)) {
          case 0, 1, 2 -> {
            byte[] b = seed.getBytes(StandardCharsets.UTF_8);
            for (int n = 1 + fuzz.random.nextInt(8); n > 0; n--) b = fuzz.mutateBytes(b, fuzz.pick(seeds).getBytes(StandardCharsets.UTF_8));
            yield b;
          }
          case 3, 4, 5 -> structural(seed, fuzz).getBytes(StandardCharsets.UTF_8);
          case 6 -> (seed + "\n---\n" + fuzz.pick(seeds) + (fuzz.chance(0.5) ? "\n---\n" + structural(fuzz.pick(seeds), fuzz) : "")).getBytes(StandardCharsets.UTF_8);
          case 7 -> hostile(fuzz).getBytes(StandardCharsets.UTF_8);
          case 8 -> {
            // A long string or key put somewhere in a real manifest.
            String lines = seed.replaceFirst("name: ([^\\n]*)", java.util.regex.Matcher.quoteReplacement("name: "
                + (fuzz.chance(0.05) ? "x".repeat(fuzz.random.nextInt(200_000)) : fuzz.junk(2000))));
            yield (fuzz.chance(0.5) ? lines : lines + "\n" + "k".repeat(500 + fuzz.random.nextInt(3000)) + ": 1\n").getBytes(StandardCharsets.UTF_8);
          }
          default -> Fuzz.concat(seed.getBytes(StandardCharsets.UTF_8), new byte[] {0, (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0});
        };
        Files.write(file, input);
        String what = new String(input, 0, Math.min(input.length, 400), StandardCharsets.UTF_8);
        ManifestLoader.Result r = fuzz.run(() -> load(file), () -> what);
        if (r.hasErrors()) refused++;
        else valid++;
        if (i % 50 == 0) {
          // The validate command on the same file: exit 0 or 1, a line per problem, no stack trace.
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          int exit = fuzz.run(() -> Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("validate", file.toString()),
              () -> what);
          assertThat(exit).as(what).isIn(0, 1);
          assertThat(err.toString()).as(what).doesNotContain("\tat ").doesNotContain("Exception");
        }
      }
    }
    System.out.printf("manifests: %d valid, %d with errors%n", valid, refused);
    assertThat(valid).as("some mutations keep a manifest valid (unknown fields aside, most do not)").isPositive();
    assertThat(refused).isPositive();
  }

  /**
   * Every field of the three examples/ manifests, given values of other types (by default two of the eight below,
   * picked per field; {@code -Dfuzz.count=8} gives each field all of them): each is either still valid (the field takes
   * that type, e.g. a quantity as a number) or adds an error at that field, one of its ancestors or its resource's
   * identity — never an exception.
   */
  @Test
  void everyFieldGivenOtherTypesIsAnErrorAtThatField() throws Exception {
    Path file = dir.resolve("typed.yaml");
    List<JsonNode> wrong = List.of(NODES.stringNode("x"), NODES.numberNode(-1), NODES.numberNode(1.5), NODES.booleanNode(true), NODES.nullNode(),
        NODES.arrayNode().add("x"), NODES.objectNode().put("x_unknown", 1), NODES.stringNode("\u0000\u202e"));
    try (Fuzz fuzz = Fuzz.target("manifests: every field, other types", 2)) {
      for (Path example : ManifestLoader.manifestFiles(Fixtures.examples())) {
        String seed = Files.readString(example);
        Files.writeString(file, seed);
        List<String> before = load(file).errors().stream().map(p -> p.field() + ": " + p.message()).toList();
        for (LocatedYaml.Document doc : LocatedYaml.read(seed)) {
          for (String path : paths(doc.root(), "")) {
            List<JsonNode> values = new ArrayList<>(wrong);
            java.util.Collections.shuffle(values, fuzz.random);
            for (JsonNode value : values.subList(0, Math.min(values.size(), fuzz.count()))) {
              JsonNode changed = doc.root().deepCopy();
              set(changed, path, value);
              String text = Yaml.write(changed);
              Files.writeString(file, text);
              ManifestLoader.Result r = fuzz.run(() -> load(file), () -> path + " = " + value);
              List<Problem> added = r.errors().stream().filter(p -> !before.contains(p.field() + ": " + p.message())).toList();
              if (added.isEmpty()) continue;
              String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : path;
              assertThat(added).as("%s = %s", path, value).anyMatch(p -> p.field() != null && (p.field().startsWith(parent)
                  || path.startsWith(p.field()) || List.of("kind", "apiVersion", "metadata.name", "metadata.namespace").contains(p.field())));
            }
          }
        }
      }
    }
  }

  /** A structural change: a field's value replaced by another type, an unknown field, a field removed. */
  private static String structural(String seed, Fuzz fuzz) {
    try {
      List<LocatedYaml.Document> docs = LocatedYaml.read(seed);
      StringBuilder out = new StringBuilder();
      for (LocatedYaml.Document d : docs) {
        JsonNode root = d.root().deepCopy();
        List<String> paths = paths(root, "");
        for (int n = 1 + fuzz.random.nextInt(3); n > 0 && !paths.isEmpty(); n--) {
          String path = fuzz.pick(paths);
          switch (fuzz.random.nextInt(4)) {
            case 0 -> set(root, path, NODES.stringNode(fuzz.junk(30)));
            case 1 -> set(root, path, NODES.numberNode(fuzz.random.nextLong()));
            case 2 -> set(root, path, NODES.objectNode().put(fuzz.junk(10), fuzz.junk(10)));
            default -> set(root, path, null);
          }
          paths = paths(root, "");
        }
        out.append("---\n").append(Yaml.write(root));
      }
      return out.toString();
    } catch (LocatedYaml.SyntaxError e) {
      throw new AssertionError(e);
    }
  }

  /** Inputs made to hurt a parser: size, depth, aliases, odd bytes. */
  private static String hostile(Fuzz fuzz) {
    // The big ones (seconds each on a busy machine) are rarer than the rest.
    int kind = fuzz.chance(0.2) ? 2 + fuzz.random.nextInt(4) : fuzz.pick(0, 1, 6, 7);
    return switch (kind) {
      case 0 -> billionLaughs();
      case 1 -> "a: &a [x]\nspec: {image: *a}\n";
      case 2 -> "spec: " + "[".repeat(50 + fuzz.random.nextInt(5000)) + "]".repeat(5050);
      case 3 -> {
        StringBuilder s = new StringBuilder("spec:\n");
        int depth = 50 + fuzz.random.nextInt(400);
        for (int i = 1; i <= depth; i++) s.append("  ".repeat(i)).append("a:\n");
        yield s.toString();
      }
      case 4 -> "apiVersion: hardening.openclaw.io/v1alpha1\nkind: SandboxPolicy\nmetadata: {name: x}\nspec:\n  toolDenials:\n"
          + "  - process\n".repeat(30_000 + fuzz.random.nextInt(60_000));
      case 5 -> "x: " + "y".repeat(fuzz.chance(0.5) ? 1_100_000 : 100_000 + fuzz.random.nextInt(100_000));
      case 6 -> "a: !!java.lang.ProcessBuilder [\"touch\", \"/tmp/pwned\"]\nb: !!binary AAAA\nc: !<tag:x> 1\n";
      default -> fuzz.junk(5000);
    };
  }

  static String billionLaughs() {
    StringBuilder s = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      char p = (char) (c - 1);
      s.append(c).append(": &").append(c).append(" [").append(String.join(",", java.util.Collections.nCopies(9, "*" + p))).append("]\n");
    }
    return s.toString();
  }

  /** Every path in a tree: a.b, a.list[0], ... */
  static List<String> paths(JsonNode node, String prefix) {
    List<String> out = new ArrayList<>();
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (e.getKey().matches(".*[.\\[\\]].*") || e.getKey().isEmpty()) continue; // a label key: not a path step
        String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        out.add(p);
        out.addAll(paths(e.getValue(), p));
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        String p = prefix + "[" + i + "]";
        out.add(p);
        out.addAll(paths(a.get(i), p));
      }
    }
    return out;
  }

  /** Sets (or with null removes) the value at a path made by {@link #paths}. */
  static void set(JsonNode root, String path, JsonNode value) {
    List<String> steps = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)\\]").matcher(path);
    while (m.find()) steps.add(m.group(1) != null ? m.group(1) : "#" + m.group(2));
    JsonNode parent = root;
    for (String step : steps.subList(0, steps.size() - 1)) parent = step.startsWith("#") ? parent.get(Integer.parseInt(step.substring(1))) : parent.get(step);
    String last = steps.get(steps.size() - 1);
    if (parent instanceof ObjectNode o) {
      if (value == null) o.remove(last);
      else o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      int i = Integer.parseInt(last.substring(1));
      if (value == null) a.remove(i);
      else a.set(i, value);
    }
  }
}
