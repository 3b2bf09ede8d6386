package io.openclaw.operator.plan.render;

import static io.openclaw.operator.testing.Checks.timing;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicySpec;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rendered openclaw.json is the contract with OpenClaw: the real OpenClaw CLI (pinned, installed by
 * hack/openclaw.sh into a cache outside the checkout) must accept it with {@code openclaw config validate --json}.
 * A deliberately invalid file must be refused, so the check is known to be able to fail.
 */
class OpenClawConfigValidationIT {
  private static final GatewayDeploymentSpec GATEWAY = Fixtures.seed(GatewayDeployment.class).getSpec();
  private static final SandboxPolicy POLICY = Fixtures.seed(SandboxPolicy.class);
  private static final String SANDBOX_ROOT = GatewayStack.sandboxRoot(GATEWAY, POLICY);
  /** The wrapper's first run installs OpenClaw and Node (about 45 s, cached afterwards). */
  private static final long INSTALL_TIMEOUT_SECONDS = 600;
  /** One CLI run takes 2-3 s (security audit about 9 s) on this machine; generous for a loaded one. */
  private static final long RUN_TIMEOUT_SECONDS = 120;

  @TempDir static Path dir;
  static Path wrapper;

  @BeforeAll
  static void installOpenClaw() throws Exception {
    long t = System.nanoTime();
    Run path = run(List.of(Fixtures.repoRoot().resolve("hack/openclaw.sh").toString(), "path"), Map.of(), INSTALL_TIMEOUT_SECONDS);
    assertThat(path.exit()).as("hack/openclaw.sh path failed (npm must reach its registry for the first install): %s", path.stderr()).isZero();
    wrapper = Path.of(path.stdout().trim());
    assertThat(wrapper).isExecutable();
    timing("hack/openclaw.sh path (installs on first use)", t);
  }

  @Test
  void seedPolicyAndGatewayDenialsRenderAConfigOpenClawAccepts() throws Exception {
    assertValid("seed", OpenClawConfig.render(null, GATEWAY, POLICY.getSpec(), SANDBOX_ROOT));
  }

  @Test
  void seedMergedOverARealisticUserBaseRendersAConfigOpenClawAccepts() throws Exception {
    // A token of the right shape, made up for this run: the file it lands in is a secret, so it is never printed.
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    String base = """
        // The user's own settings; in production a Secret, since it holds tokens.
        {
          gateway: {mode: "local", bind: "loopback", port: 18789, auth: {mode: "token", token: "%s"}},
          channels: {telegram: {enabled: true, tokenFile: "/run/secrets/openclaw/telegram", dmPolicy: "pairing", allowFrom: ["123456789"]}},
          agents: {
            defaults: {model: {primary: "anthropic/claude-sonnet-4-5"}, sandbox: {mode: "off", scope: "session"}},
            entries: {main: {sandbox: {mode: "off", docker: {network: "bridge"}}}},
          },
          tools: {profile: "coding", deny: ["write"]},
        }
        """.formatted(token);
    String rendered = OpenClawConfig.render(OpenClawConfig.parseBase(base.getBytes(StandardCharsets.UTF_8)), GATEWAY, POLICY.getSpec(), SANDBOX_ROOT);
    JsonNode config = Yaml.JSON.readTree(rendered);
    assertThat(config.at("/gateway/auth/mode").asString()).as("the user's keys stay").isEqualTo("token");
    assertThat(config.at("/channels/telegram/tokenFile").asString()).isEqualTo("/run/secrets/openclaw/telegram");
    assertThat(config.at("/agents/entries/main/sandbox/mode").asString()).as("the policy wins per agent too").isEqualTo("all");
    assertThat(config.at("/agents/entries/main/sandbox/docker/network").asString()).isEqualTo("none");

    assertValid("seed over a user base", rendered);
  }

  @Test
  void readOnlyWorkspaceAndFractionalPruneValuesRoundedUpRenderAConfigOpenClawAccepts() throws Exception {
    SandboxPolicySpec policy = Fixtures.resource(SandboxPolicy.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata: {name: sandboxes}
        spec:
          gatewayRef: {name: openclaw}
          workspaceAccess: ro
          mounts: {sandboxRoot: /srv/openclaw/sandboxes, agentWorkspace: /srv/openclaw/workspace}
          resources: {memory: 512Mi, cpus: "1.5", pidsLimit: 64}
          prune: {idleHours: 1.5, maxAgeDays: 0.5}
        """).getSpec();
    String rendered = OpenClawConfig.render(null, GATEWAY, policy, "/srv/openclaw/sandboxes");
    JsonNode sandbox = Yaml.JSON.readTree(rendered).at("/agents/defaults/sandbox");
    assertThat(sandbox.path("workspaceAccess").asString()).isEqualTo("ro");
    assertThat(sandbox.at("/prune/idleHours").isIntegralNumber()).as("OpenClaw takes whole hours").isTrue();
    assertThat(sandbox.at("/prune/idleHours").asLong()).as("1.5 h rounded up").isEqualTo(2);
    assertThat(sandbox.at("/prune/maxAgeDays").asLong()).as("0.5 d rounded up").isEqualTo(1);
    assertThat(sandbox.at("/docker/cpus").decimalValue()).isEqualByComparingTo("1.5");

    assertValid("ro workspace, fractional prune", rendered);
  }

  @Test
  void everyGoldenOpenClawFileIsAConfigOpenClawAccepts() throws Exception {
    List<Path> goldens;
    try (Stream<Path> files = Files.list(Golden.file("openclaw"))) {
      goldens = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(goldens).isNotEmpty();
    // OpenClawConfigTest's user base writes the legacy agents.list (the renderer must handle it): OpenClaw accepts it
    // and warns that it moved it to agents.entries. Warnings on any other path would be about the operator's keys.
    for (Path golden : goldens) assertValid("golden " + golden.getFileName(), Files.readString(golden), "agents.entries");
  }

  /**
   * The model proxy as the only provider, as OpenClaw reads it: the key resolves from its file (a file SecretRef), the
   * catalog is the model proxy's models that spec.modelPolicy.allowed lets through, and nothing else. Without the key
   * file the reference is unresolved, so the check can fail.
   */
  @Test
  void theModelProxyIsTheOnlyProviderItsKeyResolvesFromTheFileAndTheAllowedModelsAreTheCatalog() throws Exception {
    Path key = write("model-proxy-key", "sk-test-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12)) + "\n");
    String rendered = OpenClawConfig.render(null, GATEWAY, POLICY.getSpec(), SANDBOX_ROOT).replace(ModelRouting.KEY_PATH, key.toString());
    Path config = write("routed", rendered);

    Run models = run(List.of(wrapper.toString(), "models", "list", "--json"), Map.of("OPENCLAW_CONFIG_PATH", config.toString()), RUN_TIMEOUT_SECONDS);
    assertThat(models.exit()).as("models list; stderr: %s", models.stderr()).isZero();
    JsonNode list = Yaml.JSON.readTree(models.stdout().substring(models.stdout().indexOf('{')));
    assertThat(list.path("models").findValuesAsString("key")).as("the model proxy's allowed models, no built-in provider's")
        .containsExactly("litellm/claude-opus-4-6", "litellm/claude-sonnet-4-6");
    System.out.println("[openclaw models] " + list.path("models").findValuesAsString("key") + " (haiku is served but not allowed)");

    JsonNode audit = secretsAudit(config);
    assertThat(audit.path("status").asString()).as("secrets audit: %s", audit).isEqualTo("clean");
    assertThat(audit.at("/resolution/refsChecked").asInt()).as("the key's SecretRef was resolved").isEqualTo(1);
    assertThat(audit.at("/summary/plaintextCount").asInt()).as("no key in plain text").isZero();

    Files.delete(key);
    JsonNode missing = secretsAudit(config);
    assertThat(missing.at("/summary/unresolvedRefCount").asInt()).as("without the key file: %s", missing).isEqualTo(1);
  }

  @Test
  void aNamePrefixWildcardInTheAllowListIsRefusedByOpenClawAndByTheSchema() throws Exception {
    ObjectNode config = (ObjectNode) Yaml.JSON.readTree(OpenClawConfig.render(null, GATEWAY, POLICY.getSpec(), SANDBOX_ROOT));
    ((ObjectNode) config.at("/agents/defaults/modelPolicy")).putArray("allow").add("litellm/claude-opus-*");

    Run r = validate("prefix wildcard", Yaml.json(config));

    assertThat(r.exit()).as("stdout: %s", r.stdout()).isEqualTo(1);
    assertThat(r.stdout()).contains("invalid model policy ref");
    assertThat("litellm/claude-opus-*").doesNotMatch(GatewayDeploymentSpec.ModelPolicy.ALLOWED_REF);
    assertThat("litellm/*").matches(GatewayDeploymentSpec.ModelPolicy.ALLOWED_REF);
  }

  private static JsonNode secretsAudit(Path config) throws Exception {
    Run r = run(List.of(wrapper.toString(), "secrets", "audit", "--json"), Map.of("OPENCLAW_CONFIG_PATH", config.toString()), RUN_TIMEOUT_SECONDS);
    return Yaml.JSON.readTree(r.stdout().substring(r.stdout().indexOf('{')));
  }

  @Test
  void userBaseWithAnUnknownKeyIsReportedInvalid() throws Exception {
    String rendered = OpenClawConfig.render(OpenClawConfig.parseBase("{bogusKey: true}".getBytes(StandardCharsets.UTF_8)), GATEWAY,
        POLICY.getSpec(), SANDBOX_ROOT);

    Run r = validate("unknown key", rendered);

    assertThat(r.exit()).as("exit code of an invalid config; stdout: %s", r.stdout()).isEqualTo(1);
    JsonNode result = Yaml.JSON.readTree(r.stdout());
    assertThat(result.path("valid").asBoolean(true)).isFalse();
    assertThat(result.path("issues")).hasSize(1);
    assertThat(result.at("/issues/0/path").asString()).isEqualTo("<root>");
    assertThat(result.at("/issues/0/message").asString()).isEqualTo("Unrecognized key: \"bogusKey\"");
  }

  @Test
  void securityAuditOfTheSeedConfigReportsNothingAgainstTheRenderedSandboxOrTools() throws Exception {
    Path config = write("audit", OpenClawConfig.render(null, GATEWAY, POLICY.getSpec(), SANDBOX_ROOT));
    long t = System.nanoTime();
    Run r = run(List.of(wrapper.toString(), "security", "audit", "--json"), Map.of("OPENCLAW_CONFIG_PATH", config.toString()), RUN_TIMEOUT_SECONDS);
    timing("openclaw security audit --json (seed)", t);

    assertThat(r.exit()).as("security audit; stderr: %s", r.stderr()).isZero();
    JsonNode report = Yaml.JSON.readTree(r.stdout());
    List<String> findings = new ArrayList<>();
    report.path("findings").forEach(f -> findings.add(f.path("severity").asString() + " " + f.path("checkId").asString()));
    // Informational: what OpenClaw says of the seed alone (gateway auth and file modes come from the user's base and host).
    System.out.println("[openclaw audit] seed config: summary " + report.path("summary") + ", findings " + findings);
    assertThat(report.path("summary").path("critical").isIntegralNumber()).as("an audit report").isTrue();
    assertThat(findings).as("findings against the operator's keys").noneMatch(f -> f.contains(" sandbox.") || f.contains(" tools."));
  }

  // ---- helpers

  private record Run(int exit, String stdout, String stderr) {}

  /** Valid, with no warning except on the given paths (each printed). */
  private static void assertValid(String what, String rendered, String... warningPathsAllowed) throws Exception {
    Run r = validate(what, rendered);
    assertThat(r.exit()).as("%s: openclaw config validate exit code; stdout: %s stderr: %s", what, r.stdout(), r.stderr()).isZero();
    JsonNode result = Yaml.JSON.readTree(r.stdout());
    assertThat(result.path("valid").asBoolean(false)).as("%s: %s", what, r.stdout()).isTrue();
    for (JsonNode w : result.path("warnings")) {
      System.out.println("[openclaw validate] " + what + ": warning at " + w.path("path").asString() + ": " + w.path("message").asString());
      assertThat(w.path("path").asString()).as("%s: a warning", what).isIn((Object[]) warningPathsAllowed);
    }
  }

  private static Run validate(String what, String rendered) throws Exception {
    Path config = write(what, rendered);
    long t = System.nanoTime();
    Run r = run(List.of(wrapper.toString(), "config", "validate", "--json"), Map.of("OPENCLAW_CONFIG_PATH", config.toString()), RUN_TIMEOUT_SECONDS);
    timing("config validate (" + what + ")", t);
    return r;
  }

  /** The file as the operator delivers it: mode 0600. */
  private static Path write(String what, String content) throws IOException {
    Path file = Files.createTempFile(dir, what.replaceAll("[^a-z0-9]+", "-"), ".json",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content);
    return file;
  }

  /** Runs a command with its output in files, so a hung process cannot block the test past the timeout. */
  private static Run run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
    }
    String stderr = Files.readString(err);
    return new Run(p.exitValue(), Files.readString(out), stderr.length() > 4000 ? stderr.substring(stderr.length() - 4000) : stderr);
  }
}
