package io.openclaw.operator.plan;

import io.openclaw.operator.api.GatewayDeploymentSpec.ForeignContainers;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.plan.rules.ContainerChecks;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.plan.render.OpenClawConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, in one pure function, everything that must happen for a GatewayDeployment's stack to match its spec:
 * what to create, recreate, update in place, connect, disconnect or remove (kubelet's computePodActions is the
 * model). The executor only carries the plan out.
 */
public final class GatewayPlanner {
  private GatewayPlanner() {}

  /** What the planner needs to know beyond the spec. */
  public record Observed(HostSnapshot host, Map<String, Map<String, byte[]>> liveFiles, Set<String> sandboxIds,
      ForeignContainers foreignContainers) {}

  /** One component's container as it is, and whether it conforms. */
  public record ComponentState(String component, String containerName, ContainerView container, boolean conforming) {}

  public record Plan(List<Action> actions, List<ComponentState> components, List<String> reported, List<String> conflicts) {
    public boolean converged() { return actions.isEmpty() && conflicts.isEmpty(); }
  }

  public static Plan plan(GatewayStack.Desired desired, Observed observed) {
    List<Action> networkActions = new ArrayList<>();
    List<Action> containerActions = new ArrayList<>();
    List<Action> foreignActions = new ArrayList<>();
    List<Action> removals = new ArrayList<>();
    List<Action> networkRemovals = new ArrayList<>();
    List<ComponentState> components = new ArrayList<>();
    List<String> reported = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    String owner = desired.owner().toString();
    HostSnapshot host = observed.host();

    Set<String> desiredNetworks = new HashSet<>();
    for (NetworkSpec spec : desired.networks()) {
      desiredNetworks.add(spec.name());
      Optional<NetworkView> live = host.networkNamed(spec.name());
      if (live.isEmpty()) {
        networkActions.add(new Action.CreateNetwork(spec, Reason.of("Missing", "network " + spec.name() + " does not exist")));
      } else if (live.get().internal() != spec.internal() || !live.get().driver().equals("bridge") || !spec.hasOptions(live.get())) {
        String why;
        if (spec.internal() && !live.get().internal()) {
          why = "network " + spec.name() + " is not internal: every container on it has a route out";
        } else if (live.get().internal() != spec.internal() || !live.get().driver().equals("bridge")) {
          why = "network " + spec.name() + " is " + (live.get().internal() ? "internal" : "not internal") + " with driver " + live.get().driver()
              + ", expected a " + (spec.internal() ? "internal " : "") + "bridge";
        } else {
          why = "network " + spec.name() + " lacks the bridge options " + spec.options()
              + ": its bridge has an address on the host, so every container on it can reach the host's services";
        }
        networkActions.add(new Action.RecreateNetwork(live.get().id(), spec, List.copyOf(live.get().containers().keySet()),
            Reason.of("NetworkDrift", why)));
      } else {
        String networkOwner = live.get().labels().get(Labels.OWNER);
        if (networkOwner != null && !networkOwner.equals(owner)) {
          conflicts.add("network " + spec.name() + " belongs to " + networkOwner);
        }
      }
    }
    for (NetworkView n : host.networks().values()) {
      if (owner.equals(n.labels().get(Labels.OWNER)) && !desiredNetworks.contains(n.name())) {
        networkRemovals.add(new Action.RemoveNetwork(n.id(), n.name(), List.copyOf(n.containers().keySet()),
            Reason.of("NotInSpec", "network " + n.name() + " is no longer in the spec")));
      }
    }

    Set<String> desiredNames = new HashSet<>();
    for (ContainerSpec spec : desired.containers()) {
      desiredNames.add(spec.name());
      Optional<ContainerView> found = host.containerNamed(spec.name());
      if (found.isEmpty()) {
        containerActions.add(new Action.CreateContainer(spec, Reason.of("Missing", spec.name() + " does not exist")));
        components.add(new ComponentState(spec.component(), spec.name(), null, false));
        continue;
      }
      ContainerView live = found.get();
      if (!owner.equals(live.label(Labels.OWNER))) {
        conflicts.add("container name " + spec.name() + " is taken by a container this deployment does not own (" + shortId(live.id()) + ")");
        components.add(new ComponentState(spec.component(), spec.name(), live, false));
        continue;
      }
      List<Action> forThis = containerActions(spec, live, observed.liveFiles().get(live.id()));
      containerActions.addAll(forThis);
      components.add(new ComponentState(spec.component(), spec.name(), live, forThis.isEmpty() && live.running()));
    }

    Set<String> ownIds = new HashSet<>();
    for (ContainerView c : host.allContainers()) {
      if (!owner.equals(c.label(Labels.OWNER))) continue;
      ownIds.add(c.id());
      if (!desiredNames.contains(c.name())) {
        removals.add(new Action.RemoveContainer(c.id(), c.name(), false, Reason.of("NotInSpec",
            c.name() + " (component " + c.label(Labels.COMPONENT) + ") is no longer in the spec")));
      }
    }

    // Containers this deployment does not own on its networks: handled per foreignContainers.
    for (NetworkSpec spec : desired.networks()) {
      Optional<NetworkView> live = host.networkNamed(spec.name());
      if (live.isEmpty()) continue;
      for (Map.Entry<String, String> attached : live.get().containers().entrySet()) {
        String id = attached.getKey();
        if (ownIds.contains(id) || observed.sandboxIds().contains(id)) continue;
        String name = host.containers().containsKey(id) ? host.containers().get(id).name() : attached.getValue();
        String why = name + " is on " + spec.name() + " but is not part of " + owner;
        switch (observed.foreignContainers()) {
          case DISCONNECT -> foreignActions.add(new Action.DisconnectNetwork(spec.name(), id, name, Reason.of("ForeignContainer", why)));
          case KILL -> {
            foreignActions.add(new Action.KillContainer(id, name, Reason.of("ForeignContainer", why)));
            foreignActions.add(new Action.DisconnectNetwork(spec.name(), id, name, Reason.of("ForeignContainer", why)));
          }
          case REPORT -> reported.add(why);
        }
      }
    }

    List<Action> actions = new ArrayList<>(networkActions);
    actions.addAll(containerActions);
    actions.addAll(foreignActions);
    actions.addAll(removals);
    actions.addAll(networkRemovals);
    return new Plan(actions, components, reported, conflicts);
  }

  /**
   * Gentlest first: a recreation makes every other change for this container moot. {@code liveFiles} is null when
   * the files were not read (a container that is not running): they are judged once it runs.
   */
  static List<Action> containerActions(ContainerSpec spec, ContainerView live, Map<String, byte[]> liveFiles) {
    boolean outdated = !spec.specHash().equals(live.label(Labels.SPEC_HASH));
    // Against an older spec only the breaches no spec allows count: an outdated container that has one is killed all the same.
    List<String> breaches = outdated ? baselineBreaches(live) : securityDrift(spec, live);
    if (!breaches.isEmpty()) {
      return List.of(new Action.RecreateContainer(live.id(), spec, true, Reason.of("SecurityDrift", spec.name() + ": " + String.join("; ", breaches))));
    }
    if (outdated) {
      return List.of(new Action.RecreateContainer(live.id(), spec, false, Reason.of("SpecChanged",
          spec.name() + " was created from an older spec")));
    }
    List<Action> actions = new ArrayList<>();
    for (String network : live.networks().keySet()) {
      if (!spec.networks().containsKey(network)) {
        actions.add(new Action.DisconnectNetwork(network, live.id(), spec.name(), Reason.of("ForeignNetwork",
            spec.name() + " was connected to " + network + ", which its spec does not name")));
      }
    }
    for (Map.Entry<String, List<String>> wanted : spec.networks().entrySet()) {
      List<String> aliases = live.networks().get(wanted.getKey());
      if (aliases == null) {
        actions.add(new Action.ConnectNetwork(wanted.getKey(), live.id(), spec.name(), wanted.getValue(), Reason.of("NetworkMissing",
            spec.name() + " is not on " + wanted.getKey())));
      } else if (!aliases.containsAll(wanted.getValue())) {
        actions.add(new Action.DisconnectNetwork(wanted.getKey(), live.id(), spec.name(), Reason.of("AliasMissing",
            spec.name() + " lacks its alias on " + wanted.getKey())));
        actions.add(new Action.ConnectNetwork(wanted.getKey(), live.id(), spec.name(), wanted.getValue(), Reason.of("AliasMissing",
            spec.name() + " lacks its alias on " + wanted.getKey())));
      }
    }
    Limits limits = spec.limits();
    boolean limitsDiffer = live.memory() != limits.memory() || live.memorySwap() != limits.memorySwap()
        || live.effectiveNanoCpus() != limits.nanoCpus() || live.pidsLimit() != limits.pidsLimit();
    boolean restartDiffers = !ContainerSpec.RESTART_POLICY.equals(live.restartPolicy());
    if (limitsDiffer || restartDiffers) {
      actions.add(new Action.UpdateLimits(live.id(), spec.name(), limits, ContainerSpec.RESTART_POLICY, Reason.of("LimitsDrift", spec.name() + " has "
          + (limitsDiffer ? "memory " + live.memory() + "/" + live.memorySwap() + ", nanoCPUs " + live.effectiveNanoCpus() + ", pids "
          + live.pidsLimit() + " instead of " + limits : "restart policy \"" + live.restartPolicy() + "\""))));
    }
    List<FileSpec> changed = liveFiles == null ? List.of()
        : spec.files().stream().filter(f -> !f.directory()).filter(f -> !fileMatches(f, liveFiles.get(f.path()))).toList();
    if (!changed.isEmpty()) {
      actions.add(new Action.DeliverFiles(live.id(), spec.name(), spec.files(), Reason.of("FilesChanged",
          spec.name() + ": " + String.join(", ", changed.stream().map(FileSpec::path).toList()) + " differ from the desired content")));
    } else if (!live.running() && !live.state().equals("restarting")) {
      actions.add(new Action.StartContainer(live.id(), spec.name(), Reason.of("Stopped", spec.name() + " is " + live.state())));
    }
    return actions;
  }

  /** Fields that cannot be changed in place and that the spec fixes: a difference is a breach. */
  static List<String> securityDrift(ContainerSpec spec, ContainerView live) {
    List<String> out = baselineBreaches(live);
    if (!live.networkMode().equals(spec.primaryNetwork())) out.add("network mode " + live.networkMode() + " instead of " + spec.primaryNetwork());
    if (!mountsMatch(spec, live)) out.add("mounts differ from the spec");
    if (!portsMatch(spec, live)) out.add("published ports " + live.publishedPorts() + " differ from the spec");
    if (!live.image().equals(spec.image())) out.add("image " + live.image() + " instead of " + spec.image());
    // Without a user in the spec the image's default applies, which inspect reports as the container's own.
    if (spec.user() != null && !spec.user().isEmpty() && !live.user().equals(spec.user())) {
      out.add("user \"" + live.user() + "\" instead of \"" + spec.user() + "\"");
    }
    // The labels (and their hash) can be forged by anyone who may create containers: the settings that decide
    // what a component may do (the socket proxy's grants, the gateway's DOCKER_HOST and proxies) are read back too.
    List<String> envDrift = envDrift(spec.env(), live.env());
    if (!envDrift.isEmpty()) out.add("environment differs from the spec for " + String.join(", ", envDrift));
    if (!spec.entrypoint().isEmpty() || !spec.command().isEmpty()) {
      List<String> wanted = new ArrayList<>(spec.entrypoint());
      wanted.addAll(spec.command());
      if (!spec.entrypoint().isEmpty() ? !live.command().equals(wanted) : !endsWith(live.command(), spec.command())) {
        out.add("command differs from the spec");
      }
    }
    return out;
  }

  /** Names of the spec's variables that the live container lacks or sets to another value (values never shown). */
  static List<String> envDrift(List<String> wanted, List<String> live) {
    Map<String, String> have = new java.util.HashMap<>();
    for (String kv : live) {
      int eq = kv.indexOf('=');
      if (eq > 0) have.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    List<String> out = new ArrayList<>();
    for (String kv : wanted) {
      int eq = kv.indexOf('=');
      if (!kv.substring(eq + 1).equals(have.get(kv.substring(0, eq)))) out.add(kv.substring(0, eq));
    }
    return out;
  }

  private static boolean endsWith(List<String> list, List<String> tail) {
    return list.size() >= tail.size() && list.subList(list.size() - tail.size(), list.size()).equals(tail);
  }

  /** Breaches whatever the spec: no infrastructure container may have them. */
  static List<String> baselineBreaches(ContainerView live) {
    List<String> out = new ArrayList<>();
    ContainerChecks.privileged(live).ifPresent(out::add);
    ContainerChecks.addedCapabilities(live).ifPresent(out::add);
    ContainerChecks.capabilitiesKept(live, List.of("ALL")).ifPresent(out::add);
    ContainerChecks.noNewPrivileges(live).ifPresent(out::add);
    ContainerChecks.hostNamespaces(live).ifPresent(out::add);
    return out;
  }

  static boolean mountsMatch(ContainerSpec spec, ContainerView live) {
    Set<String> wanted = new HashSet<>();
    for (MountSpec m : spec.mounts()) {
      wanted.add((m.bind() ? PathCanon.LEXICAL.canonical(m.source()) : m.source()) + "->" + m.target() + (m.readOnly() ? ":ro" : ":rw"));
    }
    Set<String> have = new HashSet<>();
    for (ContainerView.MountView m : live.mounts()) {
      boolean volume = m.type().equals("volume");
      // Anonymous volumes the image declares (VOLUME /data) come with the image, not with the spec.
      if (volume && live.imageVolumes().contains(m.destination()) && spec.mounts().stream().noneMatch(s -> s.target().equals(m.destination()))) continue;
      String source = volume ? m.name() : PathCanon.LEXICAL.canonical(m.source());
      have.add(source + "->" + m.destination() + (m.readWrite() ? ":rw" : ":ro"));
    }
    return wanted.equals(have);
  }

  static boolean portsMatch(ContainerSpec spec, ContainerView live) {
    Set<String> wanted = new HashSet<>();
    for (ContainerSpec.PortSpec p : spec.ports()) wanted.add(p.hostIp() + ":" + p.hostPort() + "->" + p.key());
    return wanted.equals(new HashSet<>(live.publishedPorts())) && !live.publishAllPorts();
  }

  static boolean fileMatches(FileSpec desired, byte[] live) {
    if (live == null) return false;
    if (desired.semantic()) return OpenClawConfig.satisfies(live, new String(desired.content(), java.nio.charset.StandardCharsets.UTF_8));
    return Arrays.equals(desired.content(), live);
  }

  static String shortId(String id) { return id.length() > 12 ? id.substring(0, 12) : id; }

  /** Components by field name, for status. */
  public static Map<String, ComponentState> byComponent(Plan plan) {
    Map<String, ComponentState> out = new LinkedHashMap<>();
    plan.components().forEach(c -> out.put(c.component(), c));
    return out;
  }
}
