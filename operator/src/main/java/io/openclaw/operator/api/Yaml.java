package io.openclaw.operator.api;

import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The project's one Jackson: Jackson 3, the version fabric8 8 is built on, so manifests, CRDs and the typed API
 * objects go through the same mapper family whether they come from files or from a cluster.
 */
public final class Yaml {
  /**
   * The most characters one YAML stream may hold. Manifests, CRDs and status files are kilobytes; the bound keeps a
   * huge input from costing seconds of parsing (snakeyaml-engine's own default is 3 Mi code points).
   */
  public static final int MAX_YAML_CODE_POINTS = 1024 * 1024;
  /** The deepest nesting of maps and lists read (the CRD schemas, the deepest documents read, nest about 20). */
  public static final int MAX_NESTING_DEPTH = 100;

  public static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
          // Duplicate keys stay readable: LocatedYaml reports each at its line, with a message of its own.
          .loadSettings(LoadSettings.builder().setCodePointLimit(MAX_YAML_CODE_POINTS).setAllowDuplicateKeys(true).build())
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
          .build())
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      // Without it MINIMIZE_QUOTES writes the string "1.0" as a bare 1.0, which reads back as a number.
      .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .disable(YAMLWriteFeature.SPLIT_LINES)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();
  public static final JsonMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private Yaml() {}

  public static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  public static String json(Object value) {
    return JSON.writeValueAsString(value);
  }

  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }
}
