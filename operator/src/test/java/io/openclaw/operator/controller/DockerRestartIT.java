package io.openclaw.operator.controller;

import static io.openclaw.operator.testing.Checks.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker daemon goes away under a running loop and comes back: the loop survives, reconnects its events
 * stream, re-lists the host and converges again. Restarts the engine of this machine (and starts it again even
 * when the test fails).
 */
class DockerRestartIT {
  @RegisterExtension static DockerHost docker = new DockerHost();
  @TempDir Path manifests;
  @TempDir Path state;
  private final TestManifests m = new TestManifests(docker.runId());

  @Test
  void theLoopSurvivesADockerdRestartRelistsAndConverges() throws Exception {
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway(""));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.openai.com"));
    Files.writeString(manifests.resolve("policy.yaml"), m.policy(""));
    try (OperatorHarness op = OperatorHarness.start(docker, manifests, state)) {
      waitFor("Ready", Duration.ofSeconds(60), () -> op.ready(m.gatewayKey()) && op.ready(m.policyKey()));
      long reconnects = op.operator.observed().reconnects();
      long relists = op.operator.observed().relists();
      long stopped;
      try {
        stopped = stopDockerd();
        // Change the desired state while the daemon is away: the loop must act on it once it is back.
        op.write("gateway.yaml", m.gateway("").replace("image: openclaw-standin/cache:dev\n    resources: {memory: 64Mi",
            "image: openclaw-standin/cache:dev\n    resources: {memory: 80Mi"));
        Thread.sleep(3000);
      } finally {
        startDockerd();
      }
      long up = System.nanoTime();
      System.out.printf("[timing] dockerd was down for %d ms%n", (up - stopped) / 1_000_000);
      waitFor("reconnected and re-listed", Duration.ofSeconds(60), () -> op.operator.observed().reconnects() > reconnects
          && op.operator.observed().relists() > relists && op.operator.observed().ready());
      waitFor("converged on the new spec", Duration.ofSeconds(60), () -> op.readyAt(m.gatewayKey(), 2) && op.ready(m.policyKey())
          && docker.api().inspectContainer(m.container("cache")).map(c -> c.running() && c.memory() == 80L << 20).orElse(false));
      System.out.printf("[timing] converged %d ms after dockerd answered again%n", (System.nanoTime() - up) / 1_000_000);
      assertThat(op.operator.metrics().scrape()).containsPattern("openclaw_operator_events_stream_reconnects_total [1-9]");
      assertThat(op.operator.ready()).isTrue();
    }
  }

  /** Stops the daemon by its own pid file (never by name) and waits until it no longer answers. */
  private static long stopDockerd() throws Exception {
    String pid = Files.readString(Path.of("/var/run/docker.pid")).trim();
    new ProcessBuilder("kill", "-TERM", pid).inheritIO().start().waitFor();
    waitFor("dockerd to stop", Duration.ofSeconds(60), () -> !Files.exists(Path.of("/proc", pid)));
    return System.nanoTime();
  }

  private static void startDockerd() throws Exception {
    Path script = Path.of(System.getProperty("repo.root", ".."), "hack", "ensure-docker.sh");
    Process p = new ProcessBuilder(script.toString()).inheritIO().start();
    assertThat(p.waitFor()).as("hack/ensure-docker.sh brought the daemon back").isZero();
  }
}
