package io.openclaw.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.status.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The CRDs explain themselves and carry the status shapes GitOps tools rely on: every kind and every field has a
 * description ({@code kubectl explain}), every kind is in the openclaw category ({@code kubectl get openclaw}),
 * conditions have Kubernetes' metav1.Condition schema and both condition and host lists merge by key.
 * Read from the CRDs packed into the jar, the same files {@code validate} walks and {@code crds/} holds.
 */
class CrdSchemaTest {
  private static final List<String> CONDITION_FIELDS = List.of("type", "status", "reason", "message", "lastTransitionTime");

  /** Each kind's openAPIV3Schema, by kind. */
  private static Map<String, JsonNode> packedCrds() throws IOException {
    Map<String, JsonNode> crds = new LinkedHashMap<>();
    for (Class<?> kind : CrdFinisher.KINDS) {
      String resource = "/crds/" + CrdFinisher.pluralOf(kind) + "." + Api.GROUP + ".yaml";
      try (InputStream in = CrdSchemaTest.class.getResourceAsStream(resource)) {
        assertThat(in).as(resource + " on the classpath").isNotNull();
        JsonNode crd = Yaml.MAPPER.readTree(in);
        crds.put(crd.at("/spec/names/kind").asString(), crd);
      }
    }
    assertThat(crds).hasSize(3);
    return crds;
  }

  private static JsonNode schema(JsonNode crd) { return crd.at("/spec/versions/0/schema/openAPIV3Schema"); }

  /** Every schema below {@code schema} by its path (spec.gateway.volumes[].source), properties, list items and map values. */
  private static void collect(JsonNode schema, String path, Map<String, JsonNode> out) {
    schema.path("properties").propertyStream().forEach(p -> {
      String child = path.isEmpty() ? p.getKey() : path + "." + p.getKey();
      out.put(child, p.getValue());
      collect(p.getValue(), child, out);
    });
    if (schema.path("items").isObject()) collect(schema.get("items"), path + "[]", out);
    if (schema.path("additionalProperties").isObject()) collect(schema.get("additionalProperties"), path + "{}", out);
  }

  private static Map<String, JsonNode> fields(JsonNode crd) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    collect(schema(crd), "", out);
    return out;
  }

  @Test
  void everyKindAndEveryFieldOfSpecAndStatusHasADescription() throws IOException {
    List<String> undescribed = new ArrayList<>();
    for (Map.Entry<String, JsonNode> crd : packedCrds().entrySet()) {
      String kind = crd.getKey();
      if (schema(crd.getValue()).path("description").asString("").isBlank()) undescribed.add(kind);
      Map<String, JsonNode> fields = fields(crd.getValue());
      assertThat(fields).as(kind + " has spec and status fields").containsKeys("spec", "status", "status.conditions", "status.hosts");
      for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
        if (field.getValue().path("description").asString("").isBlank()) undescribed.add(kind + " " + field.getKey());
      }
    }
    assertThat(undescribed).as("kinds and fields without a description").isEmpty();
  }

  @Test
  void everyKindIsListedByKubectlGetOpenclaw() throws IOException {
    packedCrds().forEach((kind, crd) ->
        assertThat(crd.at("/spec/names/categories").valueStream().map(JsonNode::asString).toList()).as(kind).containsExactly("openclaw"));
  }

  @Test
  void everyConditionListHasTheMetav1ConditionSchemaAndMergesByType() throws IOException {
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, JsonNode> crd : packedCrds().entrySet()) {
      for (Map.Entry<String, JsonNode> field : fields(crd.getValue()).entrySet()) {
        if (!field.getKey().endsWith(".conditions")) continue;
        String where = crd.getKey() + " " + field.getKey();
        JsonNode list = field.getValue();
        assertThat(list.path("x-kubernetes-list-type").asString()).as(where).isEqualTo("map");
        assertThat(list.path("x-kubernetes-list-map-keys").valueStream().map(JsonNode::asString).toList()).as(where).containsExactly("type");
        JsonNode item = list.path("items");
        assertThat(item.path("required").valueStream().map(JsonNode::asString).toList()).as(where)
            .containsExactlyInAnyOrderElementsOf(CONDITION_FIELDS);
        JsonNode p = item.path("properties");
        assertThat(p.path("status").path("enum").valueStream().map(JsonNode::asString).toList()).as(where)
            .containsExactlyInAnyOrder("True", "False", "Unknown");
        assertThat(p.path("type").path("pattern").asString()).as(where).isEqualTo(Condition.TYPE_PATTERN);
        assertThat(p.path("type").path("maxLength").asInt()).as(where).isEqualTo(316);
        assertThat(p.path("reason").path("pattern").asString()).as(where).isEqualTo("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");
        assertThat(p.path("reason").path("minLength").asInt()).as(where).isEqualTo(1);
        assertThat(p.path("reason").path("maxLength").asInt()).as(where).isEqualTo(1024);
        assertThat(p.path("message").path("maxLength").asInt()).as(where).isEqualTo(32768);
        assertThat(p.path("lastTransitionTime").path("format").asString()).as(where).isEqualTo("date-time");
        assertThat(p.path("observedGeneration").path("type").asString()).as(where).isEqualTo("integer");
        assertThat(p.path("observedGeneration").path("minimum").decimalValue()).as(where).isZero();
        checked.add(where);
      }
    }
    assertThat(checked).as("top-level and per-host conditions of every kind").containsExactlyInAnyOrder(
        "GatewayDeployment status.conditions", "GatewayDeployment status.hosts[].conditions",
        "SandboxPolicy status.conditions", "SandboxPolicy status.hosts[].conditions",
        "EgressAllowlist status.conditions", "EgressAllowlist status.hosts[].conditions");
  }

  @Test
  void perHostStatusIsAListMapKeyedByHostName() throws IOException {
    packedCrds().forEach((kind, crd) -> {
      JsonNode hosts = fields(crd).get("status.hosts");
      assertThat(hosts.path("x-kubernetes-list-type").asString()).as(kind).isEqualTo("map");
      assertThat(hosts.path("x-kubernetes-list-map-keys").valueStream().map(JsonNode::asString).toList()).as(kind).containsExactly("name");
      assertThat(hosts.at("/items/required").valueStream().map(JsonNode::asString).toList()).as(kind).contains("name");
    });
  }

  @Test
  void conditionsTheOperatorWritesPassTheConditionSchema() {
    Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    List<Condition> written = new ArrayList<>();
    written.addAll(Outcome.stalled("InvalidSpec", "spec.gateway.image: required field missing").conditions(3, null, clock));
    written.addAll(Outcome.ready(null).conditions(3, null, clock));
    written.addAll(Outcome.reconciling("Progressing", "x".repeat(40_000)).conditions(3, null, clock));
    Pattern reason = Pattern.compile("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");
    Pattern type = Pattern.compile(Condition.TYPE_PATTERN);
    for (Condition c : written) {
      assertThat(c.type()).matches(type);
      assertThat(c.status()).isIn("True", "False", "Unknown");
      assertThat(c.reason()).matches(reason);
      assertThat(c.message()).as("required, may be empty").isNotNull().hasSizeLessThanOrEqualTo(Condition.MAX_MESSAGE);
      assertThat(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(c.lastTransitionTime())).isNotNull();
      assertThat(c.observedGeneration()).isNotNegative();
    }
    assertThat(written).hasSize(9);
  }
}
