package io.openclaw.operator.api.validation;

import io.openclaw.operator.api.Api;
import io.openclaw.operator.api.CrdFinisher;
import io.openclaw.operator.api.Durations;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.Quantities;
import io.openclaw.operator.api.Yaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a resource against the structural OpenAPI schema of its CRD, the very file in {@code crds/} (packed into
 * the jar), and fills in the schema's defaults as the API server would. A generic JSON-Schema validator would not
 * do: structural schemas have no additionalProperties: false, yet the API server prunes (and kubectl rejects)
 * unknown fields, so unknown fields are reported here.
 */
public final class StructuralSchema {
  /** A violation at a path such as {@code spec.socketProxy.allow[2]}. */
  public record Violation(String path, String message) {}

  private static final Set<String> METADATA_FIELDS = Set.of("name", "namespace", "labels", "annotations", "uid",
      "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
      "finalizers", "ownerReferences", "managedFields", "generateName");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  /** Plain words for the patterns users meet most, instead of a regular expression. */
  private static final Map<String, String> PATTERN_WORDS = Map.of(
      Quantities.MEMORY_PATTERN, "must be a memory quantity like 1Gi, 512Mi or 1073741824",
      Quantities.CPU_PATTERN, "must be a number of CPUs like \"1.0\" or \"0.5\", or millicores like \"500m\"",
      Durations.PATTERN, "must be a duration like 30s, 10m or 1h",
      GatewayDeploymentSpec.USER_PATTERN, "must be a numeric uid or uid:gid, like 1000 or 1000:1000",
      "^/.*", "must be an absolute path",
      "^/.+", "must be an absolute path");

  private final Map<String, JsonNode> schemasByKind;

  private StructuralSchema(Map<String, JsonNode> schemasByKind) {
    this.schemasByKind = schemasByKind;
  }

  private static final StructuralSchema PACKED = loadPacked();

  /** The schemas packed into the jar from {@code crds/}. */
  public static StructuralSchema packed() { return PACKED; }

  private static StructuralSchema loadPacked() {
    Map<String, JsonNode> schemas = new LinkedHashMap<>();
    for (Class<?> kind : CrdFinisher.KINDS) {
      // The build's JSON copy of crds/ (CrdFinisher): parsing the YAML was a tenth of validate's time.
      String resource = "/crds/" + CrdFinisher.packedName(kind);
      try (InputStream in = StructuralSchema.class.getResourceAsStream(resource)) {
        if (in == null) throw new IllegalStateException("missing " + resource + " in the jar");
        JsonNode crd = Yaml.JSON.readTree(in);
        schemas.put(crd.at("/spec/names/kind").asString(), crd.at("/spec/versions/0/schema/openAPIV3Schema"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new StructuralSchema(schemas);
  }

  public Set<String> kinds() { return schemasByKind.keySet(); }

  public boolean knows(String kind) { return schemasByKind.containsKey(kind); }

  /** Validates a whole object (apiVersion, kind, metadata, spec, status) and applies defaults in place. */
  public List<Violation> validateAndDefault(String kind, ObjectNode object) {
    List<Violation> out = new ArrayList<>();
    JsonNode schema = schemasByKind.get(kind);
    for (String field : object.propertyNames()) {
      if (!Set.of("apiVersion", "kind", "metadata", "spec", "status").contains(field)) {
        out.add(new Violation(field, unknownField(field, Set.of("apiVersion", "kind", "metadata", "spec"))));
      }
    }
    checkMetadata(object.get("metadata"), out);
    dropNulls(object);
    JsonNode specSchema = schema.at("/properties/spec");
    if (!object.has("spec")) {
      out.add(new Violation("spec", "required field missing"));
    } else {
      walk(object.get("spec"), specSchema, "spec", out);
    }
    // Status is written by the operator only; whatever a manifest carries there is ignored, like the API server does.
    object.remove("status");
    return out;
  }

  private static void checkMetadata(JsonNode metadata, List<Violation> out) {
    if (metadata == null || !metadata.isObject()) {
      out.add(new Violation("metadata", metadata == null ? "required field missing" : "must be an object"));
      return;
    }
    for (String field : metadata.propertyNames()) {
      if (!METADATA_FIELDS.contains(field)) out.add(new Violation("metadata." + field, unknownField(field, METADATA_FIELDS)));
    }
    JsonNode name = metadata.get("name");
    if (name == null || !name.isString() || name.asString().isEmpty()) {
      out.add(new Violation("metadata.name", "required field missing"));
    } else if (name.asString().length() > 63 || !DNS_LABEL.matcher(name.asString()).matches()) {
      // A label, not a subdomain: the name becomes part of container names and of the host's Lease.
      out.add(new Violation("metadata.name", "must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters), got \""
          + name.asString() + "\""));
    }
    JsonNode namespace = metadata.get("namespace");
    if (namespace != null && (!namespace.isString() || !DNS_LABEL.matcher(namespace.asString()).matches())) {
      out.add(new Violation("metadata.namespace", "must be a DNS-1123 label"));
    }
    for (String mapField : List.of("labels", "annotations")) {
      JsonNode map = metadata.get(mapField);
      if (map == null) continue;
      if (!map.isObject()) {
        out.add(new Violation("metadata." + mapField, "must be a map of strings"));
        continue;
      }
      map.propertyStream().filter(e -> !e.getValue().isString())
          .forEach(e -> out.add(new Violation("metadata." + mapField + "." + e.getKey(), "must be a string (quote it)")));
    }
  }

  private void walk(JsonNode value, JsonNode schema, String path, List<Violation> out) {
    String type = schema.path("type").asString("");
    switch (type) {
      case "object" -> walkObject(value, schema, path, out);
      case "array" -> walkArray(value, schema, path, out);
      case "string" -> checkString(value, schema, path, out);
      case "integer", "number" -> checkNumber(value, schema, path, type, out);
      case "boolean" -> {
        if (!value.isBoolean()) out.add(new Violation(path, "must be true or false, not " + describe(value)));
      }
      default -> { }
    }
    if (schema.has("enum") && value.isValueNode()) {
      boolean allowed = schema.get("enum").valueStream().anyMatch(e -> e.asString().equals(value.asString()));
      if (!allowed) {
        List<String> values = schema.get("enum").valueStream().map(JsonNode::asString).toList();
        out.add(new Violation(path, "must be one of " + String.join(", ", values) + " (got \"" + value.asString() + "\")"));
      }
    }
  }

  private void walkObject(JsonNode value, JsonNode schema, String path, List<Violation> out) {
    if (!value.isObject()) {
      out.add(new Violation(path, "must be an object (a map of fields), not " + describe(value)));
      return;
    }
    ObjectNode object = (ObjectNode) value;
    dropNulls(object);
    JsonNode properties = schema.get("properties");
    JsonNode additional = schema.get("additionalProperties");
    if (properties != null) {
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        if (!object.has(property.getKey()) && property.getValue().has("default")) {
          object.set(property.getKey(), property.getValue().get("default").deepCopy());
        }
      }
      for (String field : new ArrayList<>(object.propertyNames())) {
        JsonNode fieldSchema = properties.get(field);
        String child = path + "." + field;
        if (fieldSchema == null) {
          out.add(new Violation(child, unknownField(field, new TreeSet<>(properties.propertyNames()))));
        } else {
          walk(object.get(field), fieldSchema, child, out);
        }
      }
    } else if (additional != null && additional.isObject()) {
      for (String field : object.propertyNames()) {
        walk(object.get(field), additional, path + "." + field, out);
      }
    }
    if (schema.has("required")) {
      for (JsonNode required : schema.get("required")) {
        if (!object.has(required.asString())) out.add(new Violation(path + "." + required.asString(), "required field missing"));
      }
    }
  }

  private void walkArray(JsonNode value, JsonNode schema, String path, List<Violation> out) {
    if (!value.isArray()) {
      out.add(new Violation(path, "must be a list, not " + describe(value)));
      return;
    }
    ArrayNode array = (ArrayNode) value;
    if (schema.has("maxItems") && array.size() > schema.get("maxItems").asInt()) {
      out.add(new Violation(path, "at most " + schema.get("maxItems").asInt() + " items allowed, got " + array.size()));
    }
    JsonNode items = schema.path("items");
    for (int i = 0; i < array.size(); i++) {
      walk(array.get(i), items, path + "[" + i + "]", out);
    }
  }

  private static void checkString(JsonNode value, JsonNode schema, String path, List<Violation> out) {
    if (!value.isString()) {
      String hint = value.isNumber() || value.isBoolean() ? " (quote it: \"" + value.asString() + "\")" : "";
      out.add(new Violation(path, "must be a string, not " + describe(value) + hint));
      return;
    }
    String text = value.asString();
    if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
      out.add(new Violation(path, "at most " + schema.get("maxLength").asInt() + " characters allowed, got " + text.length()));
    }
    if (schema.has("pattern")) {
      String pattern = schema.get("pattern").asString();
      if (!Pattern.compile(pattern).matcher(text).find()) {
        out.add(new Violation(path, PATTERN_WORDS.getOrDefault(pattern, "must match " + pattern) + " (got \"" + text + "\")"));
      }
    }
  }

  private static void checkNumber(JsonNode value, JsonNode schema, String path, String type, List<Violation> out) {
    if (!value.isNumber() || (type.equals("integer") && !value.isIntegralNumber())) {
      // Only a quoted number is fixed by removing the quotes; for any other text, show what was written.
      String hint = !value.isString() ? "" : isNumeral(value.asString()) ? " (remove the quotes)" : " (got \"" + value.asString() + "\")";
      out.add(new Violation(path, "must be " + (type.equals("integer") ? "a whole number" : "a number") + ", not "
          + describe(value) + hint));
      return;
    }
    BigDecimal number = value.decimalValue();
    // The API server checks integer formats: a value past int32/int64 is refused (and the Java field could not hold it).
    String format = schema.path("format").asString("");
    if (type.equals("integer") && (format.equals("int32") || format.equals("int64"))) {
      boolean int32 = format.equals("int32");
      BigDecimal lo = BigDecimal.valueOf(int32 ? Integer.MIN_VALUE : Long.MIN_VALUE);
      BigDecimal hi = BigDecimal.valueOf(int32 ? Integer.MAX_VALUE : Long.MAX_VALUE);
      if (number.compareTo(lo) < 0 || number.compareTo(hi) > 0) {
        out.add(new Violation(path, "must be a " + (int32 ? "32" : "64") + "-bit whole number (" + plain(lo) + " to " + plain(hi) + "), got "
            + plain(number)));
        return;
      }
    }
    if (schema.has("minimum")) {
      BigDecimal min = schema.get("minimum").decimalValue();
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      int cmp = number.compareTo(min);
      if (cmp < 0 || (exclusive && cmp == 0)) {
        out.add(new Violation(path, "must be " + (exclusive ? "greater than " : "at least ") + plain(min) + " (got " + plain(number) + ")"));
      }
    }
    if (schema.has("maximum")) {
      BigDecimal max = schema.get("maximum").decimalValue();
      if (number.compareTo(max) > 0) out.add(new Violation(path, "must be at most " + plain(max) + " (got " + plain(number) + ")"));
    }
  }

  private static void dropNulls(ObjectNode object) {
    // The API server treats an explicit null like an absent field (and then applies the default).
    for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
      if (it.next().getValue().isNull()) it.remove();
    }
  }

  private static String plain(BigDecimal number) {
    return number.stripTrailingZeros().toPlainString();
  }

  private static boolean isNumeral(String text) {
    try {
      new BigDecimal(text.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String describe(JsonNode value) {
    if (value.isObject()) return "an object";
    if (value.isArray()) return "a list";
    if (value.isString()) return "a string";
    if (value.isBoolean()) return "a boolean";
    if (value.isNumber()) return "a number";
    return "null";
  }

  static String unknownField(String field, Set<String> known) {
    String suggestion = known.stream().filter(k -> editDistance(k.toLowerCase(), field.toLowerCase()) <= 2)
        .findFirst().map(k -> "; did you mean \"" + k + "\"?").orElse("");
    return "unknown field" + suggestion + " (known here: " + String.join(", ", new TreeSet<>(known)) + ")";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      int[] current = new int[b.length() + 1];
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      previous = current;
    }
    return previous[b.length()];
  }
}
