package io.openclaw.operator.controller;

import static io.openclaw.operator.testing.Checks.report;
import static io.openclaw.operator.testing.Checks.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.audit.HostHardening;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.HostFixtures;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * `run` repeats the host checks of spec.hostHardening and says what it found as the HostHardened condition (on the
 * host's entry and at the top, beside the kstatus trio, which it leaves alone) and as metrics. The host is a fixture
 * root (the operator's view of a host's files, as through --host-root), changed while the operator runs; the shared
 * engine is not asked for its own settings here, since the fixture is not its host.
 */
class HostHardenedIT {
  @RegisterExtension static DockerHost docker = new DockerHost();
  @TempDir Path manifests;
  @TempDir Path state;
  @TempDir Path host;

  private final TestManifests m = new TestManifests(docker.runId());

  private static JsonNode condition(JsonNode conditions, String type) {
    for (JsonNode c : conditions) if (c.path("type").asString().equals(type)) return c;
    return tools.jackson.databind.node.MissingNode.getInstance();
  }

  @Test
  void theConditionFollowsTheHostAndLeavesReadinessAlone() throws Exception {
    HostFixtures.hardened(host);
    String hardening = "hostHardening: {sshPort: 2222, deployUser: deploy, allowedInboundPorts: [2222, 443], cloudflarePorts: [443]}";
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway(hardening));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.anthropic.com"));
    try (OperatorHarness op = OperatorHarness.start(docker, manifests, state, Duration.ofSeconds(60), Duration.ofMinutes(5),
        new Controller.HostCheck(Duration.ofSeconds(1), host, HostHardening.Live.NONE, false))) {
      long t = System.nanoTime();
      waitFor("Ready and HostHardened True", Duration.ofSeconds(90),
          () -> op.ready(m.gatewayKey()) && "True".equals(condition(op.status(m.gatewayKey()).path("conditions"), "HostHardened").path("status").asString()),
          () -> op.status(m.gatewayKey()).toString());
      report("stack Ready on a hardened host", t);
      JsonNode top = condition(op.status(m.gatewayKey()).path("conditions"), "HostHardened");
      assertThat(top.path("reason").asString()).isEqualTo("Hardened");
      assertThat(top.path("message").asString()).isEqualTo("16 host checks pass");
      assertThat(condition(op.status(m.gatewayKey()).path("hosts").get(0).path("conditions"), "HostHardened").path("status").asString())
          .as("on the host's own entry").isEqualTo("True");
      String gauge = "openclaw_operator_host_hardened{gateway=\"" + m.gatewayKey() + "\"}";
      assertThat(op.operator.metrics().scrape()).contains(gauge + " 1.0");

      // Someone opens a port and turns icc back on.
      t = System.nanoTime();
      Files.writeString(host.resolve("etc/ufw/user.rules"), "### tuple ### allow tcp 8080 0.0.0.0/0 any 0.0.0.0/0 in\n", java.nio.file.StandardOpenOption.APPEND);
      Files.writeString(host.resolve("etc/docker/daemon.json"), "{\"no-new-privileges\": true, \"icc\": true, \"live-restore\": true, \"userns-remap\": \"default\"}\n");
      waitFor("HostHardened False", Duration.ofSeconds(60),
          () -> "False".equals(condition(op.status(m.gatewayKey()).path("conditions"), "HostHardened").path("status").asString()),
          () -> op.status(m.gatewayKey()).toString());
      report("a port opened and icc on: HostHardened False", t);
      JsonNode broken = condition(op.status(m.gatewayKey()).path("conditions"), "HostHardened");
      System.out.println("[host] HostHardened " + broken.path("status").asString() + " " + broken.path("reason").asString() + ": "
          + broken.path("message").asString());
      assertThat(broken.path("reason").asString()).isEqualTo("NotHardened");
      assertThat(broken.path("message").asString()).startsWith("2 of 16 host checks fail: ").contains("daemon.icc: ")
          .contains("host.ufw.inbound_ports: UFW lets in 8080 from 0.0.0.0/0");
      assertThat(op.ready(m.gatewayKey())).as("Ready says the stack runs; the host's hardening is its own condition").isTrue();
      assertThat(op.operator.metrics().scrape()).contains(gauge + " 0.0")
          .contains("openclaw_operator_host_hardening_failures{gateway=\"" + m.gatewayKey() + "\"} 2.0");

      op.write("gateway.yaml", m.gateway(""));
      waitFor("no HostHardened once spec.hostHardening is gone", Duration.ofSeconds(60),
          () -> op.readyAt(m.gatewayKey(), 2) && condition(op.status(m.gatewayKey()).path("conditions"), "HostHardened").isMissingNode(),
          () -> op.status(m.gatewayKey()).toString());
    }
  }
}
