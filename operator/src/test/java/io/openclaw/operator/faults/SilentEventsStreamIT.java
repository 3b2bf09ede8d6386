package io.openclaw.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.DockerProxy;
import io.openclaw.operator.testing.OperatorProcess;
import io.openclaw.operator.testing.OwnEngine;
import io.openclaw.operator.testing.Sandboxes;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestManifests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Docker events stream goes silent without closing (a proxy between operator and engine stops passing its bytes and
 * keeps the connection open; every other request still works). A breaching sandbox started then, followed by more
 * events than the daemon replays (256), can only be found by a re-list: the operator's watchdog (--events-watchdog)
 * reopens the silent stream, re-lists, and the sandbox is removed within about the watchdog's period — the periodic
 * resync is set far beyond the test.
 */
class SilentEventsStreamIT {
  private static final Duration WATCHDOG = Duration.ofSeconds(45);
  /** Created and removed containers: two events each, well past what the daemon keeps for {@code since}. */
  private static final int FLOOD = 200;

  private final OwnEngine own = new OwnEngine();
  private final String run = own.run;
  private final TestManifests m = own.m;
  private final Path work = own.work;
  private TestEngine engine;
  private DockerProxy proxy;
  private OperatorProcess operator;

  @AfterEach
  void removeEverything() throws Exception {
    own.close();
  }

  @Test
  void aSilentEventsStreamIsReopenedByTheWatchdogAndTheRelistFindsABreachTheStreamNeverShowed() throws Exception {
    engine = own.start(TestEngine.STANDIN_STACK);
    proxy = own.closeFirst(DockerProxy.start(work.resolve("docker.sock"), engine.dir.resolve("docker.sock")));
    Sandboxes sandboxes = new Sandboxes(run, m.stateDir(), engine.host);
    own.write("gateway.yaml", m.gateway(""));
    own.write("policy.yaml", m.policy(""));
    own.write("allowlist.yaml", m.allowlist("*.openai.com"));
    operator = own.closeFirst(OperatorProcess.start(own.manifests(), work.resolve("state"), work.resolve("operator.log"), proxy.host(),
        "--events-watchdog", WATCHDOG.toSeconds() + "s", "--resync", "30m"));
    await("the stack Ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
        .until(() -> operator.ready(m.gatewayKey()) && operator.ready(m.policyKey()) && operator.httpStatus("/readyz") == 200);

    // An event the operator receives just before the silence: the watchdog's clock starts now.
    long before = proxy.eventBytesDelivered();
    String poke = engine.api().createContainer(run + "-poke", harmless());
    await("the stream carries the poke").atMost(Duration.ofSeconds(30)).until(() -> proxy.eventBytesDelivered() > before);
    assertThat(proxy.silenceEventStreams()).as("the operator's events stream, silenced").isEqualTo(1);
    long silenced = System.nanoTime();
    double relists = operator.metric("openclaw_operator_host_relists_total");
    double reconnects = operator.metric("openclaw_operator_events_stream_reconnects_total");
    engine.api().remove(poke, true);

    String breach = sandboxes.nextName();
    List<String> flags = sandboxes.conforming(breach);
    flags.addAll(List.of("--cap-add", "SYS_ADMIN"));
    assertThat(sandboxes.run(breach, flags)).matches("[0-9a-f]{64}");
    Thread.sleep(3000);
    assertThat(engine.api().inspectContainer(breach)).as("unseen while the stream is silent (a live stream removes it in milliseconds)").isPresent();
    long flooding = System.nanoTime();
    // Four at a time: the flood must be over well before the watchdog fires, even on a busy machine.
    java.util.concurrent.ExecutorService flood = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int i = 0; i < FLOOD; i++) {
        String name = run + "-flood-" + i;
        done.add(flood.submit(() -> engine.api().remove(engine.api().createContainer(name, harmless()), true)));
      }
      for (var f : done) f.get();
    } finally {
      flood.shutdownNow();
    }
    System.out.printf("[timing] %d containers created and removed in %d ms, the breach's events out of the daemon's replay%n", FLOOD,
        (System.nanoTime() - flooding) / 1_000_000);
    assertThat(engine.api().inspectContainer(breach)).as("still unseen after the flood").isPresent();
    assertThat(operator.metric("openclaw_operator_events_stream_reconnects_total")).as("the watchdog has not fired yet").isEqualTo(reconnects);

    await("the breach removed after the watchdog's re-list").atMost(WATCHDOG.plusMinutes(2)).pollInterval(Duration.ofMillis(250))
        .until(() -> engine.api().inspectContainer(breach).isEmpty());
    System.out.printf("[timing] breach removed %d ms after the stream went silent (watchdog %d s)%n", (System.nanoTime() - silenced) / 1_000_000,
        WATCHDOG.toSeconds());

    String log = operator.logText();
    assertThat(log).as("the watchdog said it reopened the stream").containsPattern("events stream silent for \\d+ s, reopening it");
    assertThat(log.substring(log.lastIndexOf("events stream silent for"))).as("and re-listed after reopening").contains("re-listing");
    assertThat(operator.metric("openclaw_operator_events_stream_reconnects_total")).isGreaterThan(reconnects);
    assertThat(operator.metric("openclaw_operator_host_relists_total")).isGreaterThan(relists);
    assertThat(operator.alive()).isTrue();
  }

  /** A container that breaks nothing, started by nobody. */
  private ObjectNode harmless() {
    ObjectNode body = Yaml.JSON.createObjectNode();
    body.put("Image", DockerHost.SANDBOX_IMAGE);
    body.putObject("Labels").put(DockerHost.TEST_LABEL, run);
    body.putObject("HostConfig").put("NetworkMode", "none");
    return body;
  }
}
