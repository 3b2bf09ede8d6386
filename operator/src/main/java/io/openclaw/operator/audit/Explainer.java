package io.openclaw.operator.audit;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Component;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.Rule;
import io.openclaw.operator.plan.rules.Violation;
import java.util.ArrayList;
import java.util.Arrays;
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

  /** A container by name, full id or unique id prefix; IllegalArgumentException when none or several match. */
  public static ContainerView find(Audit.Result r, String ref) {
    String name = ref.startsWith("/") ? ref.substring(1) : ref;
    Optional<ContainerView> byName = r.host().containerNamed(name);
    if (byName.isPresent()) return byName.get();
    List<ContainerView> byId = r.host().allContainers().stream().filter(c -> name.length() >= 4 && c.id().startsWith(name)).toList();
    if (byId.size() == 1) return byId.get(0);
    if (byId.isEmpty()) throw new IllegalArgumentException("no container named " + ref + " on this Docker host (and no id starts with it)");
    throw new IllegalArgumentException(byId.size() + " containers have ids starting with " + ref + "; give more of the id");
  }

  public static String container(Audit.Result r, ContainerView c) {
    StringBuilder out = new StringBuilder();
    out.append("Container ").append(c.name()).append(" (id ").append(shortId(c.id())).append(", ").append(c.state()).append(", image ")
        .append(c.image()).append(")\n");
    Optional<SandboxAudit.Governed> governed = r.governing(c);
    Optional<Stack> stack = ownStack(r, c);
    out.append("Role: ").append(role(r, c, governed, stack)).append('\n');
    out.append("Rules:\n");
    List<Verdicts.Verdict> verdicts = r.verdicts().of(c.name());
    int width = verdicts.stream().mapToInt(v -> v.checkId().length()).max().orElse(10);
    for (Verdicts.Verdict v : verdicts) {
      out.append(String.format("  %s  %-" + width + "s  %s%n", v.passed() ? "PASS" : v.failure().severity() == Severity.INFO ? "INFO" : "FAIL",
          v.checkId(), v.passed() ? v.fact() : v.failure().detail()));
    }
    out.append("The operator would: ").append(String.join("\n  ", operatorActions(r, c, governed, stack, verdicts))).append('\n');
    return out.toString();
  }

  private static String role(Audit.Result r, ContainerView c, Optional<SandboxAudit.Governed> governed, Optional<Stack> stack) {
    if (governed.isPresent()) {
      SandboxPlanner.Policy p = governed.get().policy();
      return "sandbox governed by " + p.key() + " (enforcement " + p.spec().enforcement().name().toLowerCase(Locale.ROOT) + "): judged by the policy's rules";
    }
    if (stack.isPresent()) {
      return "component " + c.label(Labels.COMPONENT) + " of " + stack.get().owner() + (stack.get().declared() == null ? " (recognised by its labels)" : "")
          + ": judged by the baseline every container meets";
    }
    List<String> onInternal = r.stacks().stream().filter(s -> c.networks().containsKey(s.internalNetwork())).map(Stack::owner).toList();
    String base = "a container the operator does not own: judged by the baseline every container meets";
    if (!onInternal.isEmpty()) return base + "; it is on the internal network of " + String.join(", ", onInternal);
    if ("1".equals(c.label(Labels.SANDBOX))) {
      return base + (r.desired().given() ? "; labelled as an OpenClaw sandbox, but no declared SandboxPolicy (with its gateway) selects it"
          : "; labelled as an OpenClaw sandbox (no desired state given, so no policy applies)");
    }
    return base;
  }

  /** The stack this container is a component of: its owner label, and the name the stack gives that component. */
  private static Optional<Stack> ownStack(Audit.Result r, ContainerView c) {
    return r.stacks().stream().filter(s -> s.owner().equals(c.label(Labels.OWNER))).filter(s -> {
      String deployment = ResourceKey.parse(s.owner()).name();
      return Arrays.stream(Component.values()).anyMatch(k -> k.containerName(deployment).equals(c.name()));
    }).findFirst();
  }

  private static List<String> operatorActions(Audit.Result r, ContainerView c, Optional<SandboxAudit.Governed> governed, Optional<Stack> stack,
      List<Verdicts.Verdict> verdicts) {
    List<String> out = new ArrayList<>();
    List<Verdicts.Verdict> failed = verdicts.stream().filter(v -> !v.passed() && v.failure().severity() != Severity.INFO).toList();
    if (governed.isPresent()) {
      SandboxAudit.Governed g = governed.get();
      List<Violation> violations = g.violations().getOrDefault(c.id(), List.of());
      Optional<Action> action = SandboxPlanner.remediate(g.policy(), c, violations);
      Optional<Action> overCap = g.overCap().stream().filter(a -> a.target().equals(c.name())).findFirst();
      String mode = g.policy().enforcing() ? "" : "only report (enforcement: report) that it would ";
      action.ifPresent(a -> out.add(mode + describe(a)));
      if (action.isEmpty() || action.get() instanceof Action.UpdateLimits) overCap.ifPresent(a -> out.add(mode + describe(a)));
      if (out.isEmpty()) out.add("nothing now: it conforms (it is removed after " + g.policy().spec().prune().idleHours()
          + " h without an exec or " + g.policy().spec().prune().maxAgeDays() + " d of age)");
      failed.stream().filter(v -> v.checkId().startsWith("secrets.")).forEach(v -> out.add("nothing about " + v.checkId() + ": it cannot take a secret back"));
      return out;
    }
    if (failed.isEmpty()) return List.of("nothing: every rule passes");
    boolean declared = stack.isPresent() && stack.get().declared() != null;
    java.util.Map<String, List<String>> checksByAction = new java.util.LinkedHashMap<>();
    for (Verdicts.Verdict v : failed) {
      Optional<Rule> rule = Arrays.stream(Rule.values()).filter(x -> x.checkId.equals(v.checkId())).findFirst();
      String what;
      if (!declared) {
        what = stack.isPresent() ? "nothing: its GatewayDeployment is not in the given desired state" : foreign(r, c, v);
      } else if (rule.isPresent()) {
        what = rule.get().kind == Rule.Kind.ISOLATION ? "recreate it from its spec, killing it first (security drift)"
            : "update its limits in place to the spec's";
      } else if (v.checkId().equals(Check.NETWORK_BRIDGING.checkId)) {
        what = "disconnect it from the networks its spec does not name";
      } else if (v.checkId().equals(Check.TOOLS_DENY_MISSING.checkId)) {
        what = "deliver openclaw.json again (it renders every declared denial) and restart the gateway";
      } else if (v.checkId().startsWith("socket_proxy.")) {
        what = "nothing by itself: the proxy's grants come from spec.socketProxy.allow (BUILD, SECRETS and SWARM always render 0), so change the spec";
      } else {
        what = "nothing by itself: fix the spec or the container";
      }
      checksByAction.computeIfAbsent(what, k -> new ArrayList<>()).add(v.checkId());
    }
    checksByAction.forEach((what, checks) -> out.add(String.join(", ", checks) + ": " + what));
    return out;
  }

  /** A container the operator does not own: only one on a declared internal network is acted on (foreignContainers). */
  private static String foreign(Audit.Result r, ContainerView c, Verdicts.Verdict v) {
    if (v.checkId().equals(Check.NETWORK_BRIDGING.checkId)) {
      for (Stack s : r.stacks()) {
        if (s.declared() == null || !c.networks().containsKey(s.internalNetwork())) continue;
        return switch (s.declared().getSpec().foreignContainers()) {
          case DISCONNECT -> "disconnect it from " + s.internalNetwork() + " (foreignContainers: disconnect)";
          case KILL -> "kill it and disconnect it from " + s.internalNetwork() + " (foreignContainers: kill)";
          case REPORT -> "only report it (foreignContainers: report)";
        };
      }
    }
    return "nothing: the operator acts only on its own containers and on sandboxes; the audit reports it";
  }

  private static String describe(Action a) {
    String verb = a instanceof Action.RemoveContainer rc ? (rc.kill() ? "kill and remove it" : "remove it")
        : a instanceof Action.UpdateLimits ? "lower its limits in place" : a.type();
    return verb + " (" + a.reason().detail() + ")";
  }

  // ---- policies

  /** "sandboxpolicy/NAME", "sbp/NAME" or with a namespace, "sandboxpolicy/NS/NAME". */
  public static boolean isPolicyRef(String ref) {
    String kind = ref.contains("/") ? ref.substring(0, ref.indexOf('/')).toLowerCase(Locale.ROOT) : "";
    return kind.equals("sandboxpolicy") || kind.equals("sandboxpolicies") || kind.equals("sbp");
  }

  public static String policy(Audit.Result r, String ref) {
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
    out.append(key).append(r.desired().store().entry(key).map(e -> e.inForce().file()).map(f -> " (from " + f + ")").orElse("")).append('\n');
    out.append("Spec, defaults filled in:\n").append(indent(Yaml.write(policy.getSpec()), "  "));
    Optional<GatewayDeployment> gateway = r.desired().store().gatewayFor(policy);
    SandboxAudit.Governed g = r.policies().get(key);
    if (gateway.isEmpty() || g == null) {
      out.append("Its gateway GatewayDeployment/").append(key.namespace()).append('/').append(policy.getSpec().gatewayRef().name())
          .append(" is not declared: the operator enforces nothing for this policy.\n");
      return out.toString();
    }
    SandboxPlanner.Policy p = g.policy();
    String stateDir = gateway.get().getSpec().gateway().stateDir();
    out.append("Resolved:\n");
    out.append("  gateway: ").append(ResourceKey.of(gateway.get())).append(" (stateDir ").append(stateDir).append(")\n");
    out.append("  sandboxRoot: ").append(p.sandboxRoot()).append(policy.getSpec().mounts().sandboxRoot() == null ? " (from the gateway's stateDir)" : "").append('\n');
    out.append("  agentWorkspace: ").append(p.agentWorkspace()).append(policy.getSpec().mounts().agentWorkspace() == null ? " (from the gateway's stateDir)" : "").append('\n');
    out.append("  caps: ").append(p.caps()).append('\n');
    out.append("  enforcement: ").append(p.enforcing() ? "enforce (isolation breaches are killed, limits lowered in place, the newest beyond the cap killed)"
        : "report (findings only, nothing is changed)").append('\n');
    long holding = g.sandboxes().stream().filter(ContainerView::running).count();
    out.append("Selects ").append(g.sandboxes().size()).append(" sandbox(es) on this host, ").append(holding).append(" running; maxConcurrent ")
        .append(p.spec().maxConcurrent()).append(":\n");
    if (g.sandboxes().isEmpty()) out.append("  (none)\n");
    int width = g.sandboxes().stream().mapToInt(s -> s.name().length()).max().orElse(4);
    for (ContainerView s : g.sandboxes()) {
      List<Violation> violations = g.violations().getOrDefault(s.id(), List.of());
      Optional<Action> action = SandboxPlanner.remediate(p, s, violations);
      Optional<Action> overCap = g.overCap().stream().filter(a -> a.target().equals(s.name())).findFirst();
      out.append(String.format("  %s  %-" + width + "s  %-8s", violations.isEmpty() ? "PASS" : "FAIL", s.name(), s.state()));
      if (!violations.isEmpty()) out.append("  ").append(String.join(", ", violations.stream().map(v -> v.rule().checkId).toList()));
      String would = p.enforcing() ? "would " : "would only report: ";
      if (action.isPresent() && action.get() instanceof Action.RemoveContainer) out.append("  -> ").append(would).append("kill and remove it");
      else if (overCap.isPresent()) out.append("  -> ").append(would).append("kill it (beyond maxConcurrent, newest first)");
      else if (action.isPresent()) out.append("  -> ").append(would).append("lower its limits in place");
      out.append('\n');
    }
    return out.toString().replaceAll("(?m)[ \t]+$", "");
  }

  private static String indent(String text, String prefix) {
    StringBuilder out = new StringBuilder();
    text.lines().forEach(l -> out.append(prefix).append(l).append('\n'));
    return out.toString();
  }

  private static String shortId(String id) { return id.length() > 12 ? id.substring(0, 12) : id; }
}
