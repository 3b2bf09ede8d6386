package io.openclaw.operator.plan;

import java.util.List;

/**
 * One change to the Docker host, decided by a planner and carried out by the executor. Gentlest first: a foreign
 * attachment is disconnected, limits are updated in place, everything else is recreated; a recreation or removal
 * forced by a security breach kills at once, a plain spec change stops gracefully.
 */
public sealed interface Action {
  Reason reason();

  /** The container or network acted on, by name (or id when it has no name). */
  String target();

  /** A stable name for metrics and logs: create_container, update_limits, ... */
  String type();

  default String describe() { return type() + " " + target() + " (" + reason() + ")"; }

  /** The existing container the action is about, or null (networks, creations, host directories). */
  default String containerId() { return null; }

  record CreateNetwork(NetworkSpec spec, Reason reason) implements Action {
    public String target() { return spec.name(); }
    public String type() { return "create_network"; }
  }

  /** Disconnects everything from a network of the right name but the wrong kind, removes and creates it anew. */
  record RecreateNetwork(String id, NetworkSpec spec, List<String> attached, Reason reason) implements Action {
    public String target() { return spec.name(); }
    public String type() { return "recreate_network"; }
  }

  record RemoveNetwork(String id, String name, List<String> attached, Reason reason) implements Action {
    public String target() { return name; }
    public String type() { return "remove_network"; }
  }

  /** Pulls the image if absent, creates, writes the files, connects the extra networks, starts. */
  record CreateContainer(ContainerSpec spec, Reason reason) implements Action {
    public String target() { return spec.name(); }
    public String type() { return "create_container"; }
  }

  /** The image is checked (and pulled) before the old container is touched, so a bad image tears nothing down. */
  record RecreateContainer(String id, ContainerSpec spec, boolean kill, Reason reason) implements Action {
    public String containerId() { return id; }
    public String target() { return spec.name(); }
    public String type() { return "recreate_container"; }
  }

  record StartContainer(String id, String name, Reason reason) implements Action {
    public String containerId() { return id; }
    public String target() { return name; }
    public String type() { return "start_container"; }
  }

  /** A paused component is unpaused, not recreated: the gentlest way back. */
  record UnpauseContainer(String id, String name, Reason reason) implements Action {
    public String containerId() { return id; }
    public String target() { return name; }
    public String type() { return "unpause_container"; }
  }

  /**
   * A bind source on the Docker host, created owned by the container's user before the container is (the daemon
   * would create it root-owned, which a non-root gateway cannot write to). Planned only where the host is visible.
   */
  record CreateHostDirectory(String path, int uid, int gid, String forContainer, Reason reason) implements Action {
    public String target() { return path; }
    public String type() { return "create_host_directory"; }
  }

  /** Kill (breach: a forced remove, SIGKILL first) or graceful stop, then remove. */
  record RemoveContainer(String id, String name, boolean kill, Reason reason) implements Action {
    public String containerId() { return id; }
    public String target() { return name; }
    public String type() { return kill ? "kill_container" : "remove_container"; }
  }

  /** Kills a container that is not ours and leaves it in place (foreignContainers: kill). */
  record KillContainer(String id, String name, Reason reason) implements Action {
    public String containerId() { return id; }
    public String target() { return name; }
    public String type() { return "kill_foreign_container"; }
  }

  /**
   * Lowers (or restores) limits in place; {@code restartPolicy} is set too when not null. {@code cpuAsQuota}: the
   * container's CPU limit was set as a CFS quota, which the daemon will not replace by NanoCpus in place, so the new
   * limit is written in the same form.
   */
  record UpdateLimits(String id, String name, Limits limits, String restartPolicy, boolean cpuAsQuota, Reason reason) implements Action {
    public String containerId() { return id; }
    public String target() { return name; }
    public String type() { return "update_limits"; }
  }

  record ConnectNetwork(String network, String containerId, String name, List<String> aliases, Reason reason) implements Action {
    public String target() { return name + " to " + network; }
    public String type() { return "connect_network"; }
  }

  record DisconnectNetwork(String network, String containerId, String name, Reason reason) implements Action {
    public String target() { return name + " from " + network; }
    public String type() { return "disconnect_network"; }
  }

  /**
   * Writes the files into a running container, and restarts it when a changed file is read at start ({@code restart});
   * files read at every use (the agent's workspace files) need no restart.
   */
  record DeliverFiles(String id, String name, List<FileSpec> files, boolean restart, Reason reason) implements Action {
    public String containerId() { return id; }
    public String target() { return name; }
    public String type() { return "deliver_files"; }
  }
}
