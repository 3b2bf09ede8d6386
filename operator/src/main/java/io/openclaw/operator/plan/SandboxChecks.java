package io.openclaw.operator.plan;

import io.openclaw.operator.api.SandboxPolicySpec.WorkspaceAccess;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.rules.ContainerChecks;
import io.openclaw.operator.plan.rules.PathCanon;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The checks behind the sandbox rules that need the policy: network and mounts. Pure. */
public final class SandboxChecks {
  /** Where OpenClaw mounts a sandbox's private workspace, and that workspace's skills (read-only). */
  public static final String WORKSPACE = "/workspace";
  public static final String SKILLS = WORKSPACE + "/skills";

  private SandboxChecks() {}

  public static Optional<String> network(String required, ContainerView c) {
    List<String> attached = c.networks().keySet().stream().filter(n -> !n.equals("none")).sorted().toList();
    List<String> problems = new ArrayList<>();
    if (required.equals("none")) {
      if (!c.networkMode().equals("none")) problems.add("network mode " + c.networkMode() + " instead of none");
      if (!attached.isEmpty()) problems.add("attached to " + String.join(", ", attached));
    } else {
      if (!c.networkMode().equals(required)) problems.add("network mode " + c.networkMode() + " instead of " + required);
      List<String> others = attached.stream().filter(n -> !n.equals(required)).toList();
      if (!others.isEmpty()) problems.add("also attached to " + String.join(", ", others));
    }
    if (!c.publishedPorts().isEmpty() || c.publishAllPorts()) problems.add("publishes ports " + c.publishedPorts());
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  /**
   * The workspace rule (DESIGN.md §1): a sandbox may bind one workspace, a direct child of sandboxRoot, at
   * /workspace, plus that same child's skills/ read-only at /workspace/skills; the root itself, a second child, or a
   * child mounted anywhere else gives one session another session's files. The agent workspace is allowed read-only
   * with workspaceAccess ro and read-write with rw. Every other bind, the Docker socket above all, and every volume
   * breaches. Sources are compared after normalisation (and symlink resolution where the host is visible).
   */
  public static List<String> forbiddenMounts(SandboxPlanner.Policy policy, List<ContainerView.MountView> mounts, PathCanon canon) {
    String root = canon.canonical(policy.sandboxRoot());
    String workspace = canon.canonical(policy.agentWorkspace());
    WorkspaceAccess access = policy.spec().workspaceAccess();
    List<String> out = new ArrayList<>();
    String ownChild = null;
    for (ContainerView.MountView m : mounts) {
      if (m.type().equals("tmpfs")) continue;
      String what = m.type() + " " + (m.name() == null || m.name().isEmpty() ? m.source() : m.name()) + " -> " + m.destination()
          + (m.readWrite() ? " rw" : " ro");
      if (!m.type().equals("bind")) {
        out.add(what);
        continue;
      }
      String source = canon.canonical(m.source());
      if (ContainerChecks.exposesDockerSocket(m.source(), canon)) {
        out.add(what + " (the Docker socket: full control of the host)");
      } else if (PathCanon.under(source, root)) {
        Path rel = Path.of(root).relativize(Path.of(source));
        if (rel.toString().isEmpty()) {
          out.add(what + " (the sandbox root itself: every session's workspace)");
          continue;
        }
        String child = rel.getName(0).toString();
        if (ownChild != null && !ownChild.equals(child)) {
          out.add(what + " (a second session's workspace besides " + ownChild + ")");
          continue;
        }
        boolean isWorkspace = rel.getNameCount() == 1 && m.destination().equals(WORKSPACE);
        boolean isSkills = rel.getNameCount() == 2 && rel.getName(1).toString().equals("skills") && m.destination().equals(SKILLS) && !m.readWrite();
        if (isWorkspace || isSkills) ownChild = child;
        else out.add(what + " (a workspace belongs at " + WORKSPACE + ", its skills/ read-only at " + SKILLS + ")");
      } else if (PathCanon.under(source, workspace)) {
        if (access == WorkspaceAccess.RW || (access == WorkspaceAccess.RO && !m.readWrite())) continue;
        out.add(what + (access == WorkspaceAccess.NONE ? " (the agent workspace; workspaceAccess is none)"
            : " (the agent workspace, read-write; workspaceAccess is ro)"));
      } else {
        out.add(what);
      }
    }
    return out;
  }
}
