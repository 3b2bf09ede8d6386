package io.openclaw.operator.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.OwnEngine;
import io.openclaw.operator.testing.TestEngine;
import io.openclaw.operator.testing.TestManifests;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Containers dressed as the operator's own, next to a running operator with the baseline enforced: the operator's
 * label keys with forged values (owner, component, spec hash, a creation nonce), names one letter off its components',
 * a 60 KB label and odd environment. None breaches the baseline, so the operator adopts, renames, stops and removes
 * none of them, and its stack stays Ready beside them (ownership is by recorded id: DESIGN.md §5). On an engine of the
 * test's own, as HostBaselineIT, since the enforced baseline holds for every container of its engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileContainersIT {

  private final OwnEngine own = new OwnEngine();
  private final String run = own.run;
  private final TestManifests m = own.m;
  private TestEngine engine;
  private OperatorHarness operator;

  @BeforeAll
  void startEngineAndOperator() throws Exception {
    engine = own.start(TestEngine.STANDIN_STACK);
    own.write("gateway.yaml", m.gateway("hostBaseline: {enforcement: enforce}\n"));
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

  @Test
  void containersForgingTheOperatorsLabelsAndNamesAreNeitherAdoptedNorTouched() throws Exception {
    String gateway = m.container("gateway");
    List<String> names = List.of(gateway + "-", gateway.toUpperCase(java.util.Locale.ROOT), m.container("model-proxy") + "2",
        run + "-hostile-" + UUID.randomUUID().toString().substring(0, 4));
    Map<String, String> ids = new LinkedHashMap<>();
    for (String name : names) {
      List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none", "--label", DockerHost.TEST_LABEL + "=" + run,
          "--label", Labels.MANAGED_BY + "=" + Labels.MANAGER, "--label", Labels.OWNER + "=" + m.gatewayKey(),
          "--label", Labels.COMPONENT + "=gateway", "--label", Labels.SPEC_HASH + "=" + "0".repeat(64),
          "--label", Ownership.CREATION_LABEL + "=" + UUID.randomUUID(), "--label", "x-big=" + "x".repeat(60_000),
          // Look-alike keys (the CLI refuses a key with whitespace; the API would take it, and the unit fuzz covers it).
          "--label", "Hardening.openclaw.io/owner=" + m.gatewayKey(), "--label", "hardening.\u043epenclaw.io/owner=" + m.gatewayKey(), "-e", "OPENCLAW=\u00ff\u0001 " + "y".repeat(2000),
          DockerHost.SANDBOX_IMAGE, "sleep", "infinity"));
      TestEngine.Cli created = engine.docker(args.toArray(String[]::new));
      assertThat(created.ok()).as(created.output()).isTrue();
      ids.put(name, engine.docker("inspect", "-f", "{{.Id}}", name).output().trim());
    }
    Instant start = Instant.now();
    // Long enough for the events of their creation and a resync to reach every planner.
    await("the hostile containers seen and left alone").during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofSeconds(1)).until(() -> ids.entrySet().stream().allMatch(e ->
            engine.docker("inspect", "-f", "{{.Id}} {{.State.Running}}", e.getKey()).output().trim().equals(e.getValue() + " true")));
    System.out.printf("hostile containers untouched for %d s%n", Duration.between(start, Instant.now()).toSeconds());

    String ownership = Files.readString(own.work.resolve("operator-state/ownership.json"));
    for (String id : ids.values()) assertThat(ownership).as("ownership.json").doesNotContain(id);
    assertThat(operator.ready(m.gatewayKey())).as("the stack stays Ready beside look-alikes").isTrue();
    assertThat(engine.docker("inspect", "-f", "{{.Name}}", gateway).output().trim()).isEqualTo("/" + gateway);
  }
}
