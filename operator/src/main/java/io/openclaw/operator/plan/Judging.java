package io.openclaw.operator.plan;

import io.openclaw.operator.plan.rules.PathCanon;
import java.util.Map;

/**
 * What a container is judged against besides itself: how paths compare, what the host's daemon does by default, and
 * — depending on the rule's scope — the
 * sandbox's policy, the host baseline's facts, or the component's spec with the files read from it.
 *
 * @param policy the resolved SandboxPolicy (sandbox rules), else null
 * @param baseline the host's protected directories and daemon defaults (baseline and advisory rules)
 * @param spec the component's spec (component rules), else null
 * @param liveFiles the component's files as read from it, or null when they were not read (not running)
 */
public record Judging(PathCanon canon, HostCapabilities host, SandboxPlanner.Policy policy, Baseline baseline, ContainerSpec spec,
    Map<String, byte[]> liveFiles) {

  /**
   * The host-wide facts of the baseline: each gateway's state directory with the sandbox root inside it that others
   * may bind, and whether the daemon sets no-new-privileges by default (then a container without it is no finding).
   */
  public record Baseline(Map<String, String> protectedDirs, boolean daemonNoNewPrivileges) {
    public static final Baseline NONE = new Baseline(Map.of(), false);
  }

  public static Judging sandbox(SandboxPlanner.Policy policy, PathCanon canon, HostCapabilities host) {
    return new Judging(canon, host, policy, Baseline.NONE, null, null);
  }

  public static Judging baseline(Baseline baseline, PathCanon canon, HostCapabilities host) { return new Judging(canon, host, null, baseline, null, null); }

  public static Judging component(ContainerSpec spec, Map<String, byte[]> liveFiles, PathCanon canon, HostCapabilities host) {
    return new Judging(canon, host, null, Baseline.NONE, spec, liveFiles);
  }
}
