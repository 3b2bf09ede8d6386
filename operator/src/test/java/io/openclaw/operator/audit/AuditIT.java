package io.openclaw.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.cli.Main;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.host.Ownership;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.TestManifests;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * audit and explain on the real engine, invoked as the command line runs them. A deliberately broken host is built
 * from stand-in containers created through the API (the privileged ones are created, never started: this engine
 * refuses to start them, and the audit judges them by inspect all the same).
 */
class AuditIT {
  @RegisterExtension static DockerHost docker = new DockerHost();
  @TempDir Path manifests;
  @TempDir Path hostRoot;

  private final TestManifests m = new TestManifests(docker.runId());
  private final String run = docker.runId();
  /** Credential-shaped, planted in env, command and labels: it must never be printed. */
  private final String secret = "sk-planted" + run.replace("-", "") + "Qx7Zk2Lm9Pw4Rt6Yb1";

  /** Every check the broken host must fire, each exactly once per object, with the objects it must fire on. */
  private Map<String, List<String>> expectedOnBrokenHost() {
    Map<String, List<String>> e = new TreeMap<>();
    e.put("container.privileged", List.of(run + "-priv"));
    e.put("container.cap_add", List.of(run + "-capadd"));
    e.put("container.no_new_privileges_missing", List.of(run + "-nonnp"));
    e.put("container.host_namespace", List.of(run + "-hostns"));
    e.put("container.docker_socket_mount", List.of(run + "-sockmount"));
    e.put("container.memory_limit_missing", List.of(run + "-nomem"));
    e.put("container.pids_limit_missing", List.of(run + "-nopids"));
    for (String id : List.of("privileged", "capabilities", "no_new_privileges", "network", "mounts", "host_namespace", "memory", "cpus", "pids")) {
      e.put("sandbox." + id, List.of(run + "-sbx-breach"));
    }
    // The cap is judged per sandbox: the newest beyond it is the one the planner kills.
    e.put("sandbox.max_concurrent", List.of(run + "-sbx-2"));
    e.put("network.not_internal", List.of(m.internal()));
    e.put("network.missing", List.of(run + "-b-egr", run + "-b-int"));
    e.put("network.foreign_container", List.of(run + "-bridge"));
    e.put("component.missing", List.of(run + "-b-cache", run + "-b-egress-proxy", run + "-b-gateway", run + "-b-model-proxy",
        run + "-b-socket-proxy", m.container("cache"), m.container("egress-proxy"), m.container("model-proxy")));
    // The gateway and the socket proxy were recorded as the operator's own, but not made from the current spec.
    e.put("component.spec_changed", List.of(m.container("gateway"), m.container("socket-proxy")));
    e.put("component.network_missing", List.of(m.container("gateway"), m.container("socket-proxy")));
    e.put("component.limits", List.of(m.container("gateway"), m.container("socket-proxy")));
    e.put("component.not_running", List.of(m.container("socket-proxy")));
    for (String id : List.of("forbidden_grant", "excess_grant", "grant_info", "grant_version", "grant_events", "post_missing", "required_missing")) {
      e.put("socket_proxy." + id, List.of(m.container("socket-proxy")));
    }
    for (String id : List.of("env", "command", "labels")) e.put("secrets." + id, List.of(run + "-leaky"));
    for (String id : List.of("deny_missing", "deny_no_effect", "deny_not_covered")) e.put("tools." + id, List.of(m.container("gateway")));
    e.put("openclaw.audit_unavailable", List.of(m.container("gateway")));
    e.put("daemon.no_new_privileges_default", List.of("daemon"));
    // The daemon's own report of its settings is a fact of this engine, shared with everyone: expected as it reports them.
    HostHardening.DaemonFacts engine = HostHardening.DaemonFacts.read(docker.api());
    if (!Boolean.TRUE.equals(engine.iccDisabled())) e.put("daemon.icc", List.of("daemon"));
    if (!Boolean.TRUE.equals(engine.liveRestore())) e.put("daemon.live_restore", List.of("daemon"));
    if (!Boolean.TRUE.equals(engine.usernsRemap())) e.put("daemon.userns_remap", List.of("daemon"));
    for (String id : List.of("sshd.permit_root_login", "sshd.password_authentication", "sshd.allow_users_missing", "sshd.forwarding",
        "ufw.inactive", "ufw.default_policy", "fail2ban.missing")) {
      e.put("host." + id, List.of("host"));
    }
    e.put("audit.invalid_manifest", List.of("GatewayDeployment/" + run + "/" + run + "-bad"));
    return e;
  }

  @Test
  void brokenHostFiresEveryCheckExactlyOnceForItsObjectAndExitsOne() throws Exception {
    brokenHost();
    Output out = cli("audit", "--json", "--deep", "--host-root", hostRoot.toString(), "--manifests", manifests.toString(), "--state-dir", state());
    assertThat(out.exit).as("exit code with critical findings; stderr: " + out.err).isEqualTo(1);
    List<JsonNode> ours = ours(Yaml.JSON.readTree(out.out));
    Map<String, List<String>> objectsByCheck = new TreeMap<>();
    ours.forEach(f -> objectsByCheck.computeIfAbsent(f.path("checkId").asString(), k -> new ArrayList<>()).add(f.path("object").asString()));
    Map<String, List<String>> expected = expectedOnBrokenHost();
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      assertThat(objectsByCheck.get(e.getKey())).as(e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
    }
    assertThat(objectsByCheck.keySet()).as("nothing fires beyond the expected checks").containsExactlyInAnyOrderElementsOf(expected.keySet());
    Set<String> keys = new HashSet<>();
    for (JsonNode f : ours) assertThat(keys.add(f.path("source").asString() + f.path("checkId").asString() + f.path("object").asString())).isTrue();
    System.out.printf("[audit] broken host: %d findings of this run, %d check ids%n", ours.size(), objectsByCheck.size());
  }

  @Test
  void jsonOutputHasOpenClawsShape() throws Exception {
    brokenHost();
    long before = System.currentTimeMillis();
    Output out = cli("audit", "--json", "--manifests", manifests.toString(), "--state-dir", state());
    JsonNode report = Yaml.JSON.readTree(out.out);
    assertThat(iterable(report.propertyNames())).containsExactly("ts", "summary", "findings");
    assertThat(report.path("ts").isIntegralNumber()).isTrue();
    assertThat(report.path("ts").asLong()).isBetween(before, System.currentTimeMillis());
    assertThat(iterable(report.path("summary").propertyNames())).containsExactly("critical", "warn", "info");
    Map<String, Integer> counts = new LinkedHashMap<>(Map.of("critical", 0, "warn", 0, "info", 0));
    for (JsonNode f : report.path("findings")) {
      assertThat(iterable(f.propertyNames())).containsExactly("checkId", "severity", "title", "detail", "remediation", "object", "source");
      assertThat(f.path("severity").asString()).isIn("critical", "warn", "info");
      assertThat(f.path("source").asString()).isIn("operator", "openclaw");
      for (String field : List.of("checkId", "title", "detail", "remediation", "object")) {
        assertThat(f.path(field).asString()).as(field).isNotBlank();
      }
      assertThat(f.path("checkId").asString()).matches("[a-z0-9_]+(\\.[a-z0-9_]+)+");
      counts.merge(f.path("severity").asString(), 1, Integer::sum);
    }
    counts.forEach((severity, n) -> assertThat(report.path("summary").path(severity).asInt()).as(severity).isEqualTo(n));
    assertThat(report.path("summary").path("critical").asInt()).isPositive();
  }

  @Test
  void plantedSecretNeverAppearsInAnyOutput() throws Exception {
    brokenHost();
    List<Output> outputs = List.of(
        cli("audit", "--json", "--deep", "--host-root", hostRoot.toString(), "--manifests", manifests.toString(), "--state-dir", state()),
        cli("audit", "--deep", "--host-root", hostRoot.toString(), manifests.toString(), "--state-dir", state()),
        cli("audit", "--state-dir", state()),
        cli("explain", run + "-leaky", "--manifests", manifests.toString(), "--state-dir", state()),
        cli("explain", run + "-leaky", "--state-dir", state()),
        cli("explain", m.container("gateway"), "--manifests", manifests.toString(), "--state-dir", state()),
        cli("explain", "sandboxpolicy/" + run + "-sandboxes", "--manifests", manifests.toString(), "--state-dir", state()));
    for (Output o : outputs) {
      assertThat(o.out + o.err).as(o.command).doesNotContain(secret).doesNotContain(secret.substring(0, 20));
    }
    // The secret is there to be found: the findings name where, never what.
    assertThat(outputs.get(1).out).contains("OPENAI_API_KEY").contains("argument 3").contains("deploy.token");
  }

  @Test
  void explainShowsEachRuleWithItsVerdictAndWhatTheOperatorWouldDo() throws Exception {
    brokenHost();
    Output sandbox = cli("explain", run + "-sbx-breach", "--manifests", manifests.toString(), "--state-dir", state());
    assertThat(sandbox.exit).as(sandbox.err).isZero();
    System.out.println(sandbox.out);
    assertThat(sandbox.out).contains("sandbox governed by " + m.policyKey())
        .containsPattern("FAIL +sandbox\\.privileged +\\(.*\\) runs privileged")
        .containsPattern("FAIL +sandbox\\.mounts .*/etc")
        .containsPattern("PASS +secrets\\.env")
        .contains("The operator would: kill and remove it (sandbox.privileged: runs privileged");

    Output conforming = cli("explain", run + "-sbx-1", "--manifests", manifests.toString(), "--state-dir", state());
    assertThat(conforming.out).containsPattern("PASS +sandbox\\.network +network mode none").doesNotContain("FAIL");

    Output proxy = cli("explain", m.container("socket-proxy"), "--manifests", manifests.toString(), "--state-dir", state());
    System.out.println(proxy.out);
    assertThat(proxy.out).contains("component socketProxy of " + m.gatewayKey() + ": judged against its spec")
        .containsPattern("INFO +component\\.spec_changed")
        .containsPattern("PASS +component\\.security_breach")
        .containsPattern("FAIL +socket_proxy\\.forbidden_grant +grants BUILD")
        .containsPattern("INFO +socket_proxy\\.grant_events")
        .contains("The operator would: stop it and create it anew from its spec")
        .contains("socket_proxy.forbidden_grant, socket_proxy.excess_grant, socket_proxy.post_missing, socket_proxy.required_missing: advisory");

    Output bridge = cli("explain", run + "-bridge", "--manifests", manifests.toString(), "--state-dir", state());
    assertThat(bridge.out).contains("it is on the network of a GatewayDeployment")
        .containsPattern("FAIL +network\\.foreign_container")
        .contains("disconnect it from " + m.internal() + " (" + run + "-bridge is on " + m.internal() + " but is not part of " + m.gatewayKey() + ")");

    Output policy = cli("explain", "sandboxpolicy/" + run + "-sandboxes", "--manifests", manifests.toString(), "--state-dir", state());
    System.out.println(policy.out);
    assertThat(policy.exit).as(policy.err).isZero();
    assertThat(policy.out).contains(m.policyKey().toString())
        .contains("capDrop:", "- ALL", "network: none", "execGracePeriod: 10m", "maxConcurrent: 1", "- host_exec")
        .contains("sandboxRoot: " + m.stateDir() + "/sandboxes (from the gateway's stateDir)")
        .containsPattern("FAIL +" + run + "-sbx-breach +created +sandbox\\.privileged.* -> would kill and remove it")
        .containsPattern("PASS +" + run + "-sbx-1 +running")
        .containsPattern("PASS +" + run + "-sbx-2 +running +-> would kill and remove it \\(2 sandboxes running, cap 1");
  }

  @Test
  void withoutDesiredStateEveryContainerIsStillJudgedAndTheReportSaysSo() throws Exception {
    brokenHost();
    Output out = cli("audit", "--json", "--state-dir", state());
    assertThat(out.exit).isEqualTo(1);
    JsonNode report = Yaml.JSON.readTree(out.out);
    List<JsonNode> findings = new ArrayList<>();
    report.path("findings").forEach(findings::add);
    assertThat(findings).anySatisfy(f -> {
      assertThat(f.path("checkId").asString()).isEqualTo("audit.desired_state_missing");
      assertThat(f.path("severity").asString()).isEqualTo("info");
    });
    List<String> ours = ours(report).stream().map(f -> f.path("checkId").asString() + " " + f.path("object").asString()).toList();
    // Sandboxes fall back to the baseline; the stack is known from the state directory's record of what the operator made.
    assertThat(ours).contains("container.privileged " + run + "-sbx-breach", "container.privileged " + run + "-priv",
        "socket_proxy.forbidden_grant " + m.container("socket-proxy"), "tools.deny_no_effect " + m.container("gateway"))
        .doesNotContain("container.docker_socket_mount " + m.container("socket-proxy"));
    assertThat(ours).noneMatch(f -> f.startsWith("sandbox."));
  }

  @Test
  void ourLabelsOnAContainerWeDidNotRecordProveNothing() throws Exception {
    brokenHost();
    // Another state directory: no record of the stack, only its labels, which any client with POST can write.
    Output out = cli("audit", "--json", "--state-dir", manifests.resolve("no-record").toString());
    List<String> ours = ours(Yaml.JSON.readTree(out.out)).stream().map(f -> f.path("checkId").asString() + " " + f.path("object").asString()).toList();
    assertThat(ours).contains("container.docker_socket_mount " + m.container("socket-proxy"))
        .noneMatch(f -> f.startsWith("socket_proxy."));
  }

  @Test
  void unreadableHostFilesAreReportedAsNotCheckedNeverGuessed() throws Exception {
    Path empty = Files.createDirectories(hostRoot.resolve("empty"));
    Output out = cli("audit", "--json", "--deep", "--host-root", empty.toString());
    Map<String, String> host = new TreeMap<>();
    for (JsonNode f : Yaml.JSON.readTree(out.out).path("findings")) {
      if (f.path("object").asString().equals("host")) host.put(f.path("checkId").asString(), f.path("severity").asString());
    }
    assertThat(host).containsExactlyInAnyOrderEntriesOf(Map.of("host.sshd.not_checked", "info", "host.ufw.not_checked", "info",
        "host.fail2ban.not_checked", "info"));
  }

  @Test
  void conformingHostGivesNoCriticalFinding() throws Exception {
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway(""));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.anthropic.com"));
    Files.writeString(manifests.resolve("policy.yaml"), policy(""));
    conformingHostFiles();
    try (OperatorHarness op = OperatorHarness.start(docker, manifests, hostRoot.resolve("operator-state"))) {
      await("the stack Ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .until(() -> op.ready(m.gatewayKey()) && op.ready(m.policyKey()));
      container(run + "-sbx-ok").sandbox().limits().noNewPrivileges().networkMode("none").start();
      long t = System.nanoTime();
      Output out = cli("audit", "--json", "--deep", "--host-root", hostRoot.resolve("root").toString(), "--manifests", manifests.toString(),
          "--state-dir", hostRoot.resolve("operator-state").toString());
      System.out.printf("[timing] audit --deep of the host took %d ms%n", (System.nanoTime() - t) / 1_000_000);
      JsonNode report = Yaml.JSON.readTree(out.out);
      List<JsonNode> ours = ours(report);
      System.out.println("[audit] conforming host, this run's findings: " + ours.stream().map(f -> f.path("severity").asString() + " "
          + f.path("checkId").asString() + " " + f.path("object").asString()).toList());
      assertThat(ours).noneSatisfy(f -> assertThat(f.path("severity").asString()).isEqualTo("critical"));
      // Only the daemon's settings (facts of this engine) warn; the stack itself yields information only.
      assertThat(ours).allSatisfy(f -> assertThat(f.path("severity").asString().equals("info")
          || f.path("object").asString().equals("daemon")).as(f.toString()).isTrue());
      assertThat(ours).anySatisfy(f -> assertThat(f.path("checkId").asString()).isEqualTo("tools.deny_no_effect"));
      assertThat(ours).anySatisfy(f -> assertThat(f.path("checkId").asString()).isEqualTo("openclaw.audit_unavailable"));
      assertThat(out.exit).as("exit 1 exactly when the host has a critical finding (others share this engine)")
          .isEqualTo(report.path("summary").path("critical").asInt() > 0 ? 1 : 0);
    }
  }

  private static Output withoutKubeconfig(java.util.concurrent.Callable<Output> call) throws Exception {
    String before = System.getProperty("kubeconfig");
    System.setProperty("kubeconfig", "/nonexistent/kubeconfig");
    try {
      return call.call();
    } finally {
      if (before == null) System.clearProperty("kubeconfig");
      else System.setProperty("kubeconfig", before);
    }
  }

  @Test
  void usageErrorsExit64AndAnUnreachableClusterExits69() throws Exception {
    assertThat(cli("explain", run + "-no-such-container").exit).isEqualTo(64);
    assertThat(cli("explain", "sandboxpolicy/whatever").exit).isEqualTo(64);
    // No cluster is configured for the test (no kubeconfig, not in a pod): a clear usage error, not a stack trace.
    Output k8s = withoutKubeconfig(() -> cli("audit", "--kubernetes"));
    assertThat(k8s.exit).isEqualTo(69);
    assertThat(k8s.err).contains("cannot read the resources from the cluster");
    assertThat(cli("audit", "--no-such-flag").exit).isEqualTo(64);
    assertThat(cli("audit", hostRoot.resolve("missing").toString()).exit).isEqualTo(64);
  }

  // ---- the broken host

  private void brokenHost() throws Exception {
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway(""));
    Files.writeString(manifests.resolve("gateway-b.yaml"), m.gateway("").replace("name: " + run + "\n", "name: " + run + "-b\n")
        .replace("{internal: " + run + "-int, egress: " + run + "-egr, ingress: " + run + "-ing}",
            "{internal: " + run + "-b-int, egress: " + run + "-b-egr, ingress: " + run + "-b-ing}").replace("/state", "/state-b"));
    Files.writeString(manifests.resolve("gateway-bad.yaml"), m.gateway("").replace("name: " + run + "\n", "name: " + run + "-bad\n")
        .replace("  gateway:\n", "  noSuchField: 1\n  gateway:\n"));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.anthropic.com"));
    Files.writeString(manifests.resolve("policy.yaml"), policy("maxConcurrent: 1"));
    brokenHostFiles();

    DockerApi api = docker.api();
    network(m.internal());
    network(m.egress());
    String owner = m.gatewayKey().toString();

    container(m.container("gateway")).image("openclaw-standin/gateway:dev").limits().noNewPrivileges().owner(owner, "gateway")
        .networkMode(m.internal()).create();
    api.putFiles(m.container("gateway"), List.of(new DockerApi.ArchiveFile(OpenClawConfig.DIR, null, 0700, 0, 0),
        new DockerApi.ArchiveFile(OpenClawConfig.PATH, """
            {"tools": {"deny": ["process", "elevated", "host_exec", "docker", "camera"]}, "gateway": {"tools": {"deny": ["gateway"]}}}
            """.getBytes(StandardCharsets.UTF_8), 0600, 0, 0)));
    api.start(m.container("gateway"));
    container(m.container("socket-proxy")).limits().noNewPrivileges().owner(owner, "socketProxy").networkMode(m.internal())
        .bind("/var/run/docker.sock:/var/run/docker.sock:ro")
        .env("CONTAINERS=1", "IMAGES=1", "EXEC=1", "PING=0", "POST=0", "BUILD=1", "NETWORKS=1", "INFO=1", "VERSION=1", "EVENTS=1", "SECRETS=0").create();
    container(run + "-bridge").limits().noNewPrivileges().networkMode(m.internal()).create();
    api.connect(m.egress(), run + "-bridge", List.of());

    container(run + "-priv").limits().noNewPrivileges().privileged().create();
    container(run + "-capadd").limits().noNewPrivileges().capAdd("NET_ADMIN").create();
    container(run + "-nonnp").limits().start();
    container(run + "-hostns").limits().noNewPrivileges().pidMode("host").create();
    container(run + "-sockmount").limits().noNewPrivileges().bind("/var/run/docker.sock:/var/run/docker.sock").create();
    container(run + "-nomem").limits().memory(0).noNewPrivileges().create();
    container(run + "-nopids").limits().pids(0).noNewPrivileges().create();
    container(run + "-leaky").limits().noNewPrivileges().env("OPENAI_API_KEY=" + secret)
        .cmd("sleep", "infinity", "--token=" + secret).label("deploy.token", secret).create();

    // The operator's record of what it created: the gateway and the socket proxy (labels alone would prove nothing).
    Ownership.open(Path.of(state())).seed(m.gatewayKey(), List.of(api.inspectContainer(m.container("gateway")).orElseThrow().id(),
        api.inspectContainer(m.container("socket-proxy")).orElseThrow().id()));

    container(run + "-sbx-breach").sandbox().privileged().capAdd("SYS_ADMIN").noCapDrop().bind("/etc:/host-etc:ro").pidMode("host").create();
    container(run + "-sbx-1").sandbox().limits().noNewPrivileges().networkMode("none").start();
    container(run + "-sbx-2").sandbox().limits().noNewPrivileges().networkMode("none").start();
  }

  /** The operator's state directory of this run: where it records the containers it made. */
  private String state() { return hostRoot.resolve("operator-state").toString(); }

  /**
   * This run's policy, selecting by a label of its own instead of openclaw.sandbox: an operator of another test run
   * sharing this engine may enforce a policy that selects every openclaw.sandbox=1 container, and would remove the
   * breaching sandboxes before the audit sees them.
   */
  private String policy(String extra) {
    return m.policy(extra).replace("openclaw.sandbox: \"1\", ", SANDBOX_LABEL + ": \"1\", ");
  }

  private static final String SANDBOX_LABEL = "audit-it.sandbox";

  private void brokenHostFiles() throws Exception {
    write("etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n");
    write("etc/ssh/sshd_config.d/10-local.conf", "PasswordAuthentication yes\nX11Forwarding yes\n");
    write("etc/ufw/ufw.conf", "ENABLED=no\n");
    write("etc/default/ufw", "DEFAULT_INPUT_POLICY=\"ACCEPT\"\n");
  }

  private void conformingHostFiles() throws Exception {
    Path root = hostRoot.resolve("root");
    write(root, "etc/ssh/sshd_config", """
        PermitRootLogin no
        PasswordAuthentication no
        AllowUsers admin
        AllowTcpForwarding no
        AllowAgentForwarding no
        AllowStreamLocalForwarding no
        X11Forwarding no
        Match User admin
          PermitRootLogin yes
        """);
    write(root, "etc/ufw/ufw.conf", "ENABLED=yes\n");
    write(root, "etc/default/ufw", "DEFAULT_INPUT_POLICY=\"DROP\"\n");
    write(root, "etc/fail2ban/jail.conf", "[sshd]\nenabled = true\n");
  }

  private void write(String relative, String text) throws Exception { write(hostRoot, relative, text); }

  private static void write(Path root, String relative, String text) throws Exception {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private void network(String name) {
    ObjectNode body = Yaml.JSON.createObjectNode().put("Name", name).put("Driver", "bridge");
    body.putObject("Labels").put(DockerHost.TEST_LABEL, run);
    docker.api().createNetwork(body);
  }

  /** This run's findings: objects named after the run, and the host-wide ones. */
  private List<JsonNode> ours(JsonNode report) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode f : report.path("findings")) {
      String object = f.path("object").asString();
      if (object.contains(run) || object.equals("daemon") || object.equals("host")) out.add(f);
    }
    return out;
  }

  private static List<String> iterable(java.util.Collection<String> names) { return List.copyOf(names); }

  // ---- running the command line in-process

  private record Output(String command, int exit, String out, String err) {}

  private static Output cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Output(String.join(" ", args), exit, out.toString(), err.toString());
  }

  // ---- containers made through the API, with the run's label

  private Container container(String name) { return new Container(name); }

  private final class Container {
    private final String name;
    private final ObjectNode body = Yaml.JSON.createObjectNode();
    private final ObjectNode host;

    Container(String name) {
      this.name = name;
      body.put("Image", DockerHost.SANDBOX_IMAGE);
      body.putObject("Labels").put(DockerHost.TEST_LABEL, run);
      host = body.putObject("HostConfig");
      host.putArray("CapDrop").add("ALL");
    }

    Container image(String image) { body.put("Image", image); return this; }

    Container limits() {
      host.put("Memory", 64L << 20).put("MemorySwap", 64L << 20).put("NanoCpus", 250_000_000L).put("PidsLimit", 64);
      return this;
    }

    Container memory(long bytes) { host.put("Memory", bytes).put("MemorySwap", bytes); return this; }

    Container pids(long limit) { host.put("PidsLimit", limit); return this; }

    Container noNewPrivileges() { host.putArray("SecurityOpt").add("no-new-privileges"); return this; }

    Container privileged() { host.put("Privileged", true); return this; }

    Container capAdd(String cap) { host.putArray("CapAdd").add(cap); return this; }

    Container noCapDrop() { host.remove("CapDrop"); return this; }

    Container pidMode(String mode) { host.put("PidMode", mode); return this; }

    Container networkMode(String mode) { host.put("NetworkMode", mode); return this; }

    Container bind(String bind) { host.withArray("Binds").add(bind); return this; }

    Container env(String... kv) { for (String e : kv) body.withArray("Env").add(e); return this; }

    Container cmd(String... args) { for (String a : args) body.withArray("Cmd").add(a); return this; }

    Container label(String key, String value) { ((ObjectNode) body.get("Labels")).put(key, value); return this; }

    Container sandbox() { return label(SANDBOX_LABEL, "1"); }

    Container owner(String owner, String component) {
      return label(Labels.MANAGED_BY, Labels.MANAGER).label(Labels.OWNER, owner).label(Labels.COMPONENT, component);
    }

    String create() { return docker.api().createContainer(name, body); }

    String start() {
      String id = create();
      docker.api().start(id);
      return id;
    }
  }
}
