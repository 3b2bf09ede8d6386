package io.openclaw.operator.controller;

import static io.openclaw.operator.testing.Checks.exec;
import static io.openclaw.operator.testing.Checks.timing;
import static io.openclaw.operator.testing.Checks.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.Hashing;
import io.openclaw.operator.plan.render.SmokescreenConfig;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.TestManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The EgressAllowlist on the real engine: its ACL and config file are delivered into the egress proxy, a changed list
 * restarts that container and no other, and a bad edit changes nothing that runs.
 */
class EgressAllowlistIT {
  @RegisterExtension static DockerHost docker = new DockerHost().keepStackBetweenTests();
  static final List<String> COMPONENTS = List.of("gateway", "socket-proxy", "model-proxy", "cache", "egress-proxy");
  static final List<String> SEED_DOMAINS = List.of("*.anthropic.com", "*.openai.com");
  /** Kept the same in every test: deny ranges are arguments, and changed arguments recreate the proxy. */
  static final String DENY_RANGES = "denyRanges: [10.0.0.0/8, 203.0.113.0/24]";
  static Path manifests;
  static Path state;
  static OperatorHarness op;
  static TestManifests m;

  @BeforeAll
  static void startOperator() throws Exception {
    manifests = Files.createTempDirectory("eal-manifests");
    state = Files.createTempDirectory("eal-state");
    m = new TestManifests(docker.runId());
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway(""));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlistWith(DENY_RANGES, SEED_DOMAINS));
    long t = System.nanoTime();
    op = OperatorHarness.start(docker, manifests, state);
    waitFor("the stack and its allowlist to be Ready", Duration.ofSeconds(60),
        () -> op.ready(m.gatewayKey()) && op.ready(m.allowlistKey()), () -> op.status(m.allowlistKey()).toString());
    timing("stack Ready with its allowlist", t);
  }

  @AfterAll
  static void stopOperator() throws Exception {
    if (op != null) op.close();
  }

  @BeforeEach
  void seedAllowlist() throws Exception {
    inForce(m.allowlistWith(DENY_RANGES, SEED_DOMAINS));
  }

  /** Writes the allowlist and waits until it is Ready at exactly this spec: the proxy runs its ACL. */
  static void inForce(String yaml) throws Exception {
    op.write("egress.yaml", yaml);
    waitFor("the allowlist to be Ready at the new spec", Duration.ofSeconds(60),
        () -> op.applied(m.allowlistKey(), yaml) && op.ready(m.allowlistKey()), () -> op.status(m.allowlistKey()).toString());
  }

  @Test
  void changedDomainsRestartOnlyTheEgressProxyWhichThenRunsTheNewAcl() throws Exception {
    Map<String, String> before = idsAndStartTimes();
    String oldHash = op.status(m.allowlistKey()).path("aclHash").asString();
    String yaml = m.allowlistWith(DENY_RANGES, List.of("*.anthropic.com", "api.mistral.ai"));

    long t = System.nanoTime();
    inForce(yaml);
    timing("changed domains enforced by the proxy", t);

    Map<String, String> after = idsAndStartTimes();
    String proxy = m.container("egress-proxy");
    // Restarted in place, not recreated: the spec hash covers files by path, mode and owner only, so a new ACL is
    // uploaded into the same container and that container restarted (Smokescreen cannot reload its ACL).
    assertThat(id(after.get(proxy))).as("the egress proxy keeps its container").isEqualTo(id(before.get(proxy)));
    assertThat(startedAt(after.get(proxy))).as("the egress proxy restarted").isNotEqualTo(startedAt(before.get(proxy)));
    for (String alias : COMPONENTS) {
      if (alias.equals("egress-proxy")) continue;
      assertThat(after.get(m.container(alias))).as(alias + " untouched (same container, same start)").isEqualTo(before.get(m.container(alias)));
    }
    byte[] acl = readFile(SmokescreenConfig.ACL_PATH);
    assertThat(new String(acl, StandardCharsets.UTF_8)).as("the ACL in the proxy")
        .isEqualTo(SmokescreenConfig.acl(Fixtures.resource(EgressAllowlist.class, yaml))).contains("\"api.mistral.ai\"")
        .doesNotContain("openai");
    String hash = op.status(m.allowlistKey()).path("aclHash").asString();
    assertThat(Hashing.sha256(acl)).as("sha256 of the live ACL is status.aclHash").isEqualTo(hash);
    assertThat(hash).as("the hash changed with the list").isNotEqualTo(oldHash).hasSize(64);
    assertThat(op.status(m.allowlistKey()).path("hosts").get(0).path("aclHash").asString()).isEqualTo(hash);
  }

  @Test
  void proxyRunsWithTheConfigFileAndEveryDenyRangeAndFilesOnlyItsUserCanRead() throws Exception {
    ContainerView proxy = docker.api().inspectContainer(m.container("egress-proxy")).orElseThrow();

    assertThat(proxy.command()).as("the proxy's arguments").contains("--config-file=" + SmokescreenConfig.CONFIG_PATH,
        "--egress-acl-file=" + SmokescreenConfig.ACL_PATH, "--deny-range=10.0.0.0/8", "--deny-range=203.0.113.0/24");
    assertThat(proxy.command()).endsWith(SmokescreenConfig.args(
        Fixtures.resource(EgressAllowlist.class, m.allowlistWith(DENY_RANGES, SEED_DOMAINS)), 4750).toArray(String[]::new));
    String config = new String(readFile(SmokescreenConfig.CONFIG_PATH), StandardCharsets.UTF_8);
    assertThat(config).isEqualTo(SmokescreenConfig.CONFIG);
    assertThat(config.lines()).as("Smokescreen admits requests without a client-certificate role").contains("allow_missing_role: true");

    assertThat(proxy.user()).isEqualTo("65534:65534");
    for (String file : List.of(SmokescreenConfig.ACL_PATH, SmokescreenConfig.CONFIG_PATH)) {
      assertThat(modeAndOwner(proxy, "-ln", file)).as(file + ": mode 0600, owned by the proxy's user").isEqualTo("-rw------- 65534:65534");
    }
    assertThat(modeAndOwner(proxy, "-lnd", SmokescreenConfig.DIR)).as(SmokescreenConfig.DIR + ": mode 0700, owned by the proxy's user")
        .isEqualTo("drwx------ 65534:65534");
  }

  /** "mode uid:gid" of a path as ls -n shows it inside the container. */
  private static String modeAndOwner(ContainerView c, String lsFlags, String path) {
    String[] columns = exec("docker", "exec", c.name(), "ls", lsFlags, path).trim().split("\\s+");
    return columns[0] + " " + columns[2] + ":" + columns[3];
  }

  @ParameterizedTest
  @ValueSource(strings = {"*.com", "https://api.openai.com"})
  void badDomainStallsNamingTheEntryAndLeavesTheRunningProxyAndAclAlone(String bad) throws Exception {
    Map<String, String> before = idsAndStartTimes();
    byte[] aclBefore = readFile(SmokescreenConfig.ACL_PATH);
    String hashBefore = op.status(m.allowlistKey()).path("aclHash").asString();

    long t = System.nanoTime();
    op.write("egress.yaml", m.allowlistWith(DENY_RANGES, List.of("*.anthropic.com", bad)));
    waitFor("Stalled InvalidSpec naming " + bad, Duration.ofSeconds(30),
        () -> "True".equals(op.condition(m.allowlistKey(), "Stalled")) && op.reason(m.allowlistKey(), "Stalled").contains(bad),
        () -> op.status(m.allowlistKey()).toString());
    timing("bad domain " + bad + " reported", t);

    String stalled = op.reason(m.allowlistKey(), "Stalled");
    assertThat(stalled).startsWith("InvalidSpec: ").contains("spec.domains[1]").contains("\"" + bad + "\"")
        .contains("the last valid list stays in force");
    assertThat(op.condition(m.allowlistKey(), "Ready")).isEqualTo("False");
    // Nothing may move afterwards either: give the operator time to act wrongly, then look again.
    await("the proxy and its ACL to stay as they were").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200)).until(() -> idsAndStartTimes().equals(before));
    assertThat(readFile(SmokescreenConfig.ACL_PATH)).as("the running ACL").isEqualTo(aclBefore);
    assertThat(op.status(m.allowlistKey()).path("aclHash").asString()).as("status.aclHash of the list in force").isEqualTo(hashBefore);
    assertThat(op.ready(m.gatewayKey())).as("the gateway is unaffected").isTrue();
  }

  @Test
  void moreThanTenDomainsAreEnforcedAndReadyWithAWarning() throws Exception {
    List<String> eleven = List.of("api.anthropic.com", "api.openai.com", "api.mistral.ai", "generativelanguage.googleapis.com",
        "api.cohere.com", "api.groq.com", "api.together.xyz", "api.deepseek.com", "api.x.ai", "openrouter.ai", "api.perplexity.ai");
    String yaml = m.allowlistWith(DENY_RANGES, eleven);

    inForce(yaml);

    assertThat(op.reason(m.allowlistKey(), "Ready")).startsWith("Ready: 11 domain(s) enforced by the egress proxy of " + m.run).contains("warning: 11 domains allowed; every domain is an exfiltration channel");
    assertThat(op.status(m.allowlistKey()).path("domains").asInt()).isEqualTo(11);
    String acl = new String(readFile(SmokescreenConfig.ACL_PATH), StandardCharsets.UTF_8);
    assertThat(acl).isEqualTo(SmokescreenConfig.acl(Fixtures.resource(EgressAllowlist.class, yaml)));
    eleven.forEach(d -> assertThat(acl).contains("- \"" + d + "\""));
  }

  // ---- helpers

  private static byte[] readFile(String path) {
    return docker.api().readFile(m.container("egress-proxy"), path).orElseThrow(() -> new AssertionError(path + " is not in the egress proxy"));
  }

  /** Container name to "id startedAt" for every component. */
  private static Map<String, String> idsAndStartTimes() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String alias : COMPONENTS) {
      out.put(m.container(alias), exec("docker", "inspect", "-f", "{{.Id}} {{.State.StartedAt}}", m.container(alias)).trim());
    }
    return out;
  }

  private static String id(String idAndStart) { return idAndStart.split(" ")[0]; }

  private static String startedAt(String idAndStart) { return idAndStart.split(" ")[1]; }
}
