package io.openclaw.operator.plan;

import java.util.List;
import java.util.Optional;

/**
 * What the Docker host's kernel can enforce, as {@code docker info} reports it: limits it lacks support for are
 * not updated (they would never stick), and the resources say Stalled, LimitUnsupported, instead. On cgroup v1 every
 * container shares the host's cgroup namespace by default, so that sharing is no breach there.
 */
public record HostCapabilities(List<String> unsupportedLimits, boolean cgroupnsHostByDefault) {
  /** A kernel that enforces every limit, on cgroup v2 (where a container gets a cgroup namespace of its own by default). */
  public static final HostCapabilities FULL = new HostCapabilities(List.of(), false);

  /** What {@code docker info} says the kernel can enforce. */
  public static HostCapabilities fromInfo(tools.jackson.databind.JsonNode info) {
    List<String> missing = new java.util.ArrayList<>();
    for (String[] flag : new String[][] {{"MemoryLimit", "memory"}, {"SwapLimit", "swap"}, {"PidsLimit", "PIDs"}, {"CpuCfsQuota", "CPU (CFS quota)"}}) {
      if (info.has(flag[0]) && !info.path(flag[0]).asBoolean(true)) missing.add(flag[1]);
    }
    // On cgroup v1 the daemon's default cgroup namespace is the host's: every container shows "host", so it tells nothing.
    return new HostCapabilities(List.copyOf(missing), !"2".equals(info.path("CgroupVersion").asString("1")));
  }

  /** Why limits cannot be held on this host, if they cannot. */
  public Optional<String> limitsUnsupported() {
    return unsupportedLimits.isEmpty() ? Optional.empty() : Optional.of("the Docker host's kernel cannot enforce " + String.join(", ", unsupportedLimits)
        + " limits (docker info); enable the cgroup controllers (e.g. swapaccount=1, CONFIG_CGROUP_PIDS) and restart dockerd");
  }

  /** Whether this action can have an effect here (limit updates cannot when the kernel lacks the support). */
  public boolean effective(Action action) { return !(action instanceof Action.UpdateLimits) || unsupportedLimits.isEmpty(); }
}
