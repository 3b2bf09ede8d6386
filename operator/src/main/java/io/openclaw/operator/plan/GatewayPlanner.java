package io.openclaw.operator.plan;

import io.openclaw.operator.api.GatewayDeploymentSpec.ForeignContainers;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.plan.rules.PathCanon;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides, in one pure function, everything that must happen for a GatewayDeployment's stack to match its spec:
 * what to create, recreate, update in place, connect, disconnect or remove (kubelet's computePodActions is the
 * model). The executor only carries the plan out.
 */
public final class GatewayPlanner {
  private GatewayPlanner() {}

  /**
   * What the planner needs to know beyond the spec.
   *
   * @param owned the ids of the containers this deployment created (recorded when it created them; labels prove nothing)
   * @param sandboxIds containers a SandboxPolicy governs: their isolation is the policy's business
   * @param missingHostDirs bind sources that do not exist on the host, where the host's filesystem is visible
   */
  public record Observed(HostSnapshot host, Map<String, Map<String, byte[]>> liveFiles, Set<String> owned, Set<String> sandboxIds,
      ForeignContainers foreignContainers, Set<String> missingHostDirs, HostCapabilities capabilities, PathCanon canon) {}

  /**
   * One component's container as it is, whether it conforms, and the planner's verdict on it (null when there is no
   * container, or one that is not this deployment's holds the name).
   */
  public record ComponentState(String component, String containerName, ContainerView container, boolean conforming, Verdict verdict) {
    public List<Violation> violations() { return verdict == null ? List.of() : verdict.violations(); }
  }

  /** One of the stack's networks as it is, the rules it breaks and what is done about it. */
  public record NetworkState(String name, NetworkView live, List<Violation> violations) {}

  /**
   * The decisions: the actions and when each may run ({@code schedule}; {@code actions} is the same in one sequence),
   * each component's state, the networks', verdicts on containers that are not components (foreign ones on the
   * stack's networks, ours no longer in the spec), what is only reported (foreignContainers: report), and conflicts
   * (the plan is not to be carried out while there are any).
   */
  public record Plan(Schedule schedule, List<ComponentState> components, List<NetworkState> networks, List<Verdict> others,
      List<Action> reported, List<String> conflicts, Optional<String> limitsUnsupported) {
    public List<Action> actions() { return schedule.actions(); }

    public boolean converged() { return schedule.stages().isEmpty() && conflicts.isEmpty(); }
  }

  public static Plan plan(GatewayStack.Desired desired, Observed observed) {
    // Each list holds the chains of one stage (see plan's end for what must wait for what).
    List<List<Action>> networkActions = new ArrayList<>();
    List<List<Action>> containerActions = new ArrayList<>();
    List<Set<String>> containerNetworks = new ArrayList<>(); // the networks each chain of containerActions is on
    List<Action> foreignActions = new ArrayList<>();
    List<List<Action>> removals = new ArrayList<>();
    List<List<Action>> networkRemovals = new ArrayList<>();
    List<ComponentState> components = new ArrayList<>();
    List<NetworkState> networks = new ArrayList<>();
    List<Verdict> others = new ArrayList<>();
    List<Action> reported = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    String owner = desired.owner().toString();
    HostSnapshot host = observed.host();

    Set<String> desiredNetworks = new HashSet<>();
    for (NetworkSpec spec : desired.networks()) {
      desiredNetworks.add(spec.name());
      Optional<NetworkView> live = host.networkNamed(spec.name());
      List<Violation> broken = new ArrayList<>();
      if (live.isEmpty()) {
        broken.add(new Violation(Rule.NETWORK_MISSING, "network " + spec.name() + " does not exist"));
        networkActions.add(List.of(new Action.CreateNetwork(spec, Reason.of(Rule.NETWORK_MISSING, "network " + spec.name() + " does not exist"))));
      } else {
        NetworkView n = live.get();
        if (spec.internal() && !n.internal()) {
          broken.add(new Violation(Rule.NETWORK_NOT_INTERNAL, "network " + spec.name() + " is not internal: every container on it has a route out"));
        } else if (n.internal() != spec.internal() || !n.driver().equals("bridge")) {
          broken.add(new Violation(Rule.NETWORK_WRONG_KIND, "network " + spec.name() + " is " + (n.internal() ? "internal" : "not internal")
              + " with driver " + n.driver() + ", expected a " + (spec.internal() ? "internal " : "") + "bridge"));
        } else if (!spec.hasOptions(n)) {
          broken.add(new Violation(Rule.NETWORK_HOST_REACHABLE, "network " + spec.name() + " lacks the bridge options " + spec.options()
              + ": its bridge has an address on the host, so every container on it can reach the host's services"));
        }
        if (!broken.isEmpty()) {
          networkActions.add(List.of(new Action.RecreateNetwork(n.id(), spec, List.copyOf(n.containers().keySet()),
              Reason.of(broken.get(0).rule(), broken.get(0).detail()))));
        } else {
          String networkOwner = n.labels().get(Labels.OWNER);
          if (networkOwner != null && !networkOwner.equals(owner)) conflicts.add("network " + spec.name() + " belongs to " + networkOwner);
        }
      }
      networks.add(new NetworkState(spec.name(), live.orElse(null), broken));
    }
    for (NetworkView n : host.networks().values()) {
      if (owner.equals(n.labels().get(Labels.OWNER)) && !desiredNetworks.contains(n.name())) {
        networkRemovals.add(List.of(new Action.RemoveNetwork(n.id(), n.name(), List.copyOf(n.containers().keySet()),
            Reason.of(Rule.NOT_IN_SPEC, "network " + n.name() + " is no longer in the spec"))));
      }
    }

    Set<String> desiredNames = new HashSet<>();
    for (ContainerSpec spec : desired.containers()) {
      desiredNames.add(spec.name());
      Optional<ContainerView> found = host.containerNamed(spec.name());
      if (found.isEmpty()) {
        List<Action> chain = new ArrayList<>(hostDirectories(spec, observed.missingHostDirs()));
        chain.add(new Action.CreateContainer(spec, Reason.of(Rule.COMPONENT_MISSING, spec.name() + " does not exist")));
        containerActions.add(List.copyOf(chain));
        containerNetworks.add(spec.networks().keySet());
        components.add(new ComponentState(spec.component(), spec.name(), null, false, null));
        continue;
      }
      ContainerView live = found.get();
      if (!observed.owned().contains(live.id())) {
        conflicts.add("container name " + spec.name() + " is taken by a container this deployment did not create (" + shortId(live.id()) + ")");
        components.add(new ComponentState(spec.component(), spec.name(), live, false, null));
        continue;
      }
      Judging judging = Judging.component(spec, observed.liveFiles().get(live.id()), observed.canon(), observed.capabilities());
      List<Violation> broken = Rule.judge(Rule.Scope.COMPONENT, live, judging);
      List<Action> forThis = containerActions(spec, live, broken, observed);
      if (!forThis.isEmpty()) {
        containerActions.add(List.copyOf(forThis));
        containerNetworks.add(spec.networks().keySet());
      }
      components.add(new ComponentState(spec.component(), spec.name(), live, forThis.isEmpty() && live.running(),
          new Verdict(live, Rule.Scope.COMPONENT, judging, broken, forThis, true, "")));
    }

    for (ContainerView c : host.allContainers()) {
      if (!observed.owned().contains(c.id()) || desiredNames.contains(c.name())) continue;
      Action remove = new Action.RemoveContainer(c.id(), c.name(), false, Reason.of(Rule.NOT_IN_SPEC,
          c.name() + " (component " + c.label(Labels.COMPONENT) + ") is no longer in the spec"));
      removals.add(List.of(remove));
      others.add(new Verdict(c, Rule.Scope.STACK, null, List.of(), List.of(remove), true, ""));
    }

    // Containers this deployment did not create on its internal network, handled per foreignContainers. The network
    // lists only running containers; a created or stopped one shows the attachment in its own settings.
    for (NetworkSpec spec : desired.networks()) {
      if (!spec.internal()) continue;
      Optional<NetworkView> live = host.networkNamed(spec.name());
      if (live.isEmpty()) continue;
      Map<String, String> attachedIds = new java.util.LinkedHashMap<>(live.get().containers());
      host.allContainers().stream().filter(c -> c.networks().containsKey(spec.name())).forEach(c -> attachedIds.putIfAbsent(c.id(), c.name()));
      for (Map.Entry<String, String> attached : attachedIds.entrySet()) {
        String id = attached.getKey();
        if (observed.owned().contains(id) || observed.sandboxIds().contains(id)) continue;
        ContainerView c = host.containers().get(id);
        String name = c != null ? c.name() : attached.getValue();
        Reason why = Reason.of(Rule.NETWORK_FOREIGN_CONTAINER, name + " is on " + spec.name() + " but is not part of " + owner);
        boolean enforced = observed.foreignContainers() != ForeignContainers.REPORT;
        List<Action> acts = observed.foreignContainers() == ForeignContainers.KILL
            ? List.of(new Action.KillContainer(id, name, why), new Action.DisconnectNetwork(spec.name(), id, name, why))
            : List.of(new Action.DisconnectNetwork(spec.name(), id, name, why));
        (enforced ? foreignActions : reported).addAll(acts);
        if (c != null) {
          others.add(new Verdict(c, Rule.Scope.STACK, null, List.of(new Violation(Rule.NETWORK_FOREIGN_CONTAINER, why.detail())), acts, enforced, ""));
        }
      }
    }

    // What must wait for what. A container is created on, or connected to, a network that must exist, so each
    // component waits for the networks it is on (and only those: the others are created meanwhile). Components need
    // nothing of each other to be created and started: they find each other by alias through Docker's DNS when they
    // connect, not when they start (the gateway's DOCKER_HOST names socket-proxy, its proxy variables egress-proxy),
    // exactly as a compose file without depends_on. So every component, and every foreign container's handling (after
    // every network: it acts on the internal one), is a chain of its own; within a chain, a host directory comes before
    // the container binding it, a kill before the disconnect. Containers no longer in the spec are removed once the
    // components are in place (the order they always had), networks no longer in the spec last, when nothing is left
    // on them.
    // The daemon creates networks one at a time whatever is asked at once: the internal ones, which every component
    // is created on, are asked for first, and the others (needed by the egress and ingress proxies) after them.
    List<List<Action>> chains = new ArrayList<>();
    List<Set<Integer>> after = new ArrayList<>();
    Map<String, Integer> networkChain = new HashMap<>();
    Set<Integer> internalChains = new HashSet<>();
    for (boolean internal : new boolean[] {true, false}) {
      for (List<Action> chain : networkActions) {
        if (internalNetwork(chain.get(0)) != internal) continue;
        networkChain.put(chain.get(0).target(), chains.size());
        after.add(internal ? Set.of() : Set.copyOf(internalChains));
        if (internal) internalChains.add(chains.size());
        chains.add(chain);
      }
    }
    for (int i = 0; i < containerActions.size(); i++) {
      chains.add(containerActions.get(i));
      after.add(containerNetworks.get(i).stream().filter(networkChain::containsKey).map(networkChain::get).collect(Collectors.toUnmodifiableSet()));
    }
    for (List<Action> foreign : Schedule.byTarget("", foreignActions).stages().stream().flatMap(s -> s.chains().stream()).toList()) {
      chains.add(foreign);
      after.add(Set.copyOf(networkChain.values()));
    }
    List<Schedule.Stage> stages = new ArrayList<>();
    if (!chains.isEmpty()) stages.add(new Schedule.Stage("networks and containers", List.copyOf(chains), List.copyOf(after)));
    if (!removals.isEmpty()) stages.add(new Schedule.Stage("removals", List.copyOf(removals)));
    if (!networkRemovals.isEmpty()) stages.add(new Schedule.Stage("network removals", List.copyOf(networkRemovals)));
    Schedule schedule = new Schedule(List.copyOf(stages)).filter(observed.capabilities()::effective);
    return new Plan(schedule, components, networks, others, reported, conflicts, observed.capabilities().limitsUnsupported());
  }

  private static boolean internalNetwork(Action networkAction) {
    return networkAction instanceof Action.CreateNetwork c ? c.spec().internal() : ((Action.RecreateNetwork) networkAction).spec().internal();
  }

  /**
   * Gentlest first: a recreation makes every other change for this container moot; a breach kills, an older spec
   * stops gracefully; otherwise networks are put right, limits updated in place, files delivered (with a restart),
   * and a stopped or paused component started or unpaused.
   */
  static List<Action> containerActions(ContainerSpec spec, ContainerView live, List<Violation> broken, Observed observed) {
    Optional<Violation> breach = broken.stream().filter(v -> v.rule().remedy == Rule.Remedy.RECREATE_KILL).findFirst();
    if (breach.isPresent()) {
      String detail = String.join("; ", broken.stream().filter(v -> v.rule().remedy == Rule.Remedy.RECREATE_KILL).map(Violation::detail).toList());
      List<Action> out = new ArrayList<>(hostDirectories(spec, observed.missingHostDirs()));
      out.add(new Action.RecreateContainer(live.id(), spec, true, Reason.of(breach.get().rule(), spec.name() + ": " + detail)));
      return out;
    }
    Optional<Violation> outdated = broken.stream().filter(v -> v.rule() == Rule.COMPONENT_OUTDATED).findFirst();
    if (outdated.isPresent()) {
      List<Action> out = new ArrayList<>(hostDirectories(spec, observed.missingHostDirs()));
      out.add(new Action.RecreateContainer(live.id(), spec, false, Reason.of(Rule.COMPONENT_OUTDATED, outdated.get().detail())));
      return out;
    }
    List<Action> actions = new ArrayList<>();
    for (String network : ComponentChecks.foreignNetworks(spec, live)) {
      actions.add(new Action.DisconnectNetwork(network, live.id(), spec.name(), Reason.of(Rule.COMPONENT_FOREIGN_NETWORK,
          spec.name() + " was connected to " + network + ", which its spec does not name")));
    }
    for (Map.Entry<String, List<String>> wanted : spec.networks().entrySet()) {
      List<String> aliases = live.networks().get(wanted.getKey());
      Reason why = Reason.of(Rule.COMPONENT_NETWORK_MISSING, spec.name() + (aliases == null ? " is not on " : " lacks its alias on ") + wanted.getKey());
      if (aliases != null && !aliases.containsAll(wanted.getValue())) actions.add(new Action.DisconnectNetwork(wanted.getKey(), live.id(), spec.name(), why));
      if (aliases == null || !aliases.containsAll(wanted.getValue())) {
        actions.add(new Action.ConnectNetwork(wanted.getKey(), live.id(), spec.name(), wanted.getValue(), why));
      }
    }
    broken.stream().filter(v -> v.rule() == Rule.COMPONENT_LIMITS).findFirst().ifPresent(v -> actions.add(new Action.UpdateLimits(live.id(), spec.name(),
        spec.limits(), ContainerSpec.RESTART_POLICY, live.nanoCpus() <= 0 && live.cpuQuota() > 0, Reason.of(Rule.COMPONENT_LIMITS, v.detail()))));
    Optional<Violation> files = broken.stream().filter(v -> v.rule().remedy == Rule.Remedy.DELIVER).findFirst();
    if (files.isPresent()) {
      // A rewritten openclaw.json (or any file read at start) needs a restart; workspace files are read at every turn.
      boolean restart = broken.stream().anyMatch(v -> v.rule() == Rule.COMPONENT_MODEL_ROUTING)
          || ComponentChecks.changedFiles(spec, observed.liveFiles().get(live.id())).stream()
              .anyMatch(path -> spec.files().stream().anyMatch(f -> f.path().equals(path) && !f.readAtUse()));
      actions.add(new Action.DeliverFiles(live.id(), spec.name(), spec.files(), restart,
          Reason.of(files.get().rule(), spec.name() + ": " + files.get().detail())));
    } else if (live.state().equals("paused")) {
      actions.add(new Action.UnpauseContainer(live.id(), spec.name(), Reason.of(Rule.COMPONENT_NOT_RUNNING, spec.name() + " is paused")));
    } else if (broken.stream().anyMatch(v -> v.rule() == Rule.COMPONENT_NOT_RUNNING)) {
      actions.add(new Action.StartContainer(live.id(), spec.name(), Reason.of(Rule.COMPONENT_NOT_RUNNING, spec.name() + " is " + live.state())));
    }
    return actions;
  }

  /** The bind sources of a container about to be created that the host does not have yet, created owned by its user. */
  static List<Action> hostDirectories(ContainerSpec spec, Set<String> missing) {
    List<Action> out = new ArrayList<>();
    for (MountSpec m : spec.mounts()) {
      if (!m.bind() || m.source().equals(GatewayStack.DOCKER_SOCKET) || !missing.contains(m.source())) continue;
      out.add(new Action.CreateHostDirectory(m.source(), spec.uid(), spec.gid(), spec.name(), Reason.of(Rule.HOST_DIRECTORY_MISSING,
          m.source() + " does not exist on the host; created owned by " + spec.uid() + ":" + spec.gid() + " for " + spec.name())));
    }
    return out;
  }

  static String shortId(String id) { return id.length() > 12 ? id.substring(0, 12) : id; }
}
