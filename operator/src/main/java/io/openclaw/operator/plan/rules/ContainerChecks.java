package io.openclaw.operator.plan.rules;

import io.openclaw.operator.api.Quantities;
import io.openclaw.operator.docker.ContainerView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The checks behind every {@link Rule}: pure functions of an inspected container. */
public final class ContainerChecks {
  private static final List<String> SOCKET_PATHS = List.of("/var/run/docker.sock", "/run/docker.sock");

  private ContainerChecks() {}

  public static Optional<String> privileged(ContainerView c) {
    return c.privileged() ? Optional.of("runs privileged: every capability and every device of the host") : Optional.empty();
  }

  public static Optional<String> addedCapabilities(ContainerView c) {
    return c.capAdd().isEmpty() ? Optional.empty() : Optional.of("adds " + String.join(", ", normalized(c.capAdd())));
  }

  /** The capabilities the policy wants dropped that are not (ALL covers every one). */
  public static Optional<String> capabilitiesKept(ContainerView c, List<String> mustDrop) {
    List<String> dropped = normalized(c.capDrop());
    if (dropped.contains("ALL")) return Optional.empty();
    List<String> missing = normalized(mustDrop).stream().filter(cap -> !dropped.contains(cap)).toList();
    return missing.isEmpty() ? Optional.empty() : Optional.of("does not drop " + String.join(", ", missing)
        + (dropped.isEmpty() ? " (drops nothing)" : " (drops only " + String.join(", ", dropped) + ")"));
  }

  public static Optional<String> noNewPrivileges(ContainerView c) {
    return c.hasNoNewPrivileges() ? Optional.empty() : Optional.of("no-new-privileges is not set: setuid binaries can raise privileges");
  }

  public static Optional<String> hostNamespaces(ContainerView c) {
    List<String> shared = new ArrayList<>();
    if ("host".equals(c.pidMode())) shared.add("PID");
    if ("host".equals(c.ipcMode())) shared.add("IPC");
    if ("host".equals(c.utsMode())) shared.add("UTS");
    if ("host".equals(c.usernsMode())) shared.add("user");
    if ("host".equals(c.networkMode())) shared.add("network");
    if (c.pidMode().startsWith("container:")) shared.add("PID of " + c.pidMode().substring(10));
    if (c.networkMode().startsWith("container:")) shared.add("network of " + c.networkMode().substring(10));
    List<String> parts = new ArrayList<>();
    if (!shared.isEmpty()) parts.add("shares the " + String.join(", ", shared) + " namespace");
    if (c.devices() > 0) parts.add("has " + c.devices() + " host device(s)");
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
  }

  /** Bind sources that expose the Docker socket: the socket itself or a directory above it. */
  public static List<String> dockerSocketMounts(ContainerView c, PathCanon canon) { return dockerSocketMounts(c.mounts(), canon); }

  public static List<String> dockerSocketMounts(List<ContainerView.MountView> mounts, PathCanon canon) {
    List<String> found = new ArrayList<>();
    for (ContainerView.MountView m : mounts) {
      if (!m.type().equals("bind")) continue;
      String source = canon.canonical(m.source());
      for (String socket : SOCKET_PATHS) {
        if (PathCanon.under(canon.canonical(socket), source) || PathCanon.under(socket, source)) {
          found.add(m.source() + " -> " + m.destination());
          break;
        }
      }
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
