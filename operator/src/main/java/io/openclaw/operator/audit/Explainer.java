package io.openclaw.operator.audit;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.ContainerView;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.Severity;
import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code explain}: the audit's verdicts for one container (each rule, pass or fail, and why; and what the operator would
 * do), or one SandboxPolicy with its defaults filled in and the sandboxes it selects. Never prints env, command or
 * label values.
 */
public final class Explainer {
  private Explainer() {}

  /** What explain prints: text for people, and the same facts as JSON for scripts. */
  public record Explanation(String text, ObjectNode json) {}

  /** A container by name, full id or unique id prefix; IllegalArgumentException when none or several match. */
  public static ContainerView find(Audit.Result r, String ref) {
    String name = ref.startsWith("/") ? ref.substring(1) : ref;
    Optional<ContainerView> byName = r.view().snapshot().containerNamed(name);
    if (byName.isPresent()) return byName.get();
    List<ContainerView> byId = r.view().snapshot().allContainers().stream().filter(c -> name.length() >= 4 && c.id().startsWith(name)).toList();
    if (byId.size() == 1) return byId.get(0);
    if (byId.isEmpty()) throw new IllegalArgumentException("no container named " + ref + " on this Docker host (and no id starts with it)");
    throw new IllegalArgumentException(byId.size() + " containers have ids starting with " + ref + "; give more of the id");
  }

  public static Explanation container(Audit.Result r, ContainerView c) {
    StringBuilder out = new StringBuilder();
    ObjectNode json = Yaml.JSON.createObjectNode();
    out.append("Container ").append(c.name()).append(" (id ").append(shortId(c.id())).append(", ").append(c.state()).append(", image ")
        .append(c.image()).append(")\n");
    json.putObject("container").put("name", c.name()).put("id", c.id()).put("state", c.state()).put("image", c.image());
    List<Verdict> planned = r.plans().of(c.id());
    String role = role(r, c, planned);
    out.append("Role: ").append(role).append('\n');
    json.put("role", role);
    out.append("Rules:\n");
    List<Verdicts.Verdict> verdicts = r.verdicts().of(c.name());
    int width = verdicts.stream().mapToInt(v -> v.checkId().length()).max().orElse(10);
    ArrayNode rules = json.putArray("rules");
    for (Verdicts.Verdict v : verdicts) {
      String verdict = v.passed() ? "PASS" : v.failure().severity() == Severity.INFO ? "INFO" : "FAIL";
      String detail = v.passed() ? v.fact() : v.failure().detail();
      out.append(String.format("  %s  %-" + width + "s  %s%n", verdict, v.checkId(), detail));
      rules.addObject().put("checkId", v.checkId()).put("verdict", verdict.toLowerCase(Locale.ROOT)).put("detail", detail);
    }
    out.append("The operator would: ").append(String.join("\n  ", operatorActions(planned, verdicts))).append('\n');
    ArrayNode actions = json.putArray("actions");
    for (Verdict v : planned) v.actions().forEach(a -> action(actions.addObject(), a, v.enforced()));
    return new Explanation(out.toString(), json);
  }

  private static void action(ObjectNode o, Action a, boolean carriedOut) {
    o.put("type", a.type()).put("target", a.target()).put("carriedOut", carriedOut);
    o.putObject("reason").put("code", a.reason().code()).put("detail", a.reason().detail());
  }

  /** Which planner judges the container, from its verdicts (the component of a stack, a policy's sandbox, or the baseline). */
  private static String role(Audit.Result r, ContainerView c, List<Verdict> planned) {
    Optional<SandboxPlanner.Plan> governing = r.governing(c);
    if (governing.isPresent()) {
      SandboxPlanner.Policy p = governing.get().policy();
      return "sandbox governed by " + p.key() + " (enforcement " + p.spec().enforcement().name().toLowerCase(Locale.ROOT) + "): judged by the policy's rules";
    }
    Optional<ResourceKey> owner = Optional.ofNullable(r.view().ownership().all().get(c.id()));
    if (owner.isPresent()) {
      boolean declared = r.plans().gateways().containsKey(owner.get());
      return "component " + c.label(Labels.COMPONENT) + " of " + owner.get() + (declared ? ": judged against its spec"
          : ": its resource is not in the given desired state");
    }
    String base = "a container the operator did not create: judged by the host baseline every container meets";
    if (planned.stream().anyMatch(v -> v.violations().stream().anyMatch(x -> x.rule() == Rule.NETWORK_FOREIGN_CONTAINER))) {
      return base + "; it is on the network of a GatewayDeployment";
    }
    if ("1".equals(c.label(Labels.SANDBOX))) {
      return base + (r.desired().given() ? "; labelled as an OpenClaw sandbox, but no declared SandboxPolicy (with its gateway) selects it"
          : "; labelled as an OpenClaw sandbox (no desired state given, so no policy applies)");
    }
    return base;
  }

  /** The planners' own decisions on the container, and a word on what no planner acts on. */
  private static List<String> operatorActions(List<Verdict> planned, List<Verdicts.Verdict> verdicts) {
    List<String> out = new ArrayList<>();
    for (Verdict v : planned) {
      String mode = v.enforced() ? "" : "only report (" + (v.scope() == Rule.Scope.BASELINE ? "hostBaseline.enforcement: report" : "enforcement: report")
          + ") that it would ";
      v.actions().forEach(a -> out.add(mode + describe(a)));
      if (!v.note().isEmpty() && v.actions().isEmpty()) out.add("nothing now: " + v.note());
    }
    List<String> advisory = verdicts.stream().filter(v -> !v.passed() && v.failure().severity() != Severity.INFO)
        .filter(v -> Rule.byCheckId(v.checkId()).map(x -> x.remedy == Rule.Remedy.NONE).orElse(true)).map(Verdicts.Verdict::checkId).toList();
    if (!advisory.isEmpty()) out.add("nothing about " + String.join(", ", advisory) + ": advisory, no planner acts on it");
    if (out.isEmpty()) out.add("nothing: every rule passes");
    return out;
  }

  private static String describe(Action a) {
    String verb = a instanceof Action.RemoveContainer rc ? (rc.kill() ? "kill and remove it" : "remove it")
        : a instanceof Action.UpdateLimits ? "lower its limits in place" : a instanceof Action.RecreateContainer rc ? (rc.kill()
            ? "kill it and create it anew from its spec" : "stop it and create it anew from its spec")
        : a instanceof Action.DisconnectNetwork d ? "disconnect it from " + d.network()
        : a.type().replace('_', ' ');
    return verb + " (" + a.reason().detail() + ")";
  }

  // ---- policies

  /** "sandboxpolicy/NAME", "sbp/NAME" or with a namespace, "sandboxpolicy/NS/NAME". */
  public static boolean isPolicyRef(String ref) {
    String kind = ref.contains("/") ? ref.substring(0, ref.indexOf('/')).toLowerCase(Locale.ROOT) : "";
    return kind.equals("sandboxpolicy") || kind.equals("sandboxpolicies") || kind.equals("sbp");
  }

  public static Explanation policy(Audit.Result r, String ref) {
    if (!r.desired().given()) throw new IllegalArgumentException("explain " + ref + " needs the desired state: pass --manifests DIR");
    String[] parts = ref.split("/");
    if (parts.length < 2 || parts.length > 3) throw new IllegalArgumentException("give sandboxpolicy/NAME or sandboxpolicy/NAMESPACE/NAME, not " + ref);
    String name = parts[parts.length - 1];
    String namespace = parts.length == 3 ? parts[1] : null;
    List<SandboxPolicy> matching = r.desired().policies().stream().filter(p -> p.getMetadata().getName().equals(name))
        .filter(p -> namespace == null || ResourceKey.of(p).namespace().equals(namespace)).toList();
    if (matching.isEmpty()) throw new IllegalArgumentException("no SandboxPolicy " + (namespace == null ? "" : namespace + "/") + name + " in " + r.desired().origin());
    if (matching.size() > 1) {
      throw new IllegalArgumentException("SandboxPolicy " + name + " exists in several namespaces (" + String.join(", ",
          matching.stream().map(p -> ResourceKey.of(p).namespace()).toList()) + "); give sandboxpolicy/NAMESPACE/" + name);
    }
    SandboxPolicy policy = matching.get(0);
    ResourceKey key = ResourceKey.of(policy);
    StringBuilder out = new StringBuilder();
    ObjectNode json = Yaml.JSON.createObjectNode();
    json.put("policy", key.toString());
    json.set("spec", Yaml.tree(policy.getSpec()));
    out.append(key).append(r.desired().store().entry(key).map(e -> e.inForce().file()).map(f -> " (from " + f + ")").orElse("")).append('\n');
    out.append("Spec, defaults filled in:\n").append(indent(Yaml.write(policy.getSpec()), "  "));
    Optional<GatewayDeployment> gateway = r.desired().store().gatewayFor(policy);
    SandboxPlanner.Plan plan = r.plans().policies().get(key);
    if (gateway.isEmpty() || plan == null) {
      out.append("Its gateway GatewayDeployment/").append(key.namespace()).append('/').append(policy.getSpec().gatewayRef().name())
          .append(" is not declared: the operator enforces nothing for this policy.\n");
      json.putNull("resolved");
      json.putArray("sandboxes");
      return new Explanation(out.toString(), json);
    }
    SandboxPlanner.Policy p = plan.policy();
    String stateDir = gateway.get().getSpec().gateway().stateDir();
    out.append("Resolved:\n");
    out.append("  gateway: ").append(ResourceKey.of(gateway.get())).append(" (stateDir ").append(stateDir).append(")\n");
    out.append("  sandboxRoot: ").append(p.sandboxRoot()).append(policy.getSpec().mounts().sandboxRoot() == null ? " (from the gateway's stateDir)" : "").append('\n');
    out.append("  agentWorkspace: ").append(p.agentWorkspace()).append(policy.getSpec().mounts().agentWorkspace() == null ? " (from the gateway's stateDir)" : "").append('\n');
    out.append("  caps: ").append(p.caps()).append('\n');
    out.append("  enforcement: ").append(p.enforcing() ? "enforce (isolation breaches are killed, limits lowered in place, the newest beyond the cap killed)"
        : "report (findings only, nothing is changed)").append('\n');
    out.append("Selects ").append(plan.verdicts().size()).append(" sandbox(es) on this host, ").append(plan.running()).append(" running; maxConcurrent ")
        .append(p.spec().maxConcurrent()).append(":\n");
    if (plan.verdicts().isEmpty()) out.append("  (none)\n");
    int width = plan.verdicts().stream().mapToInt(v -> v.container().name().length()).max().orElse(4);
    String would = p.enforcing() ? "would " : "would only report: ";
    json.putObject("resolved").put("gateway", ResourceKey.of(gateway.get()).toString()).put("stateDir", stateDir).put("sandboxRoot", p.sandboxRoot())
        .put("agentWorkspace", p.agentWorkspace()).put("caps", p.caps().toString()).put("enforcing", p.enforcing())
        .put("maxConcurrent", p.spec().maxConcurrent());
    ArrayNode sandboxes = json.putArray("sandboxes");
    for (Verdict v : plan.verdicts()) {
      ContainerView s = v.container();
      ObjectNode sj = sandboxes.addObject().put("name", s.name()).put("id", s.id()).put("state", s.state())
          .put("verdict", v.violations().isEmpty() ? "pass" : "fail");
      ArrayNode broken = sj.putArray("violations");
      v.violations().forEach(x -> broken.addObject().put("checkId", x.rule().checkId).put("detail", x.detail()));
      ArrayNode acts = sj.putArray("actions");
      v.actions().forEach(a -> action(acts.addObject(), a, v.enforced()));
      out.append(String.format("  %s  %-" + width + "s  %-8s", v.violations().isEmpty() ? "PASS" : "FAIL", s.name(), s.state()));
      if (!v.violations().isEmpty()) out.append("  ").append(String.join(", ", v.violations().stream().map(x -> x.rule().checkId).toList()));
      for (Action a : v.actions()) out.append("  -> ").append(would).append(describe(a));
      out.append('\n');
    }
    return new Explanation(out.toString().replaceAll("(?m)[ \t]+$", ""), json);
  }

  private static String indent(String text, String prefix) {
    StringBuilder out = new StringBuilder();
    text.lines().forEach(l -> out.append(prefix).append(l).append('\n'));
    return out.toString();
  }

  private static String shortId(String id) { return id.length() > 12 ? id.substring(0, 12) : id; }
}
