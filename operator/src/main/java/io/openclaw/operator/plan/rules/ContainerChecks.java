package io.openclaw.operator.plan.rules;

import io.openclaw.operator.api.HostPaths;
import io.openclaw.operator.api.Quantities;
import io.openclaw.operator.docker.ContainerView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks behind the rules: pure functions of a container (and of the facts a rule is judged against), each
 * returning what is wrong in words safe to log, or nothing. {@link io.openclaw.operator.plan.Rule} names them.
 */
public final class ContainerChecks {
  private static final List<String> UNCONFINED = List.of("seccomp=unconfined", "seccomp:unconfined", "apparmor=unconfined",
      "apparmor:unconfined", "systempaths=unconfined", "systempaths:unconfined");

  private ContainerChecks() {}

  public static Optional<String> privileged(ContainerView c) {
    return c.privileged() ? Optional.of("runs privileged: every capability and every device of the host") : Optional.empty();
  }

  public static Optional<String> addedCapabilities(ContainerView c) {
    return c.capAdd().isEmpty() ? Optional.empty() : Optional.of("adds " + String.join(", ", normalized(c.capAdd())));
  }

  /** The capabilities that must be dropped and are not (ALL covers every one). */
  public static Optional<String> capabilitiesKept(ContainerView c, List<String> mustDrop) {
    List<String> dropped = normalized(c.capDrop());
    if (dropped.contains("ALL")) return Optional.empty();
    List<String> missing = normalized(mustDrop).stream().filter(cap -> !dropped.contains(cap)).toList();
    return missing.isEmpty() ? Optional.empty() : Optional.of("does not drop " + String.join(", ", missing)
        + (dropped.isEmpty() ? " (drops nothing)" : " (drops only " + String.join(", ", dropped) + ")"));
  }

  /** Added capabilities and the ones the policy wants dropped that are kept, in one sentence. */
  public static Optional<String> capabilities(ContainerView c, List<String> mustDrop) {
    List<String> parts = new ArrayList<>();
    addedCapabilities(c).ifPresent(parts::add);
    capabilitiesKept(c, mustDrop).ifPresent(parts::add);
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
  }

  public static Optional<String> noNewPrivileges(ContainerView c) {
    return c.hasNoNewPrivileges() ? Optional.empty() : Optional.of("no-new-privileges is not set: setuid binaries can raise privileges");
  }

  /**
   * A host namespace, or another container's, shared: PID, network, IPC, UTS, cgroup, user. Where the daemon's default
   * cgroup namespace is the host's (cgroup v1), every container shows it and it is not counted.
   */
  public static Optional<String> hostNamespaces(ContainerView c, boolean cgroupnsHostByDefault) {
    List<String> shared = new ArrayList<>();
    namespace("PID", c.pidMode(), shared);
    namespace("network", c.networkMode(), shared);
    namespace("IPC", c.ipcMode(), shared);
    namespace("UTS", c.utsMode(), shared);
    if (!cgroupnsHostByDefault) namespace("cgroup", c.cgroupnsMode(), shared);
    namespace("user", c.usernsMode(), shared);
    return shared.isEmpty() ? Optional.empty() : Optional.of("shares " + String.join(", ", shared));
  }

  private static void namespace(String what, String mode, List<String> out) {
    if (mode == null) return;
    if (mode.equals("host")) out.add("the host's " + what + " namespace");
    else if (mode.startsWith("container:")) out.add("the " + what + " namespace of container " + mode.substring(10));
  }

  /** seccomp, AppArmor or the masked /proc and /sys paths switched off. */
  public static Optional<String> unconfined(ContainerView c) {
    List<String> off = c.securityOpt().stream().filter(o -> UNCONFINED.contains(o.toLowerCase(Locale.ROOT).replace(" ", ""))).toList();
    return off.isEmpty() ? Optional.empty() : Optional.of("security-opt " + String.join(", ", off)
        + ": the kernel's confinement (syscall filter, MAC profile, masked /proc and /sys paths) is off");
  }

  public static Optional<String> devices(ContainerView c) {
    List<String> parts = new ArrayList<>();
    if (c.devices() > 0) parts.add("has " + c.devices() + " host device(s)");
    if (!c.deviceCgroupRules().isEmpty()) parts.add("device cgroup rules " + String.join(", ", c.deviceCgroupRules()));
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
  }

  /** Bind sources that expose the Docker socket: the socket itself or a directory above it. */
  public static List<String> dockerSocketMounts(List<ContainerView.MountView> mounts, PathCanon canon) {
    List<String> found = new ArrayList<>();
    for (ContainerView.MountView m : mounts) {
      if (m.type().equals("bind") && exposesDockerSocket(m.source(), canon)) found.add(m.source() + " -> " + m.destination());
    }
    return found;
  }

  /** Whether binding this host path gives the Docker socket: the socket or a directory holding it. */
  public static boolean exposesDockerSocket(String hostPath, PathCanon canon) { return HostPaths.exposesDockerSocket(hostPath, canon::canonical); }

  /**
   * Binds of a sensitive host path ({@link HostPaths#SENSITIVE}, under one or above one) or of a protected
   * directory (a gateway's state directory) outside the sub-directory it allows ({@code allowedUnder}). The Docker
   * socket has a rule of its own and is not repeated here.
   */
  public static List<String> sensitiveMounts(List<ContainerView.MountView> mounts, PathCanon canon, java.util.Map<String, String> protectedDirs) {
    List<String> found = new ArrayList<>();
    for (ContainerView.MountView m : mounts) {
      if (!m.type().equals("bind") || exposesDockerSocket(m.source(), canon)) continue;
      String source = canon.canonical(m.source());
      String why = HostPaths.sensitive(m.source(), canon::canonical).map(p -> p.equals("/") ? "the host's root" : p).orElse(null);
      if (why == null) {
        for (var e : protectedDirs.entrySet()) {
          String dir = canon.canonical(e.getKey());
          String allowed = e.getValue() == null ? null : canon.canonical(e.getValue());
          boolean touches = PathCanon.under(source, dir) || PathCanon.under(dir, source);
          if (touches && (allowed == null || !PathCanon.under(source, allowed) || source.equals(allowed))) {
            why = "the gateway's state directory " + e.getKey();
            break;
          }
        }
      }
      if (why != null) found.add(m.source() + " -> " + m.destination() + " (" + why + ")");
    }
    return found;
  }

  /** Memory limit missing, or memory or memory+swap above the caps (a cap of 0 only asks for a limit). */
  public static Optional<String> memory(ContainerView c, long cap, long swapCap) {
    if (c.memory() <= 0) return Optional.of("has no memory limit");
    if (cap > 0 && c.memory() > cap) {
      return Optional.of("memory " + Quantities.dockerMemory(c.memory()) + " above the cap " + Quantities.dockerMemory(cap));
    }
    long swap = effectiveSwap(c);
    if (swapCap > 0 && (swap < 0 || swap > swapCap)) {
      return Optional.of("memory+swap " + (swap < 0 ? "unlimited" : Quantities.dockerMemory(swap)) + " above the cap "
          + Quantities.dockerMemory(swapCap));
    }
    return Optional.empty();
  }

  /** Memory plus swap as the kernel enforces it: -1 unlimited; Docker's default for an unset value is twice memory. */
  public static long effectiveSwap(ContainerView c) {
    if (c.memorySwap() == -1) return -1;
    if (c.memorySwap() == 0) return c.memory() * 2;
    return c.memorySwap();
  }

  public static Optional<String> cpus(ContainerView c, long capNano) {
    long cpus = c.effectiveNanoCpus();
    if (cpus <= 0) return Optional.of("has no CPU limit");
    if (capNano > 0 && cpus > capNano) return Optional.of("cpus " + Quantities.cpus(cpus) + " above the cap " + Quantities.cpus(capNano));
    return Optional.empty();
  }

  public static Optional<String> pids(ContainerView c, long cap) {
    if (c.pidsLimit() <= 0) return Optional.of("has no PIDs limit");
    if (cap > 0 && c.pidsLimit() > cap) return Optional.of("pids limit " + c.pidsLimit() + " above the cap " + cap);
    return Optional.empty();
  }

  /** Capability names as Docker accepts them in any spelling: CAP_SYS_ADMIN, sys_admin, SYS_ADMIN. */
  public static List<String> normalized(List<String> caps) {
    return caps.stream().map(cap -> {
      String upper = cap.toUpperCase(Locale.ROOT);
      return upper.startsWith("CAP_") ? upper.substring(4) : upper;
    }).toList();
  }
}
