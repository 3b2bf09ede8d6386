package io.openclaw.operator.host;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicyStatus;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.HostCapabilities;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.status.FileStatusWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@link HostView} of a one-shot command ({@code plan}, {@code audit}, {@code explain}): the host read once, with
 * what the running operator recorded in its state directory (which containers it created, the last exec of each
 * sandbox) read beside it and never written.
 */
public final class OneShot {
  private OneShot() {}

  /**
   * @param hostRoot where the Docker host's filesystem is seen, or null when it is out of sight
   * @param removeOrphans plan as {@code run --prune} would
   */
  public static HostView read(DockerApi docker, DesiredState desired, Path stateDir, Path hostRoot, boolean removeOrphans, Instant now) {
    return read(Host.read(docker), docker, desired, stateDir, hostRoot, removeOrphans, now);
  }

  /** What is read of the Docker daemon itself: every container and network, then its info. Needs no desired state. */
  public record Host(HostSnapshot snapshot, HostCapabilities capabilities) {
    public static Host read(DockerApi docker) {
      HostSnapshot snapshot = HostSnapshot.read(docker);
      return new Host(snapshot, HostCapabilities.fromInfo(docker.info()));
    }
  }

  /** The same, with the daemon already read (a command that read it while it read its manifests). */
  public static HostView read(Host host, DockerApi docker, DesiredState desired, Path stateDir, Path hostRoot, boolean removeOrphans, Instant now) {
    HostSnapshot snapshot = host.snapshot();
    HostCapabilities capabilities = host.capabilities();
    DesiredStore store = desired.given() ? desired.store() : emptyStore();
    PathCanon canon = PathCanon.of(java.util.Optional.ofNullable(hostRoot));
    return new HostView(store, desired.secrets(), snapshot, docker::readFile, Ownership.readOnly(stateDir), execActivity(store, stateDir),
        Set.of(), io.openclaw.operator.docker.SelfContainer.id().map(Admitted.NONE::alsoExempt).orElse(Admitted.NONE), capabilities, canon, path -> hostRoot == null || Files.exists(hostRoot.resolve(Path.of("/").relativize(Path.of(path)))),
        removeOrphans, now);
  }

  /** Idle times the running operator recorded (directory mode): without them idleness counts from creation. */
  static SandboxPlanner.ExecActivity execActivity(DesiredStore store, Path stateDir) {
    if (stateDir == null) return SandboxPlanner.ExecActivity.NONE;
    FileStatusWriter statuses = new FileStatusWriter(stateDir);
    Map<String, Instant> last = new HashMap<>();
    for (SandboxPolicy p : store.all(SandboxPolicy.class)) {
      statuses.read(ResourceKey.of(p)).filter(SandboxPolicyStatus.class::isInstance).map(SandboxPolicyStatus.class::cast).ifPresent(s -> {
        if (s.hosts() == null) return;
        s.hosts().forEach(h -> {
          if (h.execActivity() != null) {
            h.execActivity().forEach(a -> last.merge(a.containerId(), Instant.parse(a.lastExecAt()), (x, y) -> x.isAfter(y) ? x : y));
          }
        });
      });
    }
    return new SandboxPlanner.ExecActivity(Map.copyOf(last), Set.of());
  }

  /** No resources given to the command: none are known, and none are known to be absent (never synced). */
  private static DesiredStore emptyStore() { return new DesiredStore(); }
}
