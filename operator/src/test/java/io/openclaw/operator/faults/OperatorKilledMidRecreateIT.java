package io.openclaw.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.DockerProxy;
import io.openclaw.operator.testing.OperatorProcess;
import io.openclaw.operator.testing.OwnEngine;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestManifests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The operator (the jar, a process of its own) is killed with SIGKILL in the middle of recreating the gateway, at each
 * step of the executor's recreation, and started again on the same state directory: it converges with exactly one
 * container per component, nothing left over, the gateway's named volume and the data in it kept, and ownership.json
 * naming exactly the containers there are. The kill points are exact: a proxy between operator and engine holds back
 * the request of the next step (or the daemon's answer to one), the operator is killed while it waits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorKilledMidRecreateIT {
  private static final List<String> COMPONENTS = List.of("gateway", "socket-proxy", "model-proxy", "cache", "egress-proxy");

  private final OwnEngine own = new OwnEngine();
  private final String run = own.run;
  private final TestManifests m = own.m;
  private final Path work = own.work;
  private final String volume = run + "-data";
  private final String marker = "kept-" + UUID.randomUUID();
  private TestEngine engine;
  private DockerProxy proxy;
  private OperatorProcess operator;
  private int generation;

  @BeforeAll
  void startEngineProxyAndOperator() throws Exception {
    engine = own.start(TestEngine.STANDIN_STACK);
    proxy = own.closeFirst(DockerProxy.start(work.resolve("docker.sock"), engine.dir.resolve("docker.sock")));
    own.write("allowlist.yaml", m.allowlist("*.anthropic.com"));
    own.write("gateway.yaml", gateway());
    operator = own.closeFirst(OperatorProcess.start(own.manifests(), work.resolve("state"), work.resolve("operator.log"), proxy.host()));
    long started = System.nanoTime();
    await("the stack Ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> operator.ready(m.gatewayKey()));
    System.out.printf("[timing] stack Ready %d ms after the operator started%n", (System.nanoTime() - started) / 1_000_000);
    // Data in the gateway's named volume, written by a container of its own (the volume is root's, the gateway runs as 1000).
    TestEngine.Cli wrote = engine.docker("run", "--rm", "--label", DockerHost.TEST_LABEL + "=" + run, "-v", volume + ":/data",
        DockerHost.SANDBOX_IMAGE, "sh", "-c", "echo " + marker + " > /data/marker");
    assertThat(wrote.ok()).as(wrote.output()).isTrue();
  }

  @AfterAll
  void removeEverything() throws Exception {
    own.close();
  }

  /** The gateway with a named volume and an environment variable whose value each kill point changes (a recreation). */
  private String gateway() {
    return m.gateway("").replace("    stateDir: " + m.stateDir() + "\n", "    stateDir: " + m.stateDir() + "\n"
        + "    env: {RECREATION: \"" + generation + "\"}\n    volumes: [{source: " + volume + ", target: /data}]\n");
  }

  /**
   * Where the recreation is when the operator dies. {@code answer}: the request went through and only the daemon's
   * answer is held back (the operator never learns it happened).
   */
  record KillPoint(String where, String requestLine, boolean answer) {
    @Override
    public String toString() { return where; }
  }

  static Stream<Arguments> killPoints() {
    String old = "OLD";
    return Stream.of(
        Arguments.of(new KillPoint("the old container stopped, not yet removed", "^DELETE /(v[0-9.]+/)?containers/" + old + "\\?", false)),
        Arguments.of(new KillPoint("the old container removed, the answer lost", "^DELETE /(v[0-9.]+/)?containers/" + old + "\\?", true)),
        Arguments.of(new KillPoint("the old container removed, the new one not yet created", "^POST /(v[0-9.]+/)?containers/create\\?name=NAME", false)),
        Arguments.of(new KillPoint("the new container created, the answer lost", "^POST /(v[0-9.]+/)?containers/create\\?name=NAME", true)),
        Arguments.of(new KillPoint("the new container created, its files not yet written", "^PUT /(v[0-9.]+/)?containers/(?!OLD)[0-9a-f]{64}/archive", false)),
        Arguments.of(new KillPoint("the new container created and filled, not yet started", "^POST /(v[0-9.]+/)?containers/(?!OLD)[0-9a-f]{64}/start", false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("killPoints")
  void killedMidRecreationTheRestartedOperatorConvergesWithOneContainerPerComponentAndTheVolumeKept(KillPoint point) throws Exception {
    await("the stack Ready before the change").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> operator.ready(m.gatewayKey()));
    String oldId = engine.api().inspectContainer(m.container("gateway")).orElseThrow().id();
    long observed = operator.observedGeneration(m.gatewayKey());
    var held = point.answer()
        ? proxy.holdAnswer(point.requestLine().replace("OLD", oldId).replace("NAME", m.container("gateway")))
        : proxy.holdRequest(point.requestLine().replace("OLD", oldId).replace("NAME", m.container("gateway")));
    generation++;
    long changed = System.nanoTime();
    operator.write("gateway.yaml", gateway());
    String line;
    try {
      line = held.get(2, TimeUnit.MINUTES);
    } finally {
      proxy.disarm();
    }
    operator.kill();
    System.out.printf("[timing] %s: the operator killed %d ms after the spec changed (held: %s)%n", point, (System.nanoTime() - changed) / 1_000_000, line);
    System.out.printf("[kill-point] containers at the kill: %s%n", describe(containers()));

    operator.restart();
    long restarted = System.nanoTime();
    await("converged after the restart").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() ->
        operator.readyAt(m.gatewayKey(), observed + 1) && gatewayHasTheNewSpec() && componentsOnceEach());
    System.out.printf("[timing] %s: converged %d ms after the restart%n", point, (System.nanoTime() - restarted) / 1_000_000);

    List<ContainerView> all = containers();
    assertThat(all).as("exactly one container per component and nothing else: %s", describe(all)).hasSize(COMPONENTS.size());
    assertThat(all.stream().map(ContainerView::name).toList()).containsExactlyInAnyOrderElementsOf(COMPONENTS.stream().map(m::container).toList());
    assertThat(all).as("every component running").allMatch(ContainerView::running);
    assertThat(engine.api().listVolumes()).as("the gateway's named volume kept").contains(volume);
    TestEngine.Cli read = engine.docker("exec", m.container("gateway"), "cat", "/data/marker");
    assertThat(read.output()).as("the data in the volume, seen by the new gateway").isEqualTo(marker);
    assertOwnershipNamesExactly(all);
  }

  private boolean gatewayHasTheNewSpec() {
    return engine.api().inspectContainer(m.container("gateway")).map(c -> c.running() && c.env().contains("RECREATION=" + generation)).orElse(false);
  }

  private boolean componentsOnceEach() {
    List<ContainerView> all = containers();
    return all.size() == COMPONENTS.size() && all.stream().allMatch(ContainerView::running);
  }

  /** ownership.json: no create pending, and exactly the components' ids, all of this deployment. */
  private void assertOwnershipNamesExactly(List<ContainerView> all) {
    JsonNode entries = operator.ownership();
    Set<String> recorded = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (JsonNode e : entries) {
      if (!e.path("nonce").isMissingNode()) problems.add("a create still pending: " + e);
      if (e.path("id").isMissingNode()) continue;
      recorded.add(e.path("id").asString());
      if (!e.path("owner").asString().equals(m.gatewayKey().toString())) problems.add("an entry of another owner: " + e);
    }
    assertThat(problems).as("ownership.json: %s", entries).isEmpty();
    assertThat(recorded).as("ownership.json records exactly the containers there are: %s", entries)
        .containsExactlyInAnyOrderElementsOf(all.stream().map(ContainerView::id).toList());
  }

  /** Every container on the engine (it is this test's own), inspected. */
  private List<ContainerView> containers() {
    List<ContainerView> out = new ArrayList<>();
    for (DockerApi.ContainerSummary s : engine.api().listContainers()) engine.api().inspectContainer(s.id()).ifPresent(out::add);
    return out;
  }

  private static String describe(List<ContainerView> all) {
    return all.stream().map(c -> c.name() + "(" + c.id().substring(0, 12) + " " + c.state() + " " + c.label(Labels.COMPONENT) + ")").sorted().toList().toString();
  }
}
