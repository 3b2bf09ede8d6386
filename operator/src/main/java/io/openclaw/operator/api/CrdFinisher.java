package io.openclaw.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Build step after fabric8's CRD generator: adds what the generator has no annotation for (list-map keys for
 * per-host status entries and conditions, string formats, printer columns in declared order, the status default),
 * writes {@code crds/}, and fails the build when the checked-in CRDs differ from what the Java types generate.
 *
 * <p>Arguments: GENERATED_DIR CRDS_DIR check|update [PACKED_DIR]. With PACKED_DIR (the build gives the jar's crds/),
 * each CRD is also written there as JSON, {@code <plural>.<group>.json}: what validate reads at start, since Jackson
 * parses JSON several times faster than snakeyaml parses the same YAML.
 */
public final class CrdFinisher {
  public static final List<Class<?>> KINDS = List.of(GatewayDeployment.class, SandboxPolicy.class, EgressAllowlist.class);
  private static final String HEADER = "# Generated from operator/src/main/java/io/openclaw/operator/api by the build"
      + " (hack/update-crds.sh); do not edit.\n";

  public static void main(String[] args) throws IOException {
    Path generated = Path.of(args[0]);
    Path crds = Path.of(args[1]);
    boolean update = args.length > 2 && args[2].equals("update");
    Path packed = args.length > 3 ? Files.createDirectories(Path.of(args[3])) : null;
    List<String> stale = new ArrayList<>();
    for (Class<?> kind : KINDS) {
      String plural = pluralOf(kind);
      Path source = generated.resolve(plural + "." + Api.GROUP + "-v1.yml");
      ObjectNode crd = (ObjectNode) Yaml.MAPPER.readTree(Files.readString(source));
      finish(crd, kind);
      String text = HEADER + Yaml.write(crd);
      Path target = crds.resolve(plural + "." + Api.GROUP + ".yaml");
      String current = Files.exists(target) ? Files.readString(target) : "";
      // Read back from the YAML text, so the JSON holds exactly what crds/ holds (as the YAML reader types it).
      if (packed != null) Files.writeString(packed.resolve(packedName(kind)), Yaml.JSON.writeValueAsString(Yaml.MAPPER.readTree(text)));
      if (!current.equals(text)) {
        if (update) {
          Files.createDirectories(crds);
          Files.writeString(target, text);
          System.out.println("crds: wrote " + target);
        } else {
          stale.add(target.toString());
        }
      }
    }
    if (!stale.isEmpty()) {
      System.err.println("crds/ is out of date with the Java types: " + String.join(", ", stale)
          + "\nRun hack/update-crds.sh and commit the result.");
      System.exit(1);
    }
  }

  /** The JSON copy of a kind's CRD in the jar's crds/ (see main). */
  public static String packedName(Class<?> kind) {
    return pluralOf(kind) + "." + Api.GROUP + ".json";
  }

  public static String pluralOf(Class<?> kind) {
    return io.fabric8.kubernetes.api.model.HasMetadata.getPlural(kind.asSubclass(io.fabric8.kubernetes.api.model.HasMetadata.class));
  }

  static void finish(ObjectNode crd, Class<?> kind) {
    ObjectNode version = (ObjectNode) crd.path("spec").path("versions").get(0);
    ObjectNode root = (ObjectNode) version.path("schema").path("openAPIV3Schema");
    ObjectNode properties = (ObjectNode) root.path("properties");
    Type[] specAndStatus = ((ParameterizedType) kind.getGenericSuperclass()).getActualTypeArguments();
    applyFieldAnnotations((ObjectNode) properties.path("spec"), specAndStatus[0]);
    applyFieldAnnotations((ObjectNode) properties.path("status"), specAndStatus[1]);
    orderPrinterColumns(version, kind);
    dropRepeatedRules(root);
    notYetObserved((ObjectNode) properties.path("status"));
  }

  /**
   * A new object reads back with {@code status.observedGeneration: 0} (the server applies defaults when it reads),
   * so kstatus says InProgress until an operator has written its status, not Current: kstatus takes an object
   * without conditions or observedGeneration for one that needs no reconciling.
   */
  private static void notYetObserved(ObjectNode status) {
    status.putObject("default").put("observedGeneration", 0);
  }

  /** The generator emits a record component's rule twice (field and accessor); keep one of each. */
  private static void dropRepeatedRules(JsonNode schema) {
    if (schema instanceof ObjectNode object && object.get("x-kubernetes-validations") instanceof ArrayNode rules) {
      List<JsonNode> distinct = rules.valueStream().distinct().toList();
      rules.removeAll();
      distinct.forEach(rules::add);
    }
    schema.values().forEach(CrdFinisher::dropRepeatedRules);
  }

  /**
   * Walks a record type beside its schema, adding x-kubernetes-list-type: map where {@link ListMapKey} asks and the
   * format where {@link Format} names one.
   */
  private static void applyFieldAnnotations(ObjectNode schema, Type type) {
    if (!(type instanceof Class<?> cls) || !cls.isRecord()) return;
    ObjectNode props = (ObjectNode) schema.get("properties");
    if (props == null) return;
    for (RecordComponent component : cls.getRecordComponents()) {
      JsonNode child = props.get(component.getName());
      if (!(child instanceof ObjectNode childSchema)) continue;
      Format format = component.getAnnotation(Format.class);
      if (format != null) childSchema.put("format", format.value());
      Type generic = component.getGenericType();
      if (generic instanceof ParameterizedType p && p.getRawType() == List.class) {
        Type item = p.getActualTypeArguments()[0];
        ListMapKey key = component.getAnnotation(ListMapKey.class);
        ObjectNode items = (ObjectNode) childSchema.get("items");
        if (key != null) {
          childSchema.put("x-kubernetes-list-type", "map");
          childSchema.putArray("x-kubernetes-list-map-keys").add(key.value());
          // Map keys must be required, or the server rejects the CRD.
          ArrayNode required = items.has("required") ? (ArrayNode) items.get("required") : items.putArray("required");
          if (required.valueStream().noneMatch(n -> n.asString().equals(key.value()))) required.add(key.value());
        }
        if (items != null) applyFieldAnnotations(items, item);
      } else {
        applyFieldAnnotations(childSchema, generic);
      }
    }
  }

  private static void orderPrinterColumns(ObjectNode version, Class<?> kind) {
    ArrayNode columns = (ArrayNode) version.get("additionalPrinterColumns");
    if (columns == null) return;
    List<String> declared = Stream.of(kind.getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name).toList();
    List<JsonNode> sorted = new ArrayList<>(columns.valueStream().toList());
    sorted.sort(java.util.Comparator.comparingInt(c -> declared.indexOf(c.path("name").asString())));
    columns.removeAll();
    sorted.forEach(columns::add);
  }

  static Map<String, Class<?>> kindsByName() {
    return Map.of("GatewayDeployment", GatewayDeployment.class, "SandboxPolicy", SandboxPolicy.class,
        "EgressAllowlist", EgressAllowlist.class);
  }
}
