package io.openclaw.operator.plan;

import io.openclaw.operator.api.Quantities;
import io.openclaw.operator.api.SandboxPolicySpec.WorkspaceAccess;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.rules.ContainerChecks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Every rule the operator decides by, in one table: what it checks, whom it applies to, how bad a breach is, what
 * the operator does about it, what a person should do, which OpenClaw setting produces it, and what a pass means.
 * The planners build their rule sets from here ({@link #judge}), {@code audit} and {@code explain} report under the
 * same checkIds with the same words, and {@code validate} asks the same predicates; nothing else holds a rule's facts.
 */
public enum Rule {
  // ---- The host baseline: every container on the host the operator does not own (labels are no proof of that).
  PRIVILEGED("container.privileged", Scope.BASELINE, Severity.CRITICAL, Remedy.KILL, "Container runs privileged",
      "Recreate it without --privileged; grant single capabilities or devices if something truly needs them.", null, false,
      (c, j) -> ContainerChecks.privileged(c), (c, j) -> "not privileged"),
  CAP_ADD("container.cap_add", Scope.BASELINE, Severity.CRITICAL, Remedy.KILL, "Container adds Linux capabilities",
      "Recreate it without --cap-add (and with --cap-drop ALL).", null, false,
      (c, j) -> ContainerChecks.addedCapabilities(c), (c, j) -> "adds no capabilities"),
  HOST_NAMESPACES("container.host_namespace", Scope.BASELINE, Severity.CRITICAL, Remedy.KILL, "Container shares a host namespace",
      "Recreate it without --pid/--network/--ipc/--uts/--cgroupns/--userns host or container:ID.", null, false,
      (c, j) -> ContainerChecks.hostNamespaces(c, j.host().cgroupnsHostByDefault()), (c, j) -> "shares no host namespace and no other container's"),
  DOCKER_SOCKET("container.docker_socket_mount", Scope.BASELINE, Severity.CRITICAL, Remedy.KILL, "Docker socket mounted outside the socket proxy",
      "Remove the bind: whoever reaches the Docker socket controls the host. Only the socket proxy may mount it.", null, true,
      (c, j) -> joined("binds ", ContainerChecks.dockerSocketMounts(c.mounts(), j.canon())), (c, j) -> "no bind reaches the Docker socket"),
  SENSITIVE_MOUNT("container.sensitive_mount", Scope.BASELINE, Severity.CRITICAL, Remedy.KILL, "Container binds a sensitive host path",
      "Remove the bind: the host's configuration, homes, Docker's state, kernel views and the gateway's state are off limits.", null, true,
      (c, j) -> joined("binds ", ContainerChecks.sensitiveMounts(c.mounts(), j.canon(), j.baseline().protectedDirs())),
      (c, j) -> "binds no sensitive host path"),
  UNCONFINED("container.unconfined", Scope.BASELINE, Severity.CRITICAL, Remedy.KILL, "Container runs without seccomp, AppArmor or masked paths",
      "Recreate it without --security-opt seccomp=unconfined, apparmor=unconfined or systempaths=unconfined.", null, false,
      (c, j) -> ContainerChecks.unconfined(c), (c, j) -> "seccomp, AppArmor and the masked paths are in force"),
  DEVICES("container.devices", Scope.BASELINE, Severity.CRITICAL, Remedy.KILL, "Container has host devices",
      "Recreate it without --device and --device-cgroup-rule.", null, false,
      (c, j) -> ContainerChecks.devices(c), (c, j) -> "no host device, no device cgroup rule"),

  // ---- Advisory: worth knowing of any container, never acted on (the daemon's defaults may cover them).
  NO_NEW_PRIVILEGES("container.no_new_privileges_missing", Scope.ADVISORY, Severity.WARN, Remedy.NONE,
      "Container may gain privileges (no-new-privileges unset)",
      "Recreate it with --security-opt no-new-privileges (or make it the daemon's default).", null, false,
      (c, j) -> j.baseline().daemonNoNewPrivileges() ? Optional.empty() : ContainerChecks.noNewPrivileges(c),
      (c, j) -> c.hasNoNewPrivileges() ? "no-new-privileges is set" : "no-new-privileges comes from the daemon's default"),
  MEMORY_LIMIT("container.memory_limit_missing", Scope.ADVISORY, Severity.WARN, Remedy.NONE, "Container has no memory limit",
      "Set a memory limit with memory-swap equal to it (`docker update --memory M --memory-swap M`).", null, false,
      (c, j) -> ContainerChecks.memory(c, 0, 0), (c, j) -> "memory limit " + Quantities.dockerMemory(c.memory())),
  PIDS_LIMIT("container.pids_limit_missing", Scope.ADVISORY, Severity.WARN, Remedy.NONE, "Container has no PIDs limit",
      "Set a PIDs limit (`docker update --pids-limit N`).", null, false,
      (c, j) -> ContainerChecks.pids(c, 0), (c, j) -> "PIDs limit " + c.pidsLimit()),

  // ---- Sandboxes against their SandboxPolicy: the baseline and more.
  SANDBOX_PRIVILEGED("sandbox.privileged", Scope.SANDBOX, Severity.CRITICAL, Remedy.KILL, "Sandbox runs privileged", null,
      "agents.defaults.sandbox.docker (privileged is never set by OpenClaw: another client made it)", false,
      (c, j) -> ContainerChecks.privileged(c), (c, j) -> "not privileged"),
  SANDBOX_CAPABILITIES("sandbox.capabilities", Scope.SANDBOX, Severity.CRITICAL, Remedy.KILL, "Sandbox keeps Linux capabilities", null,
      "agents.defaults.sandbox.docker.capDrop", false,
      (c, j) -> ContainerChecks.capabilities(c, j.policy().spec().capDrop()),
      (c, j) -> "adds none; drops " + String.join(", ", c.capDrop()) + " (policy: " + String.join(", ", j.policy().spec().capDrop()) + ")"),
  SANDBOX_NO_NEW_PRIVILEGES("sandbox.no_new_privileges", Scope.SANDBOX, Severity.CRITICAL, Remedy.KILL, "Sandbox may gain privileges", null,
      null, false, (c, j) -> ContainerChecks.noNewPrivileges(c), (c, j) -> "no-new-privileges is set"),
  SANDBOX_NETWORK("sandbox.network", Scope.SANDBOX, Severity.CRITICAL, Remedy.KILL, "Sandbox has network access the policy forbids", null,
      "agents.defaults.sandbox.docker.network", true,
      (c, j) -> SandboxChecks.network(j.policy().spec().network(), c),
      (c, j) -> "network mode " + c.networkMode() + ", no published port (policy: " + j.policy().spec().network() + ")"),
  SANDBOX_MOUNTS("sandbox.mounts", Scope.SANDBOX, Severity.CRITICAL, Remedy.KILL, "Sandbox mounts a host path the policy forbids", null,
      "agents.defaults.sandbox.docker.binds (or workspaceAccess)", true,
      (c, j) -> joined("", "; ", SandboxChecks.forbiddenMounts(j.policy(), c.mounts(), j.canon())),
      (c, j) -> c.mounts().stream().noneMatch(m -> m.type().equals("bind")) ? "no bind mounts"
          : "binds only its own workspace under " + j.policy().sandboxRoot() + (j.policy().spec().workspaceAccess() == WorkspaceAccess.NONE ? ""
              : " or the agent workspace " + j.policy().agentWorkspace() + " (" + j.policy().spec().workspaceAccess().name().toLowerCase(Locale.ROOT) + ")")),
  SANDBOX_HOST_NAMESPACES("sandbox.host_namespace", Scope.SANDBOX, Severity.CRITICAL, Remedy.KILL, "Sandbox shares a host namespace", null,
      null, false, (c, j) -> ContainerChecks.hostNamespaces(c, j.host().cgroupnsHostByDefault()),
      (c, j) -> "shares no host namespace and no other container's"),
  SANDBOX_UNCONFINED("sandbox.unconfined", Scope.SANDBOX, Severity.CRITICAL, Remedy.KILL, "Sandbox runs without seccomp or AppArmor", null,
      "agents.defaults.sandbox.docker.seccompProfile / apparmorProfile", false,
      (c, j) -> ContainerChecks.unconfined(c), (c, j) -> "seccomp, AppArmor and the masked paths are in force"),
  SANDBOX_DEVICES("sandbox.devices", Scope.SANDBOX, Severity.CRITICAL, Remedy.KILL, "Sandbox has host devices", null,
      null, false, (c, j) -> ContainerChecks.devices(c), (c, j) -> "no host device, no device cgroup rule"),
  SANDBOX_MEMORY("sandbox.memory", Scope.SANDBOX, Severity.WARN, Remedy.UPDATE_LIMITS, "Sandbox memory (with swap) missing or above the cap", null,
      "agents.defaults.sandbox.docker.memory / memorySwap", false,
      (c, j) -> ContainerChecks.memory(c, j.policy().caps().memory(), j.policy().caps().memorySwap()),
      (c, j) -> "memory " + Quantities.dockerMemory(c.memory()) + ", memory+swap " + Quantities.dockerMemory(ContainerChecks.effectiveSwap(c))
          + " within the caps " + Quantities.dockerMemory(j.policy().caps().memory()) + "/" + Quantities.dockerMemory(j.policy().caps().memorySwap())),
  SANDBOX_CPUS("sandbox.cpus", Scope.SANDBOX, Severity.WARN, Remedy.UPDATE_LIMITS, "Sandbox CPU limit missing or above the cap", null,
      "agents.defaults.sandbox.docker.cpus", false,
      (c, j) -> ContainerChecks.cpus(c, j.policy().caps().nanoCpus()),
      (c, j) -> "cpus " + Quantities.cpus(c.effectiveNanoCpus()) + " within the cap " + Quantities.cpus(j.policy().caps().nanoCpus())),
  SANDBOX_PIDS("sandbox.pids", Scope.SANDBOX, Severity.WARN, Remedy.UPDATE_LIMITS, "Sandbox PIDs limit missing or above the cap", null,
      "agents.defaults.sandbox.docker.pidsLimit", false,
      (c, j) -> ContainerChecks.pids(c, j.policy().caps().pidsLimit()),
      (c, j) -> "PIDs limit " + c.pidsLimit() + " within the cap " + j.policy().caps().pidsLimit()),
  // Decided by the planner over all of a policy's sandboxes, not by one container's properties.
  SANDBOX_MAX_CONCURRENT("sandbox.max_concurrent", Scope.SANDBOX_POLICY, Severity.WARN, Remedy.KILL, "More sandboxes than maxConcurrent",
      "The operator kills the newest beyond the cap when the policy enforces; raise maxConcurrent only if the host has room.", null, false,
      null, null),
  SANDBOX_IDLE("sandbox.idle", Scope.SANDBOX_POLICY, Severity.INFO, Remedy.REMOVE, "Sandbox idle past idleHours",
      "Nothing to do: the operator removes it (OpenClaw makes a new one at the next tool call).", null, false, null, null),
  SANDBOX_MAX_AGE("sandbox.max_age", Scope.SANDBOX_POLICY, Severity.INFO, Remedy.REMOVE, "Sandbox older than maxAgeDays",
      "Nothing to do: the operator removes it (OpenClaw makes a new one at the next tool call).", null, false, null, null),

  // ---- The operator's own containers against their spec.
  COMPONENT_BREACH("component.security_breach", Scope.COMPONENT, Severity.CRITICAL, Remedy.RECREATE_KILL,
      "Component breaks the hardening every component has",
      "Nothing to do: the operator kills it and creates it anew from its spec. Find out who changed it.", null, false,
      (c, j) -> joined("", "; ", ComponentChecks.breaches(c, j.host())), (c, j) -> "cap_drop ALL, no-new-privileges, nothing privileged or shared"),
  COMPONENT_DRIFT("component.security_drift", Scope.COMPONENT, Severity.CRITICAL, Remedy.RECREATE_KILL,
      "Component differs from its spec in a field that decides what it may do",
      "Nothing to do: the operator kills it and creates it anew from its spec. Find out who changed it.", null, false,
      (c, j) -> ComponentChecks.current(j.spec(), c) ? joined("", "; ", ComponentChecks.drift(j.spec(), c)) : Optional.empty(),
      (c, j) -> "image, user, command, environment, mounts, ports and network mode as the spec says"),
  COMPONENT_OUTDATED("component.spec_changed", Scope.COMPONENT, Severity.INFO, Remedy.RECREATE, "Component was made from an older spec",
      "Nothing to do: the operator stops it and creates it from the current spec.", null, false,
      (c, j) -> ComponentChecks.current(j.spec(), c) ? Optional.empty() : Optional.of(j.spec().name() + " was created from an older spec"),
      (c, j) -> "made from the current spec"),
  COMPONENT_FOREIGN_NETWORK("component.foreign_network", Scope.COMPONENT, Severity.CRITICAL, Remedy.DISCONNECT,
      "Component is on a network its spec does not name",
      "Nothing to do: the operator disconnects it. Only the egress and ingress proxies may join a network with a route out.", null, true,
      (c, j) -> joined("connected to ", ComponentChecks.foreignNetworks(j.spec(), c)), (c, j) -> "on the networks of its spec only"),
  COMPONENT_NETWORK_MISSING("component.network_missing", Scope.COMPONENT, Severity.WARN, Remedy.CONNECT,
      "Component is missing from a network (or an alias) of its spec", "Nothing to do: the operator connects it.", null, true,
      (c, j) -> joined("not on ", ComponentChecks.missingNetworks(j.spec(), c)), (c, j) -> "on every network of its spec, with its aliases"),
  COMPONENT_LIMITS("component.limits", Scope.COMPONENT, Severity.WARN, Remedy.UPDATE_LIMITS, "Component limits differ from its spec",
      "Nothing to do: the operator updates them in place.", null, false,
      (c, j) -> ComponentChecks.limits(j.spec(), c), (c, j) -> j.spec().limits().toString()),
  COMPONENT_FILES("component.files", Scope.COMPONENT, Severity.WARN, Remedy.DELIVER, "Component files differ from the desired content",
      "Nothing to do: the operator writes them again and restarts the component.", null, false,
      (c, j) -> joined("", ComponentChecks.changedFiles(j.spec(), j.liveFiles())).map(d -> d + " differ from the desired content"),
      (c, j) -> j.liveFiles() == null ? "not read (not running)" : "every file as rendered"),
  COMPONENT_MODEL_ROUTING("component.model_routing", Scope.COMPONENT, Severity.CRITICAL, Remedy.DELIVER,
      "The gateway's openclaw.json reaches a model provider past the model proxy",
      "Nothing to do: the operator writes its openclaw.json again (the model proxy is its only provider) and restarts the gateway."
          + " Find out who changed it: provider keys belong in the model proxy alone.", "models.providers", false,
      (c, j) -> joined("", "; ", ComponentChecks.directModelRoutes(j.spec(), j.liveFiles())),
      (c, j) -> ComponentChecks.modelProxyUrl(j.spec()).map(u -> "the model proxy (" + u + ") is the only model provider")
          .orElse("no model proxy in the spec: the gateway's providers are its own")),
  COMPONENT_NOT_RUNNING("component.not_running", Scope.COMPONENT, Severity.WARN, Remedy.START, "Component is not running",
      "Nothing to do: the operator starts or unpauses it.", null, true,
      (c, j) -> c.state().equals("running") || c.state().equals("restarting") ? Optional.empty() : Optional.of(c.name() + " is " + c.state()),
      (c, j) -> c.state()),
  COMPONENT_MISSING("component.missing", Scope.STACK, Severity.WARN, Remedy.CREATE, "Component does not exist",
      "Nothing to do: the operator creates it.", null, false, null, null),
  HOST_DIRECTORY_MISSING("component.host_directory_missing", Scope.STACK, Severity.INFO, Remedy.CREATE,
      "A bind source of a component does not exist on the host",
      "Nothing to do: the operator creates it owned by the component's user (the daemon would create it owned by root).", null, false, null, null),

  // ---- A stack's networks, and what else is on them.
  NETWORK_MISSING("network.missing", Scope.STACK, Severity.WARN, Remedy.CREATE, "Network missing",
      "Run the operator, which creates it (`docker network create` by hand).", null, false, null, null),
  NETWORK_NOT_INTERNAL("network.not_internal", Scope.STACK, Severity.CRITICAL, Remedy.RECREATE, "Internal network has a route out",
      "Nothing to do: the operator recreates it with internal: true and reconnects its containers.", null, false, null, null),
  NETWORK_HOST_REACHABLE("network.host_reachable", Scope.STACK, Severity.CRITICAL, Remedy.RECREATE, "Internal network's bridge has an address on the host",
      "Nothing to do: the operator recreates it with com.docker.network.bridge.inhibit_ipv4=true; otherwise every container on it reaches the Docker host's own services.",
      null, false, null, null),
  NETWORK_WRONG_KIND("network.wrong_kind", Scope.STACK, Severity.WARN, Remedy.RECREATE, "Network is not the bridge its spec asks for",
      "Nothing to do: the operator recreates it.", null, false, null, null),
  NETWORK_FOREIGN_CONTAINER("network.foreign_container", Scope.STACK, Severity.CRITICAL, Remedy.DISCONNECT,
      "A container the deployment does not own is on its network",
      "Disconnect it (`docker network disconnect`); spec.foreignContainers decides whether the operator disconnects, kills or only reports it.",
      null, false, null, null),
  NOT_IN_SPEC("component.not_in_spec", Scope.STACK, Severity.INFO, Remedy.REMOVE, "The operator's container or network is no longer in the spec",
      "Nothing to do: the operator removes it.", null, false, null, null),
  ORPHAN("component.orphan", Scope.STACK, Severity.WARN, Remedy.REMOVE, "The operator's container belongs to no declared resource",
      "Remove it with `run --prune` (directory mode), or delete it yourself; in Kubernetes mode the operator removes it.", null, false, null, null);

  /** Whom a rule applies to. */
  public enum Scope {
    /** Every container on the host the operator does not own and no SandboxPolicy governs. */
    BASELINE,
    /** Every container, for the audit only: never acted on. */
    ADVISORY,
    /** One sandbox against its policy. */
    SANDBOX,
    /** All of a policy's sandboxes together (the cap, pruning). */
    SANDBOX_POLICY,
    /** One of the operator's own containers against its spec. */
    COMPONENT,
    /** A GatewayDeployment's networks and the containers on them, as a whole. */
    STACK
  }

  /** What the operator does about a breach, gentlest first as DESIGN.md §5 orders them. */
  public enum Remedy { NONE, DISCONNECT, CONNECT, UPDATE_LIMITS, START, DELIVER, CREATE, REMOVE, RECREATE, RECREATE_KILL, KILL }

  public final String checkId;
  public final Scope scope;
  public final Severity severity;
  public final Remedy remedy;
  public final String title;
  private final String remediation;
  private final String openClawKey;
  /** Whether the container list (without an inspect) shows enough to judge it: mounts, network, ports, state. */
  public final boolean listVisible;
  private final BiFunction<ContainerView, Judging, Optional<String>> check;
  private final BiFunction<ContainerView, Judging, String> pass;

  Rule(String checkId, Scope scope, Severity severity, Remedy remedy, String title, String remediation, String openClawKey, boolean listVisible,
      BiFunction<ContainerView, Judging, Optional<String>> check, BiFunction<ContainerView, Judging, String> pass) {
    this.checkId = checkId;
    this.scope = scope;
    this.severity = severity;
    this.remedy = remedy;
    this.title = title;
    this.remediation = remediation;
    this.openClawKey = openClawKey;
    this.listVisible = listVisible;
    this.check = check;
    this.pass = pass;
  }

  /** A breach kills or recreates at once (an isolation rule); anything else is fixed gently or only reported. */
  public boolean isolation() { return remedy == Remedy.KILL || remedy == Remedy.RECREATE_KILL; }

  /** The OpenClaw setting that produces a sandbox breaking this rule: a breach from its own config comes back. */
  public Optional<String> openClawKey() { return Optional.ofNullable(openClawKey); }

  /** What a person should do. Sandbox rules without their own text say what the operator does and which setting to fix. */
  public String remediation() {
    if (remediation != null) return remediation;
    String key = openClawKey().map(k -> " (" + k + ")").orElse("");
    return isolation()
        ? "The operator kills and removes such a sandbox when the policy enforces; fix the OpenClaw setting that made it" + key + ", or it comes back."
        : "The operator lowers the limit in place when the policy enforces" + (key.isEmpty() ? "" : "; OpenClaw's setting is" + key) + ".";
  }

  /** What this rule finds wrong with the container, if anything; a plan-level rule judges no single container. */
  public Optional<String> check(ContainerView c, Judging j) {
    if (check == null) return Optional.empty();
    if (!c.inspected() && !listVisible) return Optional.empty();
    return check.apply(c, j);
  }

  /** Why the container passes this rule, in plain facts (only asked after {@link #check} found nothing). */
  public String passFact(ContainerView c, Judging j) { return pass == null ? "" : pass.apply(c, j); }

  /** Whether this rule judges single containers of this scope (plan-level rules do not). */
  public boolean judgesContainers() { return check != null; }

  /** The container rules of a scope, in table order. */
  public static List<Rule> of(Scope scope) { return Arrays.stream(values()).filter(r -> r.scope == scope && r.check != null).toList(); }

  /** Every rule of the scope the container breaks, in table order: the one place rule sets are built. */
  public static List<Violation> judge(Scope scope, ContainerView c, Judging j) {
    List<Violation> out = new ArrayList<>();
    for (Rule r : of(scope)) r.check(c, j).ifPresent(d -> out.add(new Violation(r, d)));
    return out;
  }

  public static Optional<Rule> byCheckId(String checkId) {
    return Arrays.stream(values()).filter(r -> r.checkId.equals(checkId)).findFirst();
  }

  private static Optional<String> joined(String prefix, List<String> parts) { return joined(prefix, ", ", parts); }

  private static Optional<String> joined(String prefix, String separator, List<String> parts) {
    return parts.isEmpty() ? Optional.empty() : Optional.of(prefix + String.join(separator, parts));
  }
}
