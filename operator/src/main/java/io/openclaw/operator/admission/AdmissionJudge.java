package io.openclaw.operator.admission;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.plan.Component;
import io.openclaw.operator.plan.Judging;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.Verdict;
import io.openclaw.operator.plan.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Decides one request of the Docker daemon's authorization protocol, from memory: the last known desired state and
 * host (a {@link HostView}), the operator's announced requests, the starts already allowed. It denies exactly what the
 * planners would kill or refuse — an isolation breach of a sandbox, a breach of the enforced host baseline, a start
 * past a policy's cap, a stranger joining a stack's internal network, anyone touching the operator's own
 * infrastructure containers — and allows what they would fix in place (limits above the caps are lowered by the loop
 * at the create event, before the start). A create, update, exec or connect whose body it cannot read is refused.
 */
public final class AdmissionJudge {
  /** The decision, and what it is about (for the record: status, recurrence per session, metrics). */
  public record Decision(boolean allow, String message, String rule, ResourceKey policy, String container, String sessionKey) {
    static final Decision ALLOW = new Decision(true, "", "", null, null, null);

    /** A denial whose message begins with its rule, as every message of the plugin does. */
    static Decision deny(String rule, String message) {
      return new Decision(false, message.startsWith(rule) ? message : rule + ": " + message, rule, null, null, null);
    }

    Decision about(ResourceKey policy, ContainerView c) {
      return new Decision(allow, message, rule, policy, c == null ? null : c.name(), c == null ? null : c.label(Labels.SESSION_KEY));
    }
  }

  static final int MIN_START_API = 1024;
  private static final Pattern CONTAINER_OP = Pattern.compile("^/containers/([^/]+)/([a-z_]+)(?:/ws)?$");
  private static final Pattern CONTAINER = Pattern.compile("^/containers/([^/]+)$");
  private static final Pattern NETWORK_OP = Pattern.compile("^/networks/([^/]+)/(connect|disconnect)$");
  /** Operations on a container that read or change it as a whole: nobody but the operator may do them to its own. */
  private static final Set<String> PROTECTED = Set.of("archive", "export", "attach", "kill", "stop", "restart", "pause", "unpause", "rename",
      "update", "exec", "wait", "resize");
  private static final Duration CREATED_MEMORY = Duration.ofMinutes(2);

  private final Supplier<HostView> view;
  private final Announcements announcements;
  private final Set<String> trustedUsers;
  private final StartGate gate = new StartGate();
  /** Creates the plugin allowed, by id once the response named it: a start may come before any inspect. */
  private final Map<String, Created> created = new ConcurrentHashMap<>();
  /** Containers an admin identity (hostBaseline.adminUsers) created: exempt from the baseline. */
  private final Set<String> adminCreated = ConcurrentHashMap.newKeySet();

  private record Created(ContainerView view, Instant at) {}

  /**
   * @param trustedUsers TLS client-certificate users whose requests are the operator's own (a remote operator reaching this
   *     host over TLS); a socket-proxy client has no certificate, so it can never be one of them
   */
  public AdmissionJudge(Supplier<HostView> view, Announcements announcements, Set<String> trustedUsers) {
    this.view = view;
    this.announcements = announcements;
    this.trustedUsers = Set.copyOf(trustedUsers);
  }

  /** Containers admin identities created (the baseline exempts them), and creates seen whose start it gates. */
  public io.openclaw.operator.host.Admitted admitted() {
    return new io.openclaw.operator.host.Admitted(Set.copyOf(adminCreated), Set.copyOf(created.keySet()));
  }

  public Decision decide(AuthzRequest r) {
    if (announcements.consume(r.method(), r.uri(), r.body())) return Decision.ALLOW;
    if (!r.user().isEmpty() && trustedUsers.contains(r.user())) return Decision.ALLOW;
    String method = r.method().toUpperCase(java.util.Locale.ROOT);
    String path = r.path();
    HostView v = view.get();
    if (method.equals("POST") && path.equals("/containers/create")) return create(r, v);
    if (method.equals("POST") && path.equals("/commit")) return protect(v, r.query().getOrDefault("container", ""), "commit");
    Matcher op = CONTAINER_OP.matcher(path);
    if (op.matches()) {
      String target = op.group(1);
      String action = op.group(2);
      if (action.equals("start") && method.equals("POST")) return start(r, v, target);
      if (action.equals("update") && method.equals("POST")) return update(r, v, target);
      if (action.equals("exec") && method.equals("POST")) return exec(r, v, target);
      if (PROTECTED.contains(action)) return protect(v, target, action);
      return Decision.ALLOW;
    }
    Matcher container = CONTAINER.matcher(path);
    if (container.matches() && method.equals("DELETE")) return protect(v, container.group(1), "remove");
    Matcher network = NETWORK_OP.matcher(path);
    if (network.matches() && method.equals("POST")) return network(r, v, network.group(1), network.group(2));
    return Decision.ALLOW;
  }

  /** The response phase: learns the id a create got, and forgets a start the daemon did not carry out. */
  public void responded(AuthzRequest r) {
    String path = r.path();
    boolean ok = r.responseStatus() >= 200 && r.responseStatus() < 300;
    if (r.method().equalsIgnoreCase("POST") && path.equals("/containers/create") && ok) {
      String id = r.responseJson().map(j -> j.path("Id").asString("")).orElse("");
      Optional<JsonNode> body = r.json();
      if (!id.isEmpty() && body.isPresent()) {
        Instant now = Instant.now();
        created.values().removeIf(c -> c.at().isBefore(now.minus(CREATED_MEMORY)));
        created.put(id, new Created(ContainerView.fromCreate(body.get(), r.query().getOrDefault("name", ""), id, now), now));
        if (admin(view.get(), r.user())) adminCreated.add(id);
      }
    }
    Matcher op = CONTAINER_OP.matcher(path);
    if (op.matches() && op.group(2).equals("start")) {
      String id = resolve(view.get(), op.group(1)).map(ContainerView::id).orElse(op.group(1));
      if (ok) gate.started(id);
      else gate.release(id);
    }
  }

  // ---- containers

  private Decision create(AuthzRequest r, HostView v) {
    Optional<JsonNode> body = r.json();
    if (body.isEmpty()) return unreadable("create");
    String name = r.query().getOrDefault("name", "");
    ContainerView c = ContainerView.fromCreate(body.get(), name, "(new)", v.now());
    for (GatewayDeployment g : v.store().all(GatewayDeployment.class)) {
      for (Component k : Component.values()) {
        if (k.containerName(g.getMetadata().getName()).equals(c.name())) {
          return Decision.deny(Rule.COMPONENT_MISSING.checkId, "the name " + c.name() + " belongs to a component of " + ResourceKey.of(g)
              + ": only the operator creates it");
        }
      }
    }
    return judge(v, c, r.user());
  }

  /** A container as it would be, judged by its policy or by the baseline, and as a stranger on a stack's network. */
  private Decision judge(HostView v, ContainerView c, String user) {
    Optional<ResourceKey> governing = HostPlans.governing(v, c.labels());
    Optional<SandboxPlanner.Policy> policy = governing.flatMap(k -> HostPlans.resolve(v, k));
    if (policy.isPresent()) {
      if (!policy.get().enforcing()) return Decision.ALLOW;
      SandboxPlanner.Plan plan = SandboxPlanner.plan(policy.get(), List.of(c), Set.of(), Set.of(), SandboxPlanner.ExecActivity.NONE, v.capabilities(), v.canon(), v.now());
      Verdict verdict = plan.verdicts().get(0);
      List<Violation> isolation = verdict.violations().stream().filter(x -> x.rule().isolation()).toList();
      if (isolation.isEmpty()) return Decision.ALLOW;
      return Decision.deny(isolation.get(0).rule().checkId, sandboxMessage(policy.get(), isolation)).about(policy.get().key(), c);
    }
    if (governing.isPresent()) return Decision.ALLOW; // its policy's gateway is not declared: nothing is enforced
    Optional<Decision> stranger = onInternalNetwork(v, c.id(), c.name(), c.networks().keySet());
    if (stranger.isPresent()) return stranger.get();
    if (!baselineEnforced(v) || admin(v, user)) return Decision.ALLOW;
    Judging judging = Judging.baseline(new Judging.Baseline(HostPlans.protectedDirs(v), false), v.canon(), v.capabilities());
    List<Violation> broken = Rule.judge(Rule.Scope.BASELINE, c, judging);
    if (broken.isEmpty()) return Decision.ALLOW;
    return Decision.deny(broken.get(0).rule().checkId, join(broken) + " (the host baseline, enforced by " + enforcers(v)
        + "; an administrator's TLS client certificate listed in hostBaseline.adminUsers is exempt)").about(null, c);
  }

  private Decision start(AuthzRequest r, HostView v, String target) {
    if (r.apiVersion().map(ver -> ver < MIN_START_API).orElse(false)) {
      return Decision.deny("admission.api_version", "starts through API versions below 1.24 apply a HostConfig given at start, which no create"
          + " check saw: use API 1.24 or newer");
    }
    if (r.body() != null && r.body().length > 0 && !r.json().map(j -> j.isEmpty()).orElse(false)) {
      return Decision.deny("admission.start_body", "a start with a body changes the container past its create check: send none");
    }
    Optional<ContainerView> c = resolve(v, target);
    if (c.isEmpty()) return Decision.ALLOW; // unknown here: the daemon answers no such container, or the loop judges it on its events
    Optional<ResourceKey> governing = HostPlans.governing(v, c.get().labels());
    Optional<SandboxPlanner.Policy> policy = governing.flatMap(k -> HostPlans.resolve(v, k));
    if (policy.isEmpty() || !policy.get().enforcing()) return Decision.ALLOW;
    Set<String> running = new HashSet<>();
    for (ContainerView s : HostPlans.selected(v, policy.get().key())) if (s.running()) running.add(s.id());
    int max = policy.get().spec().maxConcurrent();
    Map<String, String> states = new java.util.HashMap<>();
    for (ContainerView x : v.snapshot().allContainers()) states.put(x.id(), x.state());
    if (gate.allow(policy.get().key(), c.get().id(), running, states, max)) return Decision.ALLOW;
    return Decision.deny(Rule.SANDBOX_MAX_CONCURRENT.checkId, "sandbox.max_concurrent: " + max + " sandboxes already run or are starting under "
        + policy.get().key() + " (maxConcurrent " + max + "): OpenClaw itself has no cap, so wait for one to end").about(policy.get().key(), c.get());
  }

  private Decision update(AuthzRequest r, HostView v, String target) {
    Optional<JsonNode> body = r.json();
    if (body.isEmpty()) return unreadable("update");
    Optional<ContainerView> c = resolve(v, target);
    if (c.isEmpty()) return Decision.ALLOW;
    Decision own = protect(v, c.get(), "update");
    if (!own.allow()) return own;
    Optional<SandboxPlanner.Policy> policy = HostPlans.governing(v, c.get().labels()).flatMap(k -> HostPlans.resolve(v, k));
    if (policy.isEmpty() || !policy.get().enforcing()) return Decision.ALLOW;
    ContainerView updated = withLimits(c.get(), body.get());
    List<Violation> raised = new ArrayList<>();
    for (Violation x : Rule.judge(Rule.Scope.SANDBOX, updated, Judging.sandbox(policy.get(), v.canon(), v.capabilities()))) {
      if (x.rule().remedy == Rule.Remedy.UPDATE_LIMITS && Rule.judge(Rule.Scope.SANDBOX, c.get(),
          Judging.sandbox(policy.get(), v.canon(), v.capabilities())).stream().noneMatch(y -> y.rule() == x.rule())) {
        raised.add(x);
      }
    }
    if (raised.isEmpty()) return Decision.ALLOW;
    return Decision.deny(raised.get(0).rule().checkId, join(raised) + " (an update may lower a sandbox's limits, not raise them past the caps of "
        + policy.get().key() + ")").about(policy.get().key(), c.get());
  }

  private Decision exec(AuthzRequest r, HostView v, String target) {
    Optional<JsonNode> body = r.json();
    if (body.isEmpty()) return unreadable("exec create");
    if (body.get().path("Privileged").asBoolean(false)) {
      return Decision.deny("admission.privileged_exec", "a privileged exec gets every capability and device of the host in the container: refused");
    }
    Optional<ContainerView> c = resolve(v, target);
    if (c.isEmpty()) return Decision.ALLOW;
    // The gateway may exec into itself (OpenClaw does, to read its own mounts): it gains nothing it does not have.
    if (Component.GATEWAY.field.equals(component(v, c.get()))) return Decision.ALLOW;
    return protect(v, c.get(), "exec");
  }

  private Decision network(AuthzRequest r, HostView v, String networkRef, String action) {
    Optional<JsonNode> body = r.json();
    if (body.isEmpty()) return unreadable("network " + action);
    String containerRef = body.get().path("Container").asString("");
    Optional<ContainerView> c = resolve(v, containerRef);
    String id = c.map(ContainerView::id).orElse(containerRef);
    Decision own = c.map(x -> protect(v, x, "network " + action)).orElse(Decision.ALLOW);
    if (!own.allow()) return own;
    if (action.equals("disconnect")) return Decision.ALLOW;
    Optional<NetworkView> network = networkOf(v.snapshot(), networkRef);
    String networkName = network.map(NetworkView::name).orElse(networkRef);
    if (c.isPresent()) {
      Optional<SandboxPlanner.Policy> policy = HostPlans.governing(v, c.get().labels()).flatMap(k -> HostPlans.resolve(v, k));
      if (policy.isPresent() && policy.get().enforcing() && !networkName.equals(policy.get().spec().network())) {
        return Decision.deny(Rule.SANDBOX_NETWORK.checkId, "sandbox.network: joining " + networkName + " breaks the network rule of "
            + policy.get().key() + " (network " + policy.get().spec().network() + "; OpenClaw: agents.defaults.sandbox.docker.network)")
            .about(policy.get().key(), c.get());
      }
    }
    return onInternalNetwork(v, id, c.map(ContainerView::name).orElse(containerRef), Set.of(networkName)).orElse(Decision.ALLOW);
  }

  // ---- helpers

  /** A stranger joining a declared stack's internal network, where its GatewayDeployment would disconnect or kill it. */
  private Optional<Decision> onInternalNetwork(HostView v, String id, String name, Collection<String> networks) {
    if (v.ownership().all().containsKey(id)) return Optional.empty();
    for (GatewayDeployment g : v.store().all(GatewayDeployment.class)) {
      String internal = g.getSpec().networks().internal();
      if (networks.contains(internal) && g.getSpec().foreignContainers() != GatewayDeploymentSpec.ForeignContainers.REPORT) {
        return Optional.of(Decision.deny(Rule.NETWORK_FOREIGN_CONTAINER.checkId, "network.foreign_container: " + name + " may not join " + internal
            + ", the internal network of " + ResourceKey.of(g) + " (foreignContainers: " + g.getSpec().foreignContainers().name().toLowerCase(java.util.Locale.ROOT)
            + "): only its components and governed sandboxes are on it"));
      }
    }
    return Optional.empty();
  }

  private Decision protect(HostView v, String ref, String what) {
    return resolve(v, ref).map(c -> protect(v, c, what)).orElse(Decision.ALLOW);
  }

  /** The operator's own containers: nobody else may read, change, stop or remove them. */
  private Decision protect(HostView v, ContainerView c, String what) {
    ResourceKey owner = v.ownership().all().get(c.id());
    if (owner == null) return Decision.ALLOW;
    return Decision.deny("admission.infrastructure", what + " on " + c.name() + " refused: it is a component of " + owner
        + " and only the operator acts on it (a compromised gateway must not read the model proxy's keys or stop the egress proxy)");
  }

  private static Decision unreadable(String what) {
    return Decision.deny("admission.body_unreadable", "the " + what + " request reached the plugin without a readable JSON body (over 1 MiB, or"
        + " not JSON): refused, since the daemon would act on a body nobody checked");
  }

  private static String component(HostView v, ContainerView c) {
    return v.ownership().all().containsKey(c.id()) ? c.label(Labels.COMPONENT) : null;
  }

  /** A container by id, unique id prefix or name: as the host shows it, or as the plugin saw it created. */
  private Optional<ContainerView> resolve(HostView v, String ref) {
    if (ref == null || ref.isEmpty()) return Optional.empty();
    HostSnapshot host = v.snapshot();
    ContainerView exact = host.containers().get(ref);
    if (exact != null) return Optional.of(exact);
    Optional<ContainerView> byName = host.containerNamed(ref.startsWith("/") ? ref.substring(1) : ref);
    if (byName.isPresent()) return byName;
    List<ContainerView> byPrefix = host.allContainers().stream().filter(c -> ref.length() >= 4 && c.id().startsWith(ref)).toList();
    if (byPrefix.size() == 1) return Optional.of(byPrefix.get(0));
    for (Created c : created.values()) {
      if (c.view().id().equals(ref) || c.view().name().equals(ref) || (ref.length() >= 4 && c.view().id().startsWith(ref))) return Optional.of(c.view());
    }
    return Optional.empty();
  }

  private static Optional<NetworkView> networkOf(HostSnapshot host, String ref) {
    NetworkView byId = host.networks().get(ref);
    if (byId != null) return Optional.of(byId);
    Optional<NetworkView> byName = host.networkNamed(ref);
    if (byName.isPresent()) return byName;
    List<NetworkView> byPrefix = host.networks().values().stream().filter(n -> ref.length() >= 4 && n.id().startsWith(ref)).toList();
    return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
  }

  private static boolean baselineEnforced(HostView v) {
    return v.store().all(GatewayDeployment.class).stream().anyMatch(g -> g.getSpec().hostBaseline().enforcing());
  }

  private static String enforcers(HostView v) {
    return String.join(", ", v.store().all(GatewayDeployment.class).stream().filter(g -> g.getSpec().hostBaseline().enforcing())
        .map(g -> ResourceKey.of(g).toString()).toList());
  }

  private static boolean admin(HostView v, String user) {
    if (user == null || user.isEmpty()) return false;
    return v.store().all(GatewayDeployment.class).stream().map(g -> g.getSpec().hostBaseline().adminUsers())
        .anyMatch(users -> users != null && users.contains(user));
  }

  private static String sandboxMessage(SandboxPlanner.Policy policy, List<Violation> isolation) {
    Map<String, Boolean> keys = new LinkedHashMap<>();
    isolation.forEach(x -> x.rule().openClawKey().ifPresent(k -> keys.put(k, true)));
    return join(isolation) + " (" + policy.key() + (keys.isEmpty() ? "; OpenClaw never asks for this, so what made the container is not"
        + " OpenClaw's sandbox code)" : "; fix " + String.join(", ", keys.keySet()) + " in openclaw.json, or OpenClaw makes the same sandbox again)");
  }

  private static String join(List<Violation> violations) {
    return String.join("; ", violations.stream().map(Violation::toString).toList());
  }

  private static long changed(JsonNode body, String field, long current) {
    long v = body.path(field).asLong(0);
    return v == 0 ? current : v;
  }

  /**
   * The container with the limits an update body sets. As the daemon reads an update, a limit left out or 0 stays as it
   * is (the CLI sends every field, the unset ones as 0), except PidsLimit, which only null leaves alone (0 and -1 lift it).
   */
  static ContainerView withLimits(ContainerView c, JsonNode body) {
    long memory = changed(body, "Memory", c.memory());
    long swap = changed(body, "MemorySwap", c.memorySwap());
    long nano = changed(body, "NanoCpus", c.nanoCpus());
    long quota = changed(body, "CpuQuota", c.cpuQuota());
    long period = changed(body, "CpuPeriod", c.cpuPeriod());
    JsonNode pidsLimit = body.path("PidsLimit");
    long pids = pidsLimit.isNumber() ? pidsLimit.asLong() : c.pidsLimit();
    return new ContainerView(c.id(), c.name(), c.image(), c.imageId(), c.created(), c.state(), c.restartCount(), c.labels(), c.env(), c.command(),
        c.user(), c.privileged(), c.capAdd(), c.capDrop(), c.securityOpt(), c.networkMode(), c.networks(), c.mounts(), memory, swap, nano, quota,
        period, pids, c.restartPolicy(), c.publishedPorts(), c.publishAllPorts(), c.pidMode(), c.ipcMode(), c.utsMode(), c.usernsMode(),
        c.devices(), c.deviceCgroupRules(), c.cgroupnsMode(), c.readOnlyRootfs(), c.init(), c.tmpfs(), c.imageVolumes(), c.inspected());
  }
}
