package io.openclaw.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.OperatorProcess;
import io.openclaw.operator.testing.OwnEngine;
import io.openclaw.operator.testing.Sandboxes;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestManifests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * dockerd stops for 20 s under a running operator (the jar, a process of its own) and starts again on the same data
 * root; live-restore is off, so every container stops with it. This is an engine of the test's own: the shared one is
 * never stopped. The operator keeps running throughout (alive, /healthz 200, /readyz 503 while it cannot follow the
 * host), and once the daemon answers again it re-lists (the events stream replays at most 256 events) and remedies
 * every drift of the gap:
 * <ul>
 *   <li>made while the operator was frozen (SIGSTOP) right before the stop, so it could not act on them: a breaching
 *       sandbox and a stranger with an added capability, both with {@code --restart always} (the daemon brings them back), limits
 *       raised on a component, a component stopped (its unless-stopped policy keeps it stopped), a component
 *       disconnected from the internal network;</li>
 *   <li>made while the daemon was down: a changed spec (the cache's memory);</li>
 *   <li>made the moment the daemon answers, before the operator has reconnected: another breaching sandbox and stranger.</li>
 * </ul>
 * Components come back by their restart policy (unless-stopped); what the daemon does not bring back, the operator
 * starts, and what it brings back breaching, the operator removes.
 */
class DockerRestartIT {
  private static final Duration DOWN = Duration.ofSeconds(20);
  private static final List<String> COMPONENTS = List.of("gateway", "socket-proxy", "model-proxy", "cache", "egress-proxy");

  private final OwnEngine own = new OwnEngine();
  private final String run = own.run;
  private final TestManifests m = own.m;
  private final Path work = own.work;
  private TestEngine engine;
  private OperatorProcess operator;

  @AfterEach
  void removeEverything() throws Exception {
    own.close();
  }

  @Test
  void theOperatorOutlivesADockerdRestartRelistsAndRemediesEveryDriftOfTheGap() throws Exception {
    engine = own.start(TestEngine.STANDIN_STACK);
    Sandboxes sandboxes = new Sandboxes(run, m.stateDir(), engine.host);
    String gateway = m.gateway("hostBaseline: {enforcement: enforce}\n");
    own.write("gateway.yaml", gateway);
    own.write("policy.yaml", m.policy(""));
    own.write("allowlist.yaml", m.allowlist("*.openai.com"));
    operator = own.closeFirst(OperatorProcess.start(own.manifests(), work.resolve("state"), work.resolve("operator.log"), engine.host));
    own.closeFirst(() -> signal("CONT")); // closed first: a frozen operator would not stop
    await("the stack Ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
        .until(() -> operator.ready(m.gatewayKey()) && operator.ready(m.policyKey()) && operator.httpStatus("/readyz") == 200);
    long generation = operator.observedGeneration(m.gatewayKey());
    double relists = operator.metric("openclaw_operator_host_relists_total");
    double reconnects = operator.metric("openclaw_operator_events_stream_reconnects_total");

    // Frozen, the operator cannot act on what happens next before the daemon goes.
    long frozen = System.nanoTime();
    signal("STOP");
    String breachBefore = sandboxes.nextName();
    String strangerBefore = run + "-stranger-before";
    try {
      runOk(sandboxes.run(breachBefore, breaching(sandboxes, breachBefore)), breachBefore);
      runOk(stranger(strangerBefore), strangerBefore);
      assertThat(engine.docker("update", "--memory", "128m", "--memory-swap", "128m", m.container("egress-proxy")).ok()).isTrue();
      assertThat(engine.docker("stop", m.container("model-proxy")).ok()).isTrue();
      assertThat(engine.docker("network", "disconnect", m.internal(), m.container("socket-proxy")).ok()).isTrue();
      engine.stopDaemon();
    } finally {
      signal("CONT");
    }
    long stopped = System.nanoTime();
    System.out.printf("[timing] drifts made and dockerd stopped %d ms after the operator was frozen%n", (stopped - frozen) / 1_000_000);

    // While the daemon is down: the spec changes, and the operator must stay up and say it cannot see the host.
    operator.write("gateway.yaml", gateway.replace("image: openclaw-standin/cache:dev\n    resources: {memory: 64Mi",
        "image: openclaw-standin/cache:dev\n    resources: {memory: 80Mi"));
    boolean sawNotReady = false;
    boolean healthyThroughout = true;
    while (System.nanoTime() - stopped < DOWN.toNanos()) {
      assertThat(operator.alive()).as("the operator keeps running while dockerd is down; log: %s", operator.log).isTrue();
      healthyThroughout &= operator.httpStatus("/healthz") == 200;
      sawNotReady |= operator.httpStatus("/readyz") == 503;
      Thread.sleep(500);
    }
    assertThat(healthyThroughout).as("/healthz answered 200 while dockerd was down").isTrue();
    assertThat(sawNotReady).as("/readyz said 503 while the operator could not follow the host").isTrue();

    engine.startDaemon();
    long up = System.nanoTime();
    System.out.printf("[timing] dockerd was down for %d ms%n", (up - stopped) / 1_000_000);
    // Breaches the moment the daemon answers, while the operator is still backing off its reconnection.
    String breachAfter = sandboxes.nextName();
    String strangerAfter = run + "-stranger-after";
    // Created for sure; started unless the operator, already back, removed it between create and start.
    created(sandboxes.run(breachAfter, breaching(sandboxes, breachAfter)), breachAfter);
    created(stranger(strangerAfter), strangerAfter);
    // /readyz is 200 again only once the events stream is open: 503 here means the breaches came before the operator reconnected.
    System.out.printf("[gap] breaches started %d ms after dockerd answered; /readyz then: %d%n", (System.nanoTime() - up) / 1_000_000,
        operator.httpStatus("/readyz"));

    List<String> breaches = List.of(breachBefore, strangerBefore, breachAfter, strangerAfter);
    try {
      await("every drift of the gap remedied").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
          .until(() -> unremedied(breaches, generation).isEmpty());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not remedied within 3 minutes: " + unremedied(breaches, generation) + "\noperator log (end):\n"
          + operator.logTail(80), e);
    }
    System.out.printf("[timing] every drift remedied %d ms after dockerd answered again%n", (System.nanoTime() - up) / 1_000_000);

    assertThat(operator.alive()).isTrue();
    assertThat(operator.metric("openclaw_operator_host_relists_total")).as("re-listed after the gap").isGreaterThan(relists);
    assertThat(operator.metric("openclaw_operator_events_stream_reconnects_total")).as("the events stream reopened").isGreaterThan(reconnects);
    List<ContainerView> all = containers();
    assertThat(all.stream().map(ContainerView::name).toList()).as("one container per component, nothing else")
        .containsExactlyInAnyOrderElementsOf(COMPONENTS.stream().map(m::container).toList());
    assertThat(all).allMatch(ContainerView::running);
    List<String> recorded = new ArrayList<>();
    operator.ownership().forEach(e -> recorded.add(e.path("id").asString("pending create")));
    assertThat(recorded).as("the state kept across the gap: ownership.json names the components, nothing else")
        .containsExactlyInAnyOrderElementsOf(all.stream().map(ContainerView::id).toList());
  }

  /** What is not (yet) as it should be after the gap; empty when everything is. */
  private List<String> unremedied(List<String> breaches, long generation) {
    List<String> out = new ArrayList<>();
    try {
      breaches.stream().filter(n -> inspect(n).isPresent()).forEach(n -> out.add(n + " still exists"));
      if (!inspect(m.container("egress-proxy")).map(c -> c.running() && c.memory() == 64L << 20).orElse(false)) out.add("egress-proxy limits");
      if (!inspect(m.container("model-proxy")).map(ContainerView::running).orElse(false)) out.add("model-proxy not running");
      if (!inspect(m.container("socket-proxy")).map(c -> c.running() && c.networks().getOrDefault(m.internal(), List.of()).contains("socket-proxy"))
          .orElse(false)) {
        out.add("socket-proxy not running on " + m.internal());
      }
      if (!inspect(m.container("cache")).map(c -> c.running() && c.memory() == 80L << 20).orElse(false)) out.add("cache not running with the new spec");
      if (!operator.readyAt(m.gatewayKey(), generation + 1)) out.add("gateway not Ready at generation " + (generation + 1) + ": " + operator.status(m.gatewayKey()));
      if (!operator.ready(m.policyKey())) out.add("policy not Ready: " + operator.status(m.policyKey()));
      if (operator.httpStatus("/readyz") != 200) out.add("/readyz not 200");
    } catch (RuntimeException e) {
      out.add("the engine did not answer: " + e.getMessage());
    }
    return out;
  }

  /** OpenClaw's sandbox shape with an added capability, brought back by the daemon when it starts. */
  private static List<String> breaching(Sandboxes sandboxes, String name) {
    List<String> flags = sandboxes.conforming(name);
    flags.addAll(List.of("--cap-add", "SYS_ADMIN", "--restart", "always"));
    return flags;
  }

  /** A container nobody labelled as a sandbox with an added capability: the host baseline's business. */
  private String stranger(String name) {
    return engine.docker("run", "-d", "--name", name, "--cap-add", "SYS_ADMIN", "--restart", "always", "--label", DockerHost.TEST_LABEL + "=" + run,
        DockerHost.SANDBOX_IMAGE).output();
  }

  private static void runOk(String output, String name) {
    assertThat(output).as("docker run %s", name).matches("[0-9a-f]{64}");
  }

  private static void created(String output, String name) {
    assertThat(output.lines().findFirst().orElse("")).as("docker run %s: %s", name, output).matches("[0-9a-f]{64}");
  }

  private void signal(String signal) throws Exception {
    new ProcessBuilder("kill", "-" + signal, Long.toString(operator.pid())).inheritIO().start().waitFor();
  }

  private Optional<ContainerView> inspect(String name) { return engine.api().inspectContainer(name); }

  private List<ContainerView> containers() {
    List<ContainerView> out = new ArrayList<>();
    for (DockerApi.ContainerSummary s : engine.api().listContainers()) engine.api().inspectContainer(s.id()).ifPresent(out::add);
    return out;
  }
}
