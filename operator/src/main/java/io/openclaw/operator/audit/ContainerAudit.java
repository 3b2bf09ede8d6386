package io.openclaw.operator.audit;

import io.openclaw.operator.api.validation.SecretPatterns;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.GatewayPlanner;
import io.openclaw.operator.plan.Judging;
import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.Severity;
import io.openclaw.operator.plan.Verdict;
import io.openclaw.operator.plan.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The planners' verdicts as findings: each rule of a verdict's scope is a pass (with the fact that made it pass) or a
 * failure, and each action a plan-level rule decided (the cap, pruning, a foreign container on a network, an
 * orphan) is a failure of that rule. Beside them, every container's env, command and labels for secret-looking values.
 */
final class ContainerAudit {
  private ContainerAudit() {}

  static void verdict(Verdict verdict, Verdicts v) {
    ContainerView c = verdict.container();
    String prefix = prefix(verdict);
    if (verdict.judging() != null) rules(c, verdict.scope(), verdict.judging(), verdict.violations(), prefix, v);
    else verdict.violations().forEach(x -> v.fail(Check.of(x.rule(), c.name(), prefix + x.detail())));
    for (Action a : verdict.actions()) {
      if (!c.id().equals(a.containerId())) continue; // about something else (a host directory for it), not this container
      Optional<Rule> rule = a.reason().rule();
      if (rule.isPresent() && !rule.get().judgesContainers() && verdict.violations().stream().noneMatch(x -> x.rule() == rule.get())) {
        v.fail(Check.of(rule.get(), c.name(), prefix + a.reason().detail()));
      }
    }
  }

  /** Each rule of the scope on this container, failed with its violation or passed with its fact. */
  static void rules(ContainerView c, Rule.Scope scope, Judging judging, List<Violation> violations, String prefix, Verdicts v) {
    for (Rule rule : Rule.of(scope)) {
      Optional<Violation> failed = violations.stream().filter(x -> x.rule() == rule).findFirst();
      if (failed.isPresent()) {
        String advisory = rule.remedy == Rule.Remedy.NONE ? " (advisory: the operator does not act on it)" : "";
        v.fail(Check.of(rule, c.name(), prefix + failed.get().detail() + advisory));
      } else {
        v.pass(c.name(), rule.checkId, rule.title, rule.passFact(c, judging));
      }
    }
  }

  /** Where a verdict's rules come from and whether the operator acts on them. */
  private static String prefix(Verdict verdict) {
    if (verdict.judging() != null && verdict.judging().policy() != null) {
      return "(" + verdict.judging().policy().key() + (verdict.enforced() ? ", enforced" : ", report only") + ") ";
    }
    if (verdict.scope() == Rule.Scope.BASELINE && !verdict.violations().isEmpty()) {
      return verdict.enforced() ? "(host baseline, enforced) " : "(host baseline, report only) ";
    }
    return "";
  }

  /** A stack's networks and missing components, as the gateway's plan judged them. */
  static void stack(GatewayPlanner.Plan plan, Verdicts v) {
    for (GatewayPlanner.NetworkState n : plan.networks()) {
      for (Rule rule : List.of(Rule.NETWORK_MISSING, Rule.NETWORK_NOT_INTERNAL, Rule.NETWORK_WRONG_KIND, Rule.NETWORK_HOST_REACHABLE)) {
        Optional<Violation> failed = n.violations().stream().filter(x -> x.rule() == rule).findFirst();
        if (failed.isPresent()) v.fail(Check.of(rule, n.name(), failed.get().detail()));
        else if (n.live() != null) v.pass(n.name(), rule.checkId, rule.title, (n.live().internal() ? "internal " : "") + n.live().driver() + " network as its spec asks");
      }
    }
    for (GatewayPlanner.ComponentState s : plan.components()) {
      if (s.container() == null) v.fail(Check.of(Rule.COMPONENT_MISSING, s.containerName(), s.containerName() + " does not exist"));
    }
  }

  /** Secret-looking values in env, command and labels: names and reasons only, never a value. */
  static void secrets(ContainerView c, Verdicts v) {
    List<String> env = new ArrayList<>();
    boolean envShaped = false;
    for (String kv : c.env()) {
      int eq = kv.indexOf('=');
      if (eq <= 0) continue;
      String name = kv.substring(0, eq);
      String value = kv.substring(eq + 1);
      Optional<String> reason = SecretPatterns.envReason(name, value);
      if (reason.isPresent()) {
        env.add(name + ": " + reason.get());
        envShaped |= SecretPatterns.valueReason(value).isPresent();
      }
    }
    secretVerdict(v, Check.SECRET_ENV, c, env, envShaped, c.env().size() + " variable(s), none looks like a secret");

    List<String> command = SecretPatterns.commandReasons(c.command());
    boolean commandShaped = c.command().stream().anyMatch(a -> SecretPatterns.valueReason(a).isPresent());
    secretVerdict(v, Check.SECRET_COMMAND, c, command, commandShaped, c.command().size() + " argument(s), none looks like a secret");

    List<String> labels = new ArrayList<>();
    boolean labelShaped = false;
    for (Map.Entry<String, String> e : c.labels().entrySet()) {
      Optional<String> reason = SecretPatterns.envReason(e.getKey(), e.getValue());
      if (reason.isPresent()) {
        labels.add(e.getKey() + ": " + reason.get());
        labelShaped |= SecretPatterns.valueReason(e.getValue()).isPresent();
      }
    }
    secretVerdict(v, Check.SECRET_LABELS, c, labels, labelShaped, c.labels().size() + " label(s), none looks like a secret");
  }

  /** Critical when a value has the shape of a credential; a warning when only a name suggests one. */
  private static void secretVerdict(Verdicts v, Check check, ContainerView c, List<String> found, boolean shaped, String passFact) {
    if (found.isEmpty()) v.pass(c.name(), check.checkId, check.title, passFact);
    else v.fail(check.finding(c.name(), String.join("; ", found) + " (value not shown)", shaped ? Severity.CRITICAL : Severity.WARN));
  }
}
