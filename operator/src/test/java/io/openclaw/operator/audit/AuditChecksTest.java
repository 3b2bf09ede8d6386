package io.openclaw.operator.audit;

import io.openclaw.operator.source.DesiredState;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.SecretPatterns;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.Severity;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.source.Sources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit's own checks, without Docker: parsing, verdicts, the report's shape. */
class AuditChecksTest {
  @TempDir Path root;

  private static final String PLANTED = "sk-ant-plantedValue0123456789abcdef";

  private static ContainerView container(String name, String extraConfig) {
    return ContainerView.fromInspect(Yaml.JSON.readTree("""
        {"Id": "%1$s-id", "Name": "/%1$s", "State": {"Status": "running"}, "Config": {"Image": "x" %2$s}, "HostConfig": {}}
        """.formatted(name, extraConfig)));
  }

  private static String failed(Verdicts v, String checkId) {
    return v.findings().stream().filter(f -> f.checkId().equals(checkId)).map(Finding::detail).findFirst().orElse(null);
  }

  @Test
  void socketProxyGrantsAreReadAsTheImageReadsThem() {
    ContainerView proxy = container("p", ", \"Env\": [\"CONTAINERS=1\", \"POST=true\", \"BUILD=0\", \"INFO=\", \"EXEC=2\", \"NOT_A_GRANT=1\"]");
    assertThat(StackChecks.grants(proxy).stream().map(Enum::name)).containsExactlyInAnyOrder("CONTAINERS", "POST", "EXEC");
  }

  @Test
  void socketProxyWithExactlyWhatOpenClawNeedsPassesEveryGrantCheck() {
    Verdicts v = new Verdicts();
    StackChecks.socketProxy(container("p", ", \"Env\": [\"CONTAINERS=1\", \"IMAGES=1\", \"EXEC=1\", \"PING=1\", \"POST=1\", \"BUILD=0\", \"EVENTS=0\"]"), v);
    assertThat(v.findings()).isEmpty();
    assertThat(v.of("p")).hasSize(7).allMatch(Verdicts.Verdict::passed);
  }

  @Test
  void theRenderedConfigOfTheExamplesMeetsEveryDenialCheckAndNamesTheNonTools() {
    DesiredState desired = DesiredState.of(Sources.fromDirectory(Path.of("../examples/local")), "examples/local", io.openclaw.operator.source.SecretReader.LOCAL);
    GatewayDeployment gwd = desired.gateways().get(0);
    SandboxPolicy policy = desired.policies().get(0);
    String rendered = OpenClawConfig.render(null, gwd.getSpec(), policy.getSpec(), GatewayStack.sandboxRoot(gwd.getSpec(), policy));
    ContainerView gateway = container("openclaw-gateway", "");
    Stack stack = new Stack("GatewayDeployment/default/openclaw", gwd, null, gateway, policy.getSpec().toolDenials(), gwd.getSpec().toolDenials().gateway());

    Verdicts v = new Verdicts();
    StackChecks.denials(stack, Optional.of(rendered.getBytes(StandardCharsets.UTF_8)), v);
    assertThat(v.findings()).extracting(Finding::checkId).containsExactly("tools.deny_no_effect");
    assertThat(failed(v, "tools.deny_no_effect")).contains("host_exec", "elevated", "docker", "camera");

    Verdicts withoutElevated = new Verdicts();
    String stripped = rendered.replace("\"enabled\" : false", "\"enabled\" : true").replace("\"nodes\",", "");
    StackChecks.denials(stack, Optional.of(stripped.getBytes(StandardCharsets.UTF_8)), withoutElevated);
    assertThat(failed(withoutElevated, "tools.deny_missing")).isEqualTo("tools.deny lacks nodes");
    assertThat(failed(withoutElevated, "tools.deny_not_covered")).contains("elevated: tools.elevated.enabled is not false")
        .contains("camera: nodes");
  }

  @Test
  void aMissingOrBrokenConfigDeniesNothing() {
    Stack stack = new Stack("GatewayDeployment/a/b", null, null, container("gw", ""), null, null);
    Verdicts missing = new Verdicts();
    StackChecks.denials(stack, Optional.empty(), missing);
    assertThat(failed(missing, "tools.deny_missing")).contains("there is no /etc/openclaw/openclaw.json");
    Verdicts broken = new Verdicts();
    StackChecks.denials(stack, Optional.of("[1, 2".getBytes(StandardCharsets.UTF_8)), broken);
    assertThat(failed(broken, "tools.deny_missing")).contains("not a valid JSON5 object");
  }

  @Test
  void sshdSettingsFollowSshdFirstValueWinsWithIncludesAndIgnoreMatchBlocks() throws Exception {
    Files.createDirectories(root.resolve("etc/ssh/sshd_config.d"));
    Files.writeString(root.resolve("etc/ssh/sshd_config"), """
        # comment
        Include /etc/ssh/sshd_config.d/*.conf
        PermitRootLogin yes
        passwordauthentication=no
        AllowUsers alice bob
        Match User alice
          X11Forwarding yes
        """);
    Files.writeString(root.resolve("etc/ssh/sshd_config.d/20-b.conf"), "PermitRootLogin prohibit-password\n");
    Files.writeString(root.resolve("etc/ssh/sshd_config.d/10-a.conf"), "PERMITROOTLOGIN no\n");
    Map<String, String> s = HostChecks.sshdSettings(new HostFiles(root));
    assertThat(s).containsEntry("permitrootlogin", "no").containsEntry("passwordauthentication", "no")
        .containsEntry("allowusers", "alice bob").doesNotContainKey("x11forwarding");

    Verdicts v = new Verdicts();
    HostChecks.sshd(new HostFiles(root), HostHardening.Expected.defaults(), v);
    assertThat(v.findings()).extracting(Finding::checkId).containsExactly("host.sshd.forwarding");
    assertThat(failed(v, "host.sshd.forwarding")).contains("AllowTcpForwarding yes (the default)").doesNotContain("X11Forwarding");
  }

  @Test
  void rootLoginYesIsCriticalAndTheDefaultOnlyAWarning() throws Exception {
    Files.createDirectories(root.resolve("etc/ssh"));
    Files.writeString(root.resolve("etc/ssh/sshd_config"), "PermitRootLogin yes\n");
    Verdicts yes = new Verdicts();
    HostChecks.sshd(new HostFiles(root), HostHardening.Expected.defaults(), yes);
    assertThat(yes.findings()).filteredOn(f -> f.checkId().equals("host.sshd.permit_root_login")).extracting(Finding::severity)
        .containsExactly(Severity.CRITICAL);
    Files.writeString(root.resolve("etc/ssh/sshd_config"), "\n");
    Verdicts fallback = new Verdicts();
    HostChecks.sshd(new HostFiles(root), HostHardening.Expected.defaults(), fallback);
    assertThat(fallback.findings()).filteredOn(f -> f.checkId().equals("host.sshd.permit_root_login"))
        .extracting(Finding::severity, Finding::detail).containsExactly(org.assertj.core.groups.Tuple.tuple(Severity.WARN,
            "PermitRootLogin prohibit-password (the default) in /etc/ssh/sshd_config (under " + root + ")"));
  }

  @Test
  void daemonDefaultIsReadFromDockerdsArgumentsAndItsConfigFile() throws Exception {
    HostSnapshot empty = new HostSnapshot(Map.of(), Map.of());
    Files.createDirectories(root.resolve("proc/4242"));
    Files.writeString(root.resolve("proc/4242/comm"), "dockerd\n");
    Files.writeString(root.resolve("proc/4242/cmdline"), "/usr/sbin/dockerd\0--config-file\0/etc/docker/other.json\0");
    HostFiles files = new HostFiles(root);
    assertThat(DaemonDefaults.probe(null, files, null, empty, Set.of())).isEqualTo(new DaemonDefaults.Default(false,
        "dockerd (pid 4242) runs without --no-new-privileges and /etc/docker/other.json (under " + root + ") does not exist"));

    Files.createDirectories(root.resolve("etc/docker"));
    Files.writeString(root.resolve("etc/docker/daemon.json"), "{\"no-new-privileges\": true}");
    assertThat(DaemonDefaults.probe(null, files, null, empty, Set.of()).on()).as("daemon.json is not the file dockerd reads").isFalse();
    Files.writeString(root.resolve("etc/docker/other.json"), "{\"no-new-privileges\": true}");
    assertThat(DaemonDefaults.probe(null, files, null, empty, Set.of()).on()).isTrue();

    Files.writeString(root.resolve("proc/4242/cmdline"), "/usr/sbin/dockerd\0--no-new-privileges\0");
    assertThat(DaemonDefaults.probe(null, files, null, empty, Set.of()).evidence()).isEqualTo("dockerd (pid 4242) runs with --no-new-privileges");
  }

  @Test
  void withoutHostFilesOrAContainerToAskTheDaemonDefaultIsUnknownNotGuessed() {
    DaemonDefaults.Default d = DaemonDefaults.probe(null, null, "remote host", new HostSnapshot(Map.of(), Map.of()), Set.of());
    assertThat(d.noNewPrivileges()).isNull();
    assertThat(d.evidence()).startsWith("remote host; no running container");
  }

  @Test
  void openClawsReportIsMergedWithItsSourceAndCredentialsRedacted() {
    String output = "warning: something first\r\n{\"ts\": 1, \"summary\": {\"critical\": 1}, \"findings\": [{\"checkId\": \"fs.state_dir.perms_world_writable\","
        + " \"severity\": \"critical\", \"title\": \"State dir writable\", \"detail\": \"token " + PLANTED + " found\"}]}\r\n";
    List<Finding> findings = OpenClawAudit.parse(output, "gw").orElseThrow();
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.checkId()).isEqualTo("fs.state_dir.perms_world_writable");
      assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(f.source()).isEqualTo("openclaw");
      assertThat(f.object()).isEqualTo("gw");
      assertThat(f.detail()).isEqualTo("token [redacted] found");
    });
    assertThat(OpenClawAudit.parse("OCI runtime exec failed: executable file not found", "gw")).isEmpty();
  }

  @Test
  void secretsAreFoundByNameOrShapeAndNeverQuoted() {
    ContainerView c = container("leaky", ", \"Env\": [\"DB_PASSWORD=hunter2\", \"AUTH=0\", \"CONFIG_FILE=/run/x\", \"GITHUB=ghp_abcdefghijklmnopqrstuvwxyz0123456789\"],"
        + " \"Cmd\": [\"serve\", \"--api-key\", \"" + PLANTED + "\", \"--auth=none\"], \"Labels\": {\"ok\": \"1\"}");
    Verdicts v = new Verdicts();
    ContainerAudit.secrets(c, v);
    Finding env = v.findings().stream().filter(f -> f.checkId().equals("secrets.env")).findFirst().orElseThrow();
    assertThat(env.detail()).contains("DB_PASSWORD: its name contains PASSWORD", "GITHUB: its value has the shape").doesNotContain("AUTH", "CONFIG_FILE");
    assertThat(env.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(failed(v, "secrets.command")).isEqualTo("argument 3: its value has the shape of a credential (value not shown)");
    assertThat(failed(v, "secrets.labels")).isNull();
    assertThat(v.findings().toString()).doesNotContain("hunter2").doesNotContain(PLANTED).doesNotContain("ghp_abc");
    assertThat(SecretPatterns.commandReasons(List.of("--token", "abc123xyz"))).containsExactly("argument 2: its name contains TOKEN");
  }

  @Test
  void oneRuleReportsOneObjectOnceAndTheReportCountsBySeverity() {
    Verdicts v = new Verdicts();
    v.fail(Check.SECRET_ENV.finding("c", "A (x)", Severity.WARN));
    v.fail(Check.SECRET_ENV.finding("c", "B (y)", Severity.CRITICAL));
    v.fail(Check.of(Rule.NETWORK_NOT_INTERNAL, "n", "not internal"));
    v.pass("n", Rule.NETWORK_NOT_INTERNAL.checkId, Rule.NETWORK_NOT_INTERNAL.title, "ignored: it failed");
    v.fail(Check.SOCKET_PROXY_INFO.finding("p", "INFO=1"));
    v.relay(new Finding("openclaw.check", Severity.WARN, "t", "d", "r", "gw", Finding.OPENCLAW));
    Report report = new Report(42, v.findings());
    assertThat(report.findings()).extracting(Finding::checkId).containsExactly("network.not_internal", "secrets.env", "openclaw.check",
        "socket_proxy.grant_info");
    assertThat(report.findings().get(1).detail()).isEqualTo("A (x); B (y)");
    assertThat(report.findings().get(1).severity()).isEqualTo(Severity.CRITICAL);
    var json = Yaml.JSON.readTree(report.toJson());
    assertThat(json.path("summary").toString()).isEqualTo("{\"critical\":2,\"warn\":1,\"info\":1}");
    assertThat(json.path("ts").asLong()).isEqualTo(42);
    assertThat(report.toTable()).startsWith("SEVERITY  CHECK").contains("(from openclaw)").endsWith("2 critical, 1 warn, 1 info\n");
  }

  @Test
  void aProviderKeyInTheGatewaysEnvironmentAndADiscouragedModelInItsLiveConfigAreFlagged() {
    GatewayDeployment seed = io.openclaw.operator.testing.Fixtures.seed(GatewayDeployment.class);
    ContainerView gateway = container("openclaw-gateway", ", \"Env\": [\"OPENAI_API_KEY=" + PLANTED + "\", \"TZ=UTC\"]");
    Stack stack = new Stack("GatewayDeployment/default/openclaw", seed, null, gateway, List.of(), List.of());
    String live = "{agents: {defaults: {model: {primary: \"litellm/claude-haiku-4-5\"}}}}";
    Verdicts v = new Verdicts();

    ModelChecks.judge(stack, Optional.of(live.getBytes(StandardCharsets.UTF_8)), v);

    assertThat(failed(v, "gateway.provider_credentials")).isEqualTo("OPENAI_API_KEY is a model provider's credential (openai)");
    assertThat(failed(v, "agents.model_discouraged")).startsWith("the default agent (agents.defaults) can act").contains("runs litellm/claude-haiku-4-5");
    assertThat(failed(v, "agents.model_not_allowed")).contains("spec.modelPolicy.allowed does not list");
    assertThat(v.findings()).noneMatch(f -> f.detail().contains(PLANTED));
  }

  @Test
  void theSeedsRenderedConfigPassesTheModelChecks() {
    GatewayDeployment seed = io.openclaw.operator.testing.Fixtures.seed(GatewayDeployment.class);
    SandboxPolicy policy = io.openclaw.operator.testing.Fixtures.seed(SandboxPolicy.class);
    String rendered = OpenClawConfig.render(null, seed.getSpec(), policy.getSpec(), null);
    Verdicts v = new Verdicts();

    ModelChecks.judge(new Stack("GatewayDeployment/default/openclaw", seed, null, container("openclaw-gateway", ""), List.of(), List.of()),
        Optional.of(rendered.getBytes(StandardCharsets.UTF_8)), v);

    assertThat(v.findings()).isEmpty();
    assertThat(v.of("openclaw-gateway")).extracting(Verdicts.Verdict::checkId)
        .containsExactly("gateway.provider_credentials", "agents.model_discouraged", "agents.model_not_allowed");
  }
}
