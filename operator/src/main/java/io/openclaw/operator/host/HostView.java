package io.openclaw.operator.host;

import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.HostCapabilities;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.SecretReader;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The host as the operator sees it at one moment: the desired state, the observed containers and networks, and the
 * facts gathered beside them. {@code run} builds it from its live caches, {@code plan}, {@code audit} and
 * {@code explain} from one read of the host; both then ask {@link HostPlans}, so they decide alike.
 *
 * @param files reads a file from a running container (the live config, ACL and secrets are compared to the desired)
 * @param beingRemoved containers a removal is already under way for
 * @param admitted what the authorization plugin knows about containers (none without it)
 * @param hostDirExists whether a bind source exists on the Docker host; always true where its filesystem is out of sight
 * @param removeOrphans whether containers of resources no longer declared are removed (Kubernetes mode, {@code run --prune})
 */
public record HostView(DesiredStore store, SecretReader secrets, HostSnapshot snapshot, FileReader files, Ownership ownership,
    SandboxPlanner.ExecActivity exec, Set<String> beingRemoved, Admitted admitted, HostCapabilities capabilities, PathCanon canon,
    Predicate<String> hostDirExists, boolean removeOrphans, Instant now) {

  /** Reads one file out of a container; empty when it is not there. */
  @FunctionalInterface
  public interface FileReader {
    Optional<byte[]> read(String containerId, String path);
  }

  /** The same view with another snapshot (a container seen in the list at its create event, before any inspect). */
  public HostView with(HostSnapshot other) {
    return new HostView(store, secrets, other, files, ownership, exec, beingRemoved, admitted, capabilities, canon, hostDirExists, removeOrphans,
        now);
  }
}
