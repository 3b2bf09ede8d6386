package io.openclaw.operator.controller;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.HostCapabilities;
import io.openclaw.operator.plan.SandboxPlanner;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What the reconcilers read of the Docker host: the cache the events stream keeps ({@link ObservedState}), the two
 * direct reads they need (a container as the list shows it, a file inside a container), and the record of removals
 * in flight. An interface, so the agreement between {@code plan} and {@code run} is tested on generated hosts.
 */
interface HostAccess {
  HostSnapshot snapshot();

  Optional<ContainerView> container(String id);

  SandboxPlanner.ExecActivity execActivity();

  HostCapabilities capabilities();

  Set<String> beingRemoved();

  boolean beingRemoved(String id);

  /** Claims a container for removal; false when a removal is already under way. */
  boolean claimRemoval(String id);

  void removalFailed(String id);

  /**
   * Claims a container for a limits update; false while another is in flight, or when one was applied after the
   * container was last inspected (the plan saw limits that update already replaced).
   */
  boolean claimUpdate(String id);

  void updateEnded(String id, boolean applied);

  /** Seeds exec activity remembered from before a restart. */
  void rememberExec(String containerId, Instant at);

  /** The container as the list shows it now (not waiting for a start in progress), or empty. */
  Optional<ContainerView> listed(String id);

  /** A file inside a container, or empty. */
  Optional<byte[]> readFile(String containerId, String path);
}
