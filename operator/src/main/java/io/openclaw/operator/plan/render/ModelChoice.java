package io.openclaw.operator.plan.render;

import io.openclaw.operator.api.GatewayDeploymentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Which model each agent of an openclaw.json uses, and whether its tools can act on the world (exec, browser, web):
 * the prompt-injection layer of the seed. An agent that reads untrusted text and can act should run the larger model,
 * which resists injected instructions better; {@code spec.modelPolicy.discouraged} names what it should not run, and
 * OpenClaw has no setting for that, so validate and audit read the config. Tool policy as OpenClaw 2026.9 documents it
 * (docs/gateway/config-tools/tool-policy.md): a profile (minimal, coding, messaging, full; unset filters nothing), an
 * absolute allow list that replaces the profile, alsoAllow, and deny lists (global and per agent) that win; groups and
 * {@code *} expand.
 */
public final class ModelChoice {
  /** The tools that act on the world outside the conversation. */
  public static final List<String> ACTING = List.of("exec", "process", "code_execution", "browser", "web_search", "web_fetch", "x_search");
  private static final Map<String, List<String>> GROUPS = Map.of(
      "group:runtime", List.of("exec", "process", "code_execution"),
      "group:web", List.of("web_search", "x_search", "web_fetch"),
      "group:ui", List.of("browser"),
      "group:openclaw", List.of("code_execution", "browser", "web_search", "x_search", "web_fetch"));
  private static final Map<String, List<String>> PROFILES = Map.of(
      "minimal", List.of(),
      "messaging", List.of(),
      "coding", List.of("exec", "process", "code_execution", "web_search", "x_search", "web_fetch"),
      "full", ACTING);

  private ModelChoice() {}

  /** One agent: "defaults" for agents without an entry of their own, else the entry's id. */
  public record Agent(String id, List<String> models, List<String> actingTools, List<String> allowedOverrides) {
    public boolean canAct() { return !actingTools.isEmpty(); }
  }

  public static List<Agent> agents(JsonNode config) {
    JsonNode tools = config.path("tools");
    JsonNode defaults = config.path("agents").path("defaults");
    List<Agent> out = new ArrayList<>();
    out.add(agent("defaults", defaults, tools, defaults.path("modelPolicy")));
    for (Map.Entry<String, JsonNode> e : entries(config).entrySet()) {
      JsonNode entry = e.getValue();
      JsonNode policy = entry.path("modelPolicy").isObject() ? entry.path("modelPolicy") : defaults.path("modelPolicy");
      JsonNode own = entry.path("model").isMissingNode() ? defaults : entry;
      out.add(new Agent(e.getKey(), models(own.path("model")), acting(tools, entry.path("tools")), strings(policy.path("allow"))));
    }
    return out;
  }

  private static Agent agent(String id, JsonNode agent, JsonNode tools, JsonNode modelPolicy) {
    return new Agent(id, models(agent.path("model")), acting(tools, agent.path("tools")), strings(modelPolicy.path("allow")));
  }

  /**
   * What {@code policy} has to say about the agents of this config, one line each: an agent that can act and runs
   * (or may switch to) a discouraged model, or runs one outside the allowed list. {@code catalog}: the models an agent
   * may switch to (provider/model), for the discouraged ones still allowed.
   */
  public static List<String> problems(JsonNode config, GatewayDeploymentSpec.ModelPolicy policy) {
    List<String> out = new ArrayList<>();
    if (policy == null) return out;
    List<String> catalog = catalog(config);
    for (Agent a : agents(config)) {
      String who = a.id().equals("defaults") ? "the default agent (agents.defaults)" : "agent " + a.id();
      if (policy.allowed() != null && !policy.allowed().isEmpty()) {
        for (String m : a.models()) {
          if (!matchesAny(m, policy.allowed())) out.add(who + " runs " + m + ", which spec.modelPolicy.allowed does not list");
        }
      }
      if (!a.canAct() || policy.discouraged() == null) continue;
      for (GatewayDeploymentSpec.DiscouragedModel d : policy.discouraged()) {
        String why = d.reason() == null || d.reason().isBlank() ? "" : " (" + d.reason() + ")";
        for (String m : a.models()) {
          if (matches(m, d.model())) out.add(who + " can act (" + String.join(", ", a.actingTools()) + ") and runs " + m + ", discouraged" + why);
        }
        for (String m : catalog) {
          if (a.models().contains(m) || !matches(m, d.model())) continue;
          if (a.allowedOverrides().isEmpty() || matchesAny(m, a.allowedOverrides())) {
            out.add(who + " can act (" + String.join(", ", a.actingTools()) + ") and may switch to " + m + ", discouraged" + why
                + (a.allowedOverrides().isEmpty() ? ": its modelPolicy.allow is empty, so any model is allowed" : ""));
          }
        }
      }
    }
    return out;
  }

  /** The provider/model references of the configured providers' models. */
  static List<String> catalog(JsonNode config) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p : config.path("models").path("providers").properties()) {
      for (JsonNode m : p.getValue().path("models")) if (m.path("id").isString()) out.add(p.getKey() + "/" + m.path("id").asString());
    }
    return out;
  }

  /** An exact reference, or a pattern with a trailing * (a prefix), as OpenClaw's modelPolicy.allow reads them. */
  public static boolean matches(String model, String pattern) {
    if (pattern.endsWith("*")) return model.startsWith(pattern.substring(0, pattern.length() - 1));
    return model.equals(pattern);
  }

  public static boolean matchesAny(String model, List<String> patterns) { return patterns.stream().anyMatch(p -> matches(model, p)); }

  /** The acting tools an agent keeps after its profile, allow lists and deny lists (global and its own). */
  static List<String> acting(JsonNode global, JsonNode own) {
    String profile = own.path("profile").asString(global.path("profile").asString(""));
    JsonNode allowNode = own.path("allow").isArray() ? own.path("allow") : global.path("allow");
    Set<String> have = new LinkedHashSet<>();
    if (allowNode.isArray()) have.addAll(expand(strings(allowNode)));
    else have.addAll(PROFILES.getOrDefault(profile, ACTING));
    have.addAll(expand(strings(global.path("alsoAllow"))));
    have.addAll(expand(strings(own.path("alsoAllow"))));
    have.removeAll(expand(strings(global.path("deny"))));
    have.removeAll(expand(strings(own.path("deny"))));
    return ACTING.stream().filter(have::contains).toList();
  }

  private static Set<String> expand(List<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      if (n.equals("*")) out.addAll(ACTING);
      else if (n.equals("bash")) out.add("exec");
      else out.addAll(GROUPS.getOrDefault(n, List.of(n)));
    }
    return out;
  }

  private static List<String> models(JsonNode model) {
    List<String> out = new ArrayList<>();
    if (model.isString()) out.add(model.asString());
    else if (model.isObject()) {
      if (model.path("primary").isString()) out.add(model.path("primary").asString());
      out.addAll(strings(model.path("fallbacks")));
    }
    return out;
  }

  /** agents.entries (an object by id) and the older agents.list (an array of objects with an id). */
  private static Map<String, JsonNode> entries(JsonNode config) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    config.path("agents").path("entries").properties().forEach(e -> out.put(e.getKey(), e.getValue()));
    for (JsonNode a : config.path("agents").path("list")) if (a.path("id").isString()) out.putIfAbsent(a.path("id").asString(), a);
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array.isArray()) array.forEach(n -> out.add(n.asString()));
    return out;
  }
}
