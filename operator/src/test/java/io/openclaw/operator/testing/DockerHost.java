package io.openclaw.operator.testing;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.plan.Labels;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Docker engine for integration tests. Every test run gets its own id: containers a test makes carry the
 * label {@value #TEST_LABEL}=id, resources a test declares live in namespace id, and networks are named id-*. After
 * each test everything of the run is removed, pass or fail; a run that died leaves labels the next run sweeps.
 */
public final class DockerHost implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  public static final String TEST_LABEL = "openclaw-operator-test";
  public static final String SANDBOX_IMAGE = "openclaw-standin/sandbox:dev";

  private final String runId = "it-" + UUID.randomUUID().toString().substring(0, 6);
  private DockerApi api;
  private boolean keepStack;

  /** For classes that share one operator: after each test only test-made containers go; the rest after all. */
  public DockerHost keepStackBetweenTests() {
    keepStack = true;
    return this;
  }

  public String runId() { return runId; }

  public DockerApi api() { return api; }

  public DockerEndpoint endpoint() { return DockerEndpoint.fromEnvironment(); }

  public Map<String, String> testLabels() { return Map.of(TEST_LABEL, runId); }

  @Override
  public void beforeAll(ExtensionContext context) {
    api = DockerApi.connect(endpoint());
    if (!api.ping()) {
      throw new IllegalStateException("no Docker engine answers at " + endpoint().host() + ": run hack/test.sh, which starts one");
    }
    if (!api.imagePresent(SANDBOX_IMAGE)) {
      throw new IllegalStateException("stand-in image " + SANDBOX_IMAGE + " is missing: run hack/standin-images.sh (hack/test.sh does)");
    }
    if (!api.imagePresent(SmokescreenImage.reference())) {
      throw new IllegalStateException("egress proxy image " + SmokescreenImage.reference() + " is missing: run hack/smokescreen.sh image"
          + " (hack/test.sh does)");
    }
    sweep(null);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!keepStack) {
      sweep(runId);
      return;
    }
    for (DockerApi.ContainerSummary s : api.listContainers()) {
      api.inspectContainer(s.id()).filter(c -> runId.equals(c.label(TEST_LABEL))).ifPresent(c -> api.remove(c.id(), true));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    sweep(runId);
    api.close();
    // Host directories the run's gateways used: bind sources live under /tmp/<run> (or /tmp/<run>-<suffix> for a test
    // with manifests of several runs).
    try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("/tmp"))) {
      for (java.nio.file.Path dir : dirs.filter(d -> d.getFileName().toString().equals(runId) || d.getFileName().toString().startsWith(runId + "-"))
          .toList()) {
        Fixtures.deleteTree(dir);
      }
    }
  }

  /**
   * Removes this run's containers and networks; with {@code run} null, the leftovers of test runs that died more
   * than an hour ago (a run still going on beside this one is left alone).
   */
  public void sweep(String run) {
    java.time.Instant stale = java.time.Instant.now().minus(java.time.Duration.ofHours(1));
    for (DockerApi.ContainerSummary s : api.listContainers()) {
      api.inspectContainer(s.id()).ifPresent(c -> {
        if (belongs(c, run) && (run != null || c.created().isBefore(stale))) removeWithRetries(c.id());
      });
    }
    if (run == null) return;
    for (String volume : api.listVolumes()) {
      if (volume.startsWith(run)) api.removeVolume(volume);
    }
    for (NetworkView n : api.listNetworks()) {
      boolean ours = n.name().startsWith(run) || run.equals(n.labels().get(TEST_LABEL)) || owner(n.labels()).contains("/" + run + "/");
      if (ours) {
        n.containers().keySet().forEach(id -> api.disconnect(n.id(), id));
        api.removeNetwork(n.id());
      }
    }
  }

  /**
   * Removes a container, retrying for a while. A daemon stopped under running containers can leave a container
   * whose root filesystem it cannot unmount ("device or resource busy", state Dead); the daemon itself
   * refuses to remove it, so it is reported rather than failing every test that comes after.
   */
  private void removeWithRetries(String id) {
    if (unremovable.contains(id)) return;
    for (int attempt = 1; ; attempt++) {
      try {
        api.remove(id, true);
        return;
      } catch (io.openclaw.operator.docker.DockerException e) {
        // Each refused attempt costs the daemon seconds of unmount retries, and another cannot succeed.
        if (String.valueOf(e.getMessage()).contains("device or resource busy")) {
          unremovable.add(id);
          System.err.println("[cleanup] the Docker daemon cannot remove " + id + ": " + e.getMessage());
          return;
        }
        if (attempt == 10) throw e;
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Containers the daemon refused to remove for good: tried once per test JVM, then left to a daemon restart. */
  private static final Set<String> unremovable = ConcurrentHashMap.newKeySet();

  private static boolean belongs(ContainerView c, String run) {
    String label = c.label(TEST_LABEL);
    String owner = owner(c.labels());
    if (run == null) return label != null || owner.contains("/it-");
    return run.equals(label) || owner.contains("/" + run + "/") || c.name().startsWith(run);
  }

  private static String owner(Map<String, String> labels) { return labels.getOrDefault(Labels.OWNER, ""); }

  /** Names of this run's containers now on the host. */
  public List<String> containerNames() {
    return api.listContainers().stream().map(s -> api.inspectContainer(s.id())).flatMap(java.util.Optional::stream)
        .filter(c -> belongs(c, runId)).map(ContainerView::name).sorted().toList();
  }
}
