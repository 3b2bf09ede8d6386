package io.openclaw.operator.controller;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.HostCapabilities;
import io.openclaw.operator.plan.SandboxPlanner;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An empty host for tests that drive the reconcilers without Docker: no containers, no files, nothing being removed,
 * every claim succeeds. A test overrides what its host has; {@link #listed} follows {@link #container}.
 */
class NoHostAccess implements HostAccess {
  public HostSnapshot snapshot() { return new HostSnapshot(Map.of(), Map.of()); }

  public Optional<ContainerView> container(String id) { return Optional.empty(); }

  public SandboxPlanner.ExecActivity execActivity() { return new SandboxPlanner.ExecActivity(Map.of(), Set.of()); }

  public HostCapabilities capabilities() { return HostCapabilities.FULL; }

  public Set<String> beingRemoved() { return Set.of(); }

  public boolean beingRemoved(String id) { return false; }

  public boolean claimRemoval(String id) { return true; }

  public void removalFailed(String id) { }

  public boolean claimUpdate(String id) { return true; }

  public void updateEnded(String id, boolean applied) { }

  public void rememberExec(String containerId, Instant at) { }

  public Optional<ContainerView> listed(String id) { return container(id); }

  public Optional<byte[]> readFile(String containerId, String path) { return Optional.empty(); }
}
