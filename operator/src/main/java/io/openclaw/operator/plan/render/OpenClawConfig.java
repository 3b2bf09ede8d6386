package io.openclaw.operator.plan.render;

import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.Quantities;
import io.openclaw.operator.api.SandboxPolicySpec;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.plan.Limits;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's openclaw.json: the user's base (it holds channel tokens, so it is itself a secret) deep-merged
 * with the operator's keys, which win. Prevention before enforcement: the SandboxPolicy is rendered into
 * agents.defaults.sandbox, so OpenClaw creates conforming sandboxes in the first place.
 */
public final class OpenClawConfig {
  public static final String DIR = "/etc/openclaw";
  public static final String PATH = DIR + "/openclaw.json";

  /** OpenClaw reads its config as JSON5: comments, trailing commas, unquoted keys. */
  private static final JsonMapper JSON5 = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_SINGLE_QUOTES,
          JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES, JsonReadFeature.ALLOW_YAML_COMMENTS)
      .build();

  /** Seed denial names that are no tools in OpenClaw, and what really does what they meant. */
  public static final Map<String, String> NOT_TOOLS = Map.of(
      "host_exec", "there is no host_exec tool; exec runs in the sandbox because tools.exec.host is \"sandbox\" and sandbox mode is \"all\"",
      "elevated", "elevated is a mode, not a tool; tools.elevated.enabled: false turns it off",
      "docker", "docker is not a tool; sandboxes reach no Docker socket and the gateway only the socket proxy",
      "camera", "camera is a node surface reached through the nodes tool; deny nodes to block it");

  private OpenClawConfig() {}

  public static JsonNode parseBase(byte[] content) {
    JsonNode base = JSON5.readTree(content);
    if (!base.isObject()) throw new IllegalArgumentException("the base openclaw.json must be a JSON object");
    return base;
  }

  /**
   * The operator's keys alone (no base): what a SandboxPolicy and the gateway's denials demand, the model proxy as the
   * only model provider, the model policy's primary and allowed models, and the workspace the operator writes the
   * agent's files into.
   */
  public static ObjectNode operatorKeys(GatewayDeploymentSpec gateway, SandboxPolicySpec policy, String sandboxRoot) {
    ObjectNode root = Yaml.JSON.createObjectNode();
    if (gateway.modelProxy() != null) ModelRouting.render(root, gateway.modelProxy());
    var modelPolicy = gateway.modelPolicy();
    if (modelPolicy != null && modelPolicy.primary() != null) defaults(root).putObject("model").put("primary", modelPolicy.primary());
    if (modelPolicy != null && modelPolicy.allowed() != null && !modelPolicy.allowed().isEmpty()) {
      strings(defaults(root).putObject("modelPolicy").putArray("allow"), modelPolicy.allowed());
    }
    if (gateway.gateway().workspaceFiles() != null && !gateway.gateway().workspaceFiles().isEmpty()) {
      defaults(root).put("workspace", agentWorkspace(gateway, policy));
    }
    if (policy != null) {
      sandboxKeys(defaults(root).putObject("sandbox"), policy, sandboxRoot);
      ObjectNode tools = root.putObject("tools");
      strings(tools.putArray("deny"), policy.toolDenials());
      tools.putObject("elevated").put("enabled", false);
      tools.putObject("exec").put("host", "sandbox");
    }
    ObjectNode gatewayTools = root.putObject("gateway").putObject("tools");
    strings(gatewayTools.putArray("deny"), gateway.toolDenials().gateway());
    return root;
  }

  private static ObjectNode defaults(ObjectNode root) {
    ObjectNode agents = root.path("agents").isObject() ? (ObjectNode) root.get("agents") : root.putObject("agents");
    return agents.path("defaults").isObject() ? (ObjectNode) agents.get("defaults") : agents.putObject("defaults");
  }

  /** Where the agent's workspace files go: the SandboxPolicy's mounts.agentWorkspace, else {@code <stateDir>/workspace}. */
  public static String agentWorkspace(GatewayDeploymentSpec gateway, SandboxPolicySpec policy) {
    if (policy != null && policy.mounts() != null && policy.mounts().agentWorkspace() != null) return policy.mounts().agentWorkspace();
    return java.nio.file.Path.of(gateway.gateway().stateDir(), "workspace").toString();
  }

  private static void sandboxKeys(ObjectNode sandbox, SandboxPolicySpec policy, String sandboxRoot) {
    Limits limits = Limits.of(policy.resources());
    sandbox.put("mode", "all");
    sandbox.put("workspaceAccess", policy.workspaceAccess().name().toLowerCase(Locale.ROOT));
    if (sandboxRoot != null) sandbox.put("workspaceRoot", sandboxRoot);
    ObjectNode docker = sandbox.putObject("docker");
    docker.put("network", policy.network());
    strings(docker.putArray("capDrop"), policy.capDrop());
    docker.put("memory", Quantities.dockerMemory(limits.memory()));
    docker.put("memorySwap", Quantities.dockerMemory(limits.memorySwap()));
    docker.put("cpus", new java.math.BigDecimal(Quantities.cpus(limits.nanoCpus())));
    docker.put("pidsLimit", limits.pidsLimit());
    docker.put("readOnlyRoot", true);
    ObjectNode prune = sandbox.putObject("prune");
    // OpenClaw takes whole hours and days; the operator enforces the exact values itself.
    prune.put("idleHours", (long) Math.ceil(policy.prune().idleHours()));
    prune.put("maxAgeDays", (long) Math.ceil(policy.prune().maxAgeDays()));
  }

  /** The file delivered: base merged with the operator's keys; per-agent sandbox overrides are brought in line too. */
  public static String render(JsonNode base, GatewayDeploymentSpec gateway, SandboxPolicySpec policy, String sandboxRoot) {
    ObjectNode operator = operatorKeys(gateway, policy, sandboxRoot);
    ObjectNode merged = base == null ? Yaml.JSON.createObjectNode() : (ObjectNode) base.deepCopy();
    merge(merged, operator);
    if (gateway.modelProxy() != null) {
      // The model proxy is the only provider: the base's providers, and provider keys or endpoints in env.vars, stay out.
      ((ObjectNode) merged.get("models")).set("providers", operator.path("models").path("providers").deepCopy());
      if (merged.path("env").path("vars").isObject()) {
        ObjectNode vars = (ObjectNode) merged.path("env").path("vars");
        List<String> names = new java.util.ArrayList<>();
        vars.properties().forEach(v -> names.add(v.getKey()));
        for (String name : names) {
          if (ModelRouting.providerVariable(name, vars.path(name).asString(""), List.of()).isPresent()) vars.remove(name);
        }
      }
    }
    JsonNode defaults = operator.path("agents").path("defaults").path("sandbox");
    JsonNode allowed = operator.path("agents").path("defaults").path("modelPolicy");
    // A per-agent block could turn sandboxing off for one agent, or let it switch to any model: the operator's keys win
    // there as well. Per-agent settings live in agents.entries.<id>; OpenClaw (2026.9) still reads the older
    // agents.list[] (agents with an id) and moves it into entries, so both forms are brought in line.
    for (String perAgent : List.of("list", "entries")) {
      JsonNode agents = merged.path("agents").path(perAgent);
      if (!agents.isArray() && !agents.isObject()) continue;
      agents.values().forEach(agent -> {
        if (defaults.isObject() && agent.path("sandbox").isObject()) merge((ObjectNode) agent.path("sandbox"), (ObjectNode) defaults);
        if (allowed.isObject() && agent.path("modelPolicy").isObject()) merge((ObjectNode) agent.path("modelPolicy"), (ObjectNode) allowed);
      });
    }
    return Yaml.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(merged) + "\n";
  }

  /** Deep merge, overlay winning; deny lists are joined, so the user can deny more but never less. */
  static void merge(ObjectNode target, ObjectNode overlay) {
    for (Map.Entry<String, JsonNode> e : overlay.properties()) {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode existingObject && e.getValue() instanceof ObjectNode overlayObject) {
        merge(existingObject, overlayObject);
      } else if (e.getKey().equals("deny") && existing instanceof ArrayNode existingArray && e.getValue() instanceof ArrayNode overlayArray) {
        Set<String> joined = new LinkedHashSet<>();
        overlayArray.forEach(n -> joined.add(n.asString()));
        existingArray.forEach(n -> joined.add(n.asString()));
        ArrayNode out = target.putArray(e.getKey());
        joined.forEach(out::add);
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  /**
   * Whether the live file still says everything the desired one says: OpenClaw may reformat its file or add keys
   * of its own, which is fine; a changed or missing operator key is not.
   */
  public static boolean satisfies(JsonNode live, JsonNode desired) {
    if (desired.isObject()) {
      if (!live.isObject()) return false;
      for (Map.Entry<String, JsonNode> e : desired.properties()) {
        JsonNode l = live.get(e.getKey());
        if (l == null || !satisfies(l, e.getValue())) return false;
      }
      return true;
    }
    if (desired.isArray()) {
      if (!live.isArray()) return false;
      Set<JsonNode> have = new java.util.HashSet<>();
      live.forEach(have::add);
      for (JsonNode d : desired) if (!have.contains(d)) return false;
      return true;
    }
    if (desired.isNumber() && live.isNumber()) return desired.decimalValue().compareTo(live.decimalValue()) == 0;
    return desired.equals(live);
  }

  public static boolean satisfies(byte[] live, String desired) {
    try {
      return satisfies(JSON5.readTree(live), Yaml.JSON.readTree(desired));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Which configured denials have no effect in OpenClaw, each with what really does the job. */
  public static List<String> ineffectiveDenials(List<String> denials) {
    return denials.stream().filter(NOT_TOOLS::containsKey).map(d -> d + ": " + NOT_TOOLS.get(d)).toList();
  }

  private static void strings(ArrayNode array, List<String> values) {
    if (values != null) values.forEach(array::add);
  }
}
