package io.openclaw.operator.api.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import io.openclaw.operator.api.Yaml;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads YAML (or JSON, its subset) into trees while remembering the line of every value, so that every problem can
 * be reported as file:line. Multi-document streams give one {@link Document} each; empty documents are skipped.
 */
public final class LocatedYaml {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private LocatedYaml() {}

  /** One document of a stream: its tree, the line it starts on and the line of every path in it. */
  public record Document(int index, int line, JsonNode root, Map<String, Integer> lines, List<String> duplicateKeys) {
    /** Line of the value at a path like {@code spec.gateway.image}, or of its nearest ancestor that exists. */
    public int lineOf(String path) {
      String p = path;
      while (true) {
        Integer line = lines.get(p);
        if (line != null) return line;
        int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        if (cut <= 0) return this.line;
        p = p.substring(0, cut);
      }
    }
  }

  /** A stream that is not YAML at all; its line is where the parser gave up. */
  public static final class SyntaxError extends Exception {
    public final int line;

    SyntaxError(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  /**
   * The documents of a stream, each bounded: at most {@link Yaml#MAX_YAML_CODE_POINTS} characters in all, nesting at
   * most {@link Yaml#MAX_NESTING_DEPTH} deep, and no aliases ({@code *name}). Jackson's streaming YAML parser does
   * not expand an alias — it reads {@code *name} as the string "name", silently — so an alias is an error here,
   * which also leaves no room for an alias bomb ("billion laughs").
   */
  public static List<Document> read(String text) throws SyntaxError {
    if (text.length() > Yaml.MAX_YAML_CODE_POINTS && text.codePointCount(0, text.length()) > Yaml.MAX_YAML_CODE_POINTS) {
      throw new SyntaxError(1, "longer than the limit of " + Yaml.MAX_YAML_CODE_POINTS + " characters for one YAML stream");
    }
    List<Document> documents = new ArrayList<>();
    try (JsonParser parser = Yaml.MAPPER.createParser(text)) {
      int index = 0;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        int line = parser.currentTokenLocation().getLineNr();
        Map<String, Integer> lines = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        JsonNode root = readValue(parser, token, "", lines, duplicates);
        if (!root.isNull()) documents.add(new Document(index, line, root, lines, duplicates));
        index++;
      }
    } catch (StreamConstraintsException e) {
      int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
      throw new SyntaxError(line, "nested deeper than the limit of " + Yaml.MAX_NESTING_DEPTH + " levels of maps and lists");
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
      throw new SyntaxError(line, summary(e.getOriginalMessage()));
    } catch (AliasFound e) {
      throw new SyntaxError(e.line, "the alias *" + e.name + " is not supported (YAML anchors and aliases are not expanded): write the value out");
    }
    return documents;
  }

  private static final class AliasFound extends RuntimeException {
    final int line;
    final String name;

    AliasFound(int line, String name) {
      super(null, null, false, false);
      this.line = line;
      this.name = name;
    }
  }

  private static JsonNode readValue(JsonParser p, JsonToken token, String path, Map<String, Integer> lines, List<String> dups) {
    lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
    if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) throw new AliasFound(p.currentTokenLocation().getLineNr(), p.getString());
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String key = p.currentName();
          String child = path.isEmpty() ? key : path + "." + key;
          int keyLine = p.currentTokenLocation().getLineNr();
          if (object.has(key)) dups.add(child);
          lines.put(child, keyLine);
          object.set(key, readValue(p, p.nextToken(), child, lines, dups));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          array.add(readValue(p, next, path + "[" + array.size() + "]", lines, dups));
        }
        return array;
      }
      case VALUE_STRING -> { return NODES.stringNode(p.getString()); }
      case VALUE_NUMBER_INT -> { return NODES.numberNode(p.getBigIntegerValue()); }
      case VALUE_NUMBER_FLOAT -> { return NODES.numberNode(p.getDecimalValue()); }
      case VALUE_TRUE -> { return NODES.booleanNode(true); }
      case VALUE_FALSE -> { return NODES.booleanNode(false); }
      case VALUE_NULL -> { return NODES.nullNode(); }
      default -> { return NODES.stringNode(p.getString()); }
    }
  }

  /**
   * The parser's context and problem ("while parsing a block mapping: expected <block end>, but found ..."): its
   * first line alone names only the context, not what is wrong. The indented excerpts and positions are left out.
   */
  private static String summary(String message) {
    if (message == null) return "not valid YAML";
    String said = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
        .collect(java.util.stream.Collectors.joining(": "));
    return said.isEmpty() ? message.strip() : said;
  }
}
