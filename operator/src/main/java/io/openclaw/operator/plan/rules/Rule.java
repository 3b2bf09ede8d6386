package io.openclaw.operator.plan.rules;

/**
 * Every rule a container is judged by. One implementation each ({@link ContainerChecks}): enforcement acts on a
 * violation, {@code audit} reports it under the same checkId.
 */
public enum Rule {
  // Any container on the host (the audit's baseline) and the operator's own containers.
  PRIVILEGED("container.privileged", Kind.ISOLATION, "Container runs privileged"),
  CAP_ADD("container.cap_add", Kind.ISOLATION, "Container adds Linux capabilities"),
  NO_NEW_PRIVILEGES("container.no_new_privileges_missing", Kind.ISOLATION, "Container may gain privileges (no-new-privileges unset)"),
  HOST_NAMESPACES("container.host_namespace", Kind.ISOLATION, "Container shares a host namespace or device"),
  DOCKER_SOCKET("container.docker_socket_mount", Kind.ISOLATION, "Docker socket mounted outside the socket proxy"),
  MEMORY_LIMIT("container.memory_limit_missing", Kind.LIMITS, "Container has no memory limit"),
  PIDS_LIMIT("container.pids_limit_missing", Kind.LIMITS, "Container has no PIDs limit"),
  // Sandboxes against their SandboxPolicy.
  SANDBOX_CAPABILITIES("sandbox.capabilities", Kind.ISOLATION, "Sandbox keeps Linux capabilities"),
  SANDBOX_PRIVILEGED("sandbox.privileged", Kind.ISOLATION, "Sandbox runs privileged"),
  SANDBOX_NO_NEW_PRIVILEGES("sandbox.no_new_privileges", Kind.ISOLATION, "Sandbox may gain privileges"),
  SANDBOX_NETWORK("sandbox.network", Kind.ISOLATION, "Sandbox has network access the policy forbids"),
  SANDBOX_MOUNTS("sandbox.mounts", Kind.ISOLATION, "Sandbox mounts a host path the policy forbids"),
  SANDBOX_HOST_NAMESPACES("sandbox.host_namespace", Kind.ISOLATION, "Sandbox shares a host namespace or device"),
  SANDBOX_MEMORY("sandbox.memory", Kind.LIMITS, "Sandbox memory (with swap) missing or above the cap"),
  SANDBOX_CPUS("sandbox.cpus", Kind.LIMITS, "Sandbox CPU limit missing or above the cap"),
  SANDBOX_PIDS("sandbox.pids", Kind.LIMITS, "Sandbox PIDs limit missing or above the cap");

  /** What enforcing a violation means: isolation breaches kill, limits are lowered in place. */
  public enum Kind { ISOLATION, LIMITS }

  public final String checkId;
  public final Kind kind;
  public final String title;

  Rule(String checkId, Kind kind, String title) {
    this.checkId = checkId;
    this.kind = kind;
    this.title = title;
  }
}
