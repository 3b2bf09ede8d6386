package io.openclaw.operator.audit;

import io.openclaw.operator.api.Quantities;
import io.openclaw.operator.api.validation.SecretPatterns;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.ContainerChecks;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.plan.rules.Rule;
import io.openclaw.operator.plan.rules.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every container on the host against the baseline (with CONTAINERS + POST a compromised gateway can create any
 * container, labelled or not), sandboxes against their policy, and every container's env, command and labels for
 * secret-looking values. The checks are the planners' own ({@link ContainerChecks}, {@link SandboxPlanner#check}).
 */
final class ContainerAudit {
  static final List<Rule> BASELINE = List.of(Rule.PRIVILEGED, Rule.CAP_ADD, Rule.NO_NEW_PRIVILEGES, Rule.HOST_NAMESPACES,
      Rule.DOCKER_SOCKET, Rule.MEMORY_LIMIT, Rule.PIDS_LIMIT);
  static final List<Rule> SANDBOX = List.of(Rule.SANDBOX_PRIVILEGED, Rule.SANDBOX_CAPABILITIES, Rule.SANDBOX_NO_NEW_PRIVILEGES,
      Rule.SANDBOX_NETWORK, Rule.SANDBOX_MOUNTS, Rule.SANDBOX_HOST_NAMESPACES, Rule.SANDBOX_MEMORY, Rule.SANDBOX_CPUS, Rule.SANDBOX_PIDS);

  private ContainerAudit() {}

  /** The baseline rules; the socket proxy is the one container allowed the socket, and a daemon default covers no-new-privileges. */
  static List<Violation> baseline(ContainerView c, boolean socketProxy, boolean daemonNoNewPrivileges, PathCanon canon) {
    List<Violation> out = new ArrayList<>();
    ContainerChecks.privileged(c).ifPresent(d -> out.add(new Violation(Rule.PRIVILEGED, d)));
    ContainerChecks.addedCapabilities(c).ifPresent(d -> out.add(new Violation(Rule.CAP_ADD, d)));
    if (!daemonNoNewPrivileges) ContainerChecks.noNewPrivileges(c).ifPresent(d -> out.add(new Violation(Rule.NO_NEW_PRIVILEGES, d)));
    ContainerChecks.hostNamespaces(c).ifPresent(d -> out.add(new Violation(Rule.HOST_NAMESPACES, d)));
    List<String> sockets = socketProxy ? List.of() : ContainerChecks.dockerSocketMounts(c, canon);
    if (!sockets.isEmpty()) out.add(new Violation(Rule.DOCKER_SOCKET, "binds " + String.join(", ", sockets)));
    ContainerChecks.memory(c, 0, 0).ifPresent(d -> out.add(new Violation(Rule.MEMORY_LIMIT, d)));
    ContainerChecks.pids(c, 0).ifPresent(d -> out.add(new Violation(Rule.PIDS_LIMIT, d)));
    return out;
  }

  static void judgeBaseline(ContainerView c, boolean socketProxy, boolean daemonNoNewPrivileges, PathCanon canon, Verdicts v) {
    record(c, BASELINE, baseline(c, socketProxy, daemonNoNewPrivileges, canon), null, socketProxy, daemonNoNewPrivileges, v);
  }

  static List<Violation> judgeSandbox(ContainerView c, SandboxPlanner.Policy policy, PathCanon canon, Verdicts v) {
    List<Violation> violations = SandboxPlanner.check(policy, c, canon);
    record(c, SANDBOX, violations, policy, false, false, v);
    return violations;
  }

  private static void record(ContainerView c, List<Rule> rules, List<Violation> violations, SandboxPlanner.Policy policy, boolean socketProxy,
      boolean daemonNoNewPrivileges, Verdicts v) {
    for (Rule rule : rules) {
      Optional<Violation> broken = violations.stream().filter(x -> x.rule() == rule).findFirst();
      String prefix = policy == null ? "" : "(" + policy.key() + (policy.enforcing() ? ", enforced" : ", report only") + ") ";
      if (broken.isPresent()) v.fail(Check.of(rule, c.name(), prefix + broken.get().detail()));
      else v.pass(c.name(), rule.checkId, rule.title, fact(rule, c, policy, socketProxy, daemonNoNewPrivileges));
    }
  }

  /** Why a container passes a rule, in plain facts. */
  static String fact(Rule rule, ContainerView c, SandboxPlanner.Policy policy, boolean socketProxy, boolean daemonNoNewPrivileges) {
    return switch (rule) {
      case PRIVILEGED, SANDBOX_PRIVILEGED -> "not privileged";
      case CAP_ADD -> "adds no capabilities" + (c.capDrop().isEmpty() ? "" : "; drops " + String.join(", ", c.capDrop()));
      case SANDBOX_CAPABILITIES -> "adds none; drops " + String.join(", ", c.capDrop()) + " (policy: " + String.join(", ", policy.spec().capDrop()) + ")";
      case NO_NEW_PRIVILEGES, SANDBOX_NO_NEW_PRIVILEGES -> c.hasNoNewPrivileges() ? "no-new-privileges is set"
          : daemonNoNewPrivileges ? "no-new-privileges comes from the daemon's default" : "no-new-privileges is set";
      case HOST_NAMESPACES, SANDBOX_HOST_NAMESPACES -> "shares no host namespace and has no host device";
      case DOCKER_SOCKET -> socketProxy ? "the socket proxy: the one container allowed the Docker socket" : "no bind reaches the Docker socket";
      case SANDBOX_NETWORK -> "network mode " + c.networkMode() + ", no published port (policy: " + policy.spec().network() + ")";
      case SANDBOX_MOUNTS -> c.mounts().stream().noneMatch(m -> m.type().equals("bind")) ? "no bind mounts"
          : "binds only under " + policy.sandboxRoot() + (policy.spec().workspaceAccess() == io.openclaw.operator.api.SandboxPolicySpec.WorkspaceAccess.NONE
              ? "" : " or the agent workspace " + policy.agentWorkspace() + " (" + policy.spec().workspaceAccess().name().toLowerCase(java.util.Locale.ROOT) + ")");
      case MEMORY_LIMIT -> "memory limit " + Quantities.dockerMemory(c.memory());
      case SANDBOX_MEMORY -> "memory " + Quantities.dockerMemory(c.memory()) + ", memory+swap " + Quantities.dockerMemory(ContainerChecks.effectiveSwap(c))
          + " within the caps " + Quantities.dockerMemory(policy.caps().memory()) + "/" + Quantities.dockerMemory(policy.caps().memorySwap());
      case SANDBOX_CPUS -> "cpus " + Quantities.cpus(c.effectiveNanoCpus()) + " within the cap " + Quantities.cpus(policy.caps().nanoCpus());
      case PIDS_LIMIT -> "PIDs limit " + c.pidsLimit();
      case SANDBOX_PIDS -> "PIDs limit " + c.pidsLimit() + " within the cap " + policy.caps().pidsLimit();
    };
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
