package io.openclaw.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.OwnEngine;
import io.openclaw.operator.testing.Sandboxes;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestManifests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host baseline without the authorization plugin: `run` judges every container on the host, labelled or not, and
 * kills and removes a breach where a GatewayDeployment enforces the baseline, and only reports it otherwise. On an
 * engine of the test's own, since an enforced baseline holds for every container of its engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostBaselineIT {

  private final OwnEngine own = new OwnEngine();
  private final String run = own.run;
  private final TestManifests m = own.m;
  private TestEngine engine;
  private OperatorHarness operator;

  @BeforeAll
  void startEngineAndOperator() throws Exception {
    engine = own.start(TestEngine.STANDIN_STACK);
    baseline("enforce");
    own.write("policy.yaml", m.policy(""));
    own.write("allowlist.yaml", m.allowlist("*.anthropic.com"));
    operator = own.closeFirst(OperatorHarness.start(engine.endpoint(), own.manifests(), own.work.resolve("operator-state"), null));
    await("the stack Ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> operator.ready(m.gatewayKey()) && operator.ready(m.policyKey()));
  }

  @AfterAll
  void removeEverything() throws Exception {
    own.close();
  }

  static Stream<Arguments> breaches() {
    return Stream.of(
        Arguments.of("container.docker_socket_mount", List.of("-v", "/var/run/docker.sock:/var/run/docker.sock")),
        Arguments.of("container.unconfined", List.of("--security-opt", "seccomp=unconfined")),
        Arguments.of("container.unconfined", List.of("--security-opt", "apparmor=unconfined")),
        Arguments.of("container.sensitive_mount", List.of("-v", "/etc:/host-etc:ro")),
        Arguments.of("container.host_namespace", List.of("--pid", "host")),
        // These two cannot start on this engine (capabilities cannot be applied here): judged created.
        Arguments.of("container.cap_add", List.of("--cap-add", "SYS_ADMIN")),
        Arguments.of("container.privileged", List.of("--privileged")));
  }

  @ParameterizedTest(name = "an unlabelled container with {1} is killed and removed ({0})")
  @MethodSource("breaches")
  void anEnforcedBaselineRemovesABreachNobodyLabelled(String rule, List<String> flags) {
    // Often removed between docker run's create and start ("marked for removal"): the breach then never runs.
    String name = create(flags, !rule.equals("container.cap_add") && !rule.equals("container.privileged"));
    await(name + " removed").atMost(Duration.ofSeconds(30)).until(() -> !exists(name));
    assertThat(operator.operator.metrics().scrape()).contains("reason=\"" + rule + "\",result=\"ok\"");
  }

  @Test
  void aSandboxWithoutSeccompIsRemovedByItsPolicy() {
    Sandboxes sandboxes = new Sandboxes(run, m.stateDir(), engine.host);
    String name = sandboxes.nextName();
    List<String> flags = new ArrayList<>(sandboxes.conforming(name));
    flags.addAll(List.of("--security-opt", "seccomp=unconfined"));
    sandboxes.run(name, flags);
    await(name + " removed").atMost(Duration.ofSeconds(30)).until(() -> !exists(name));
    assertThat(operator.operator.metrics().scrape()).contains("reason=\"sandbox.unconfined\",result=\"ok\"");
  }

  @Test
  void aReportedBaselineLeavesTheBreachRunningAndSaysSo() throws Exception {
    baseline("report");
    await("report mode in force").atMost(Duration.ofSeconds(30))
        .until(() -> operator.operator.store().entry(m.gatewayKey()).map(e -> e.inForce() != null
            && !((io.openclaw.operator.api.GatewayDeployment) e.inForce().resource()).getSpec().hostBaseline().enforcing()).orElse(false));
    try {
      String name = create(List.of("--security-opt", "apparmor=unconfined"), true);
      assertThat(exists(name)).isTrue();
      await("the breach reported").atMost(Duration.ofSeconds(30))
          .until(() -> operator.operator.metrics().scrape().contains("openclaw_operator_reported_violations_total{check=\"container.unconfined\"}"));
      assertThat(engine.docker("inspect", "-f", "{{.State.Running}}", name).output()).as("report mode changes nothing").isEqualTo("true");
    } finally {
      baseline("enforce");
    }
  }

  private void baseline(String mode) throws java.io.IOException {
    own.write("gateway.yaml", m.gateway("hostBaseline: {enforcement: " + mode + "}\n"));
  }

  private String create(List<String> flags, boolean start) {
    String name = run + "-bare-" + UUID.randomUUID().toString().substring(0, 4);
    List<String> args = new ArrayList<>(List.of(start ? "run" : "create"));
    if (start) args.add("-d");
    args.addAll(List.of("--name", name, "--network", "none", "--label", DockerHost.TEST_LABEL + "=" + run));
    args.addAll(flags);
    args.addAll(List.of(DockerHost.SANDBOX_IMAGE, "sleep", "infinity"));
    engine.docker(args.toArray(String[]::new));
    return name;
  }

  private boolean exists(String name) { return engine.docker("inspect", "-f", "{{.Id}}", name).ok(); }
}
