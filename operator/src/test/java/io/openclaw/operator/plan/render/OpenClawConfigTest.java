package io.openclaw.operator.plan.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicySpec;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Golden;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The gateway's openclaw.json: the user's base deep-merged with the operator's keys, which win. */
class OpenClawConfigTest {
  private static final GatewayDeploymentSpec GATEWAY = Fixtures.seed(GatewayDeployment.class).getSpec();
  private static final SandboxPolicy POLICY = Fixtures.seed(SandboxPolicy.class);
  private static final String SANDBOX_ROOT = GatewayStack.sandboxRoot(GATEWAY, POLICY);
  private static final List<String> AGENT_DENIALS = List.of("process", "browser", "nodes", "gateway", "sessions_spawn", "sessions_send",
      "elevated", "host_exec", "docker", "camera", "canvas", "cron");
  private static final List<String> GATEWAY_DENIALS = List.of("gateway", "sessions_spawn", "sessions_send", "elevated", "host_exec",
      "docker", "camera", "canvas", "cron");

  /** A user's base as OpenClaw reads it (JSON5): it loosens the sandbox globally and for one agent, and denies extra tools. */
  private static final String BASE = """
      // The user's own settings; channels hold tokens.
      {
        channels: {telegram: {enabled: true, tokenFile: "/run/secrets/openclaw/telegram"}},
        agents: {
          defaults: {
            model: {primary: "anthropic/claude-sonnet-4"},
            sandbox: {mode: "off", scope: "session", docker: {network: "bridge", image: "openclaw-sandbox:custom", memory: "8g"}},
          },
          list: [
            {id: "main", default: true, sandbox: {mode: "off", workspaceAccess: "rw", docker: {network: "host", capDrop: []}}},
            {id: "helper", tools: {deny: ["write"]}},
          ],
        },
        tools: {deny: ["write", "process"], elevated: {enabled: true}, profile: "coding"},
        gateway: {port: 18789, tools: {deny: ["sessions_history"]}},
      }
      """;

  private static JsonNode base(String json5) { return OpenClawConfig.parseBase(json5.getBytes(StandardCharsets.UTF_8)); }

  private static JsonNode tree(String json) { return Yaml.JSON.readTree(json); }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  private static String render(JsonNode base) { return OpenClawConfig.render(base, GATEWAY, POLICY.getSpec(), SANDBOX_ROOT); }

  @Test
  void seedPolicyAndGatewayDenialsWithoutABaseRenderTheGoldenFile() {
    Golden.assertMatches("openclaw/seed-without-base.json", render(null));
  }

  @Test
  void seedPolicyMergedOverAUserBaseRendersTheGoldenFile() {
    Golden.assertMatches("openclaw/seed-with-base.json", render(base(BASE)));
  }

  @Test
  void policyIsRenderedIntoAgentsDefaultsSandbox() {
    JsonNode sandbox = tree(render(null)).at("/agents/defaults/sandbox");

    assertThat(sandbox.path("mode").asString()).isEqualTo("all");
    assertThat(sandbox.path("workspaceAccess").asString()).isEqualTo("none");
    assertThat(sandbox.path("workspaceRoot").asString()).isEqualTo("/var/lib/openclaw/sandboxes");
    JsonNode docker = sandbox.path("docker");
    assertThat(docker.path("network").asString()).isEqualTo("none");
    assertThat(strings(docker.path("capDrop"))).containsExactly("ALL");
    assertThat(docker.path("memory").asString()).isEqualTo("1g");
    assertThat(docker.path("memorySwap").asString()).as("swap counted: memorySwap equals memory").isEqualTo("1g");
    assertThat(docker.path("cpus").decimalValue()).isEqualByComparingTo("1");
    assertThat(docker.path("pidsLimit").asLong()).isEqualTo(512);
    assertThat(docker.path("readOnlyRoot").asBoolean()).isTrue();
    assertThat(sandbox.path("prune").path("idleHours").asLong()).isEqualTo(12);
    assertThat(sandbox.path("prune").path("maxAgeDays").asLong()).isEqualTo(3);
  }

  @Test
  void denialsAreRenderedWithTheSettingsThatReallyTurnThingsOff() {
    JsonNode config = tree(render(null));

    assertThat(strings(config.at("/tools/deny"))).isEqualTo(AGENT_DENIALS);
    assertThat(strings(config.at("/gateway/tools/deny"))).isEqualTo(GATEWAY_DENIALS);
    assertThat(config.at("/tools/elevated/enabled").asBoolean(true)).isFalse();
    assertThat(config.at("/tools/exec/host").asString()).isEqualTo("sandbox");
  }

  /** A gateway with nothing but what the schema requires: no model proxy, no model policy, no workspace files. */
  private static final GatewayDeploymentSpec BARE = Fixtures.resource(GatewayDeployment.class, """
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: GatewayDeployment
      metadata: {name: bare}
      spec:
        gateway: {image: openclaw:1}
        socketProxy: {image: proxy:1}
        egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}}
      """).getSpec();

  @Test
  void withoutAPolicyOnlyTheGatewayDenialsAreRendered() {
    assertThat(tree(OpenClawConfig.render(null, BARE, null, null)))
        .isEqualTo(tree("{\"gateway\": {\"tools\": {\"deny\": " + Yaml.json(GATEWAY_DENIALS) + "}}}"));
  }

  /** A base that calls providers itself: a provider with its key in the file, provider variables in env.vars. */
  private static final String DIRECT_BASE = """
      {
        env: {vars: {ANTHROPIC_API_KEY: "sk-ant-FAKEFAKEFAKEFAKEFAKEFAKE", OPENAI_BASE_URL: "https://api.openai.com/v1", TZ: "UTC"}},
        models: {mode: "merge", providers: {
          anthropic: {apiKey: "sk-ant-FAKEFAKEFAKEFAKEFAKEFAKE", models: [{id: "claude-opus-4-6", name: "Opus"}]},
          litellm: {baseUrl: "https://litellm.elsewhere.example", apiKey: "inline"},
        }},
        secrets: {providers: {gatewaytoken: {source: "file", path: "/run/secrets/openclaw/gateway-token"}}},
      }
      """;

  @Test
  void theModelProxyIsTheOnlyProviderAndItsKeyIsAFileSecretRef() {
    JsonNode config = tree(render(base(DIRECT_BASE)));

    assertThat(config.at("/models/mode").asString()).as("no built-in provider stays in the catalog").isEqualTo("replace");
    assertThat(config.at("/models/providers").propertyNames()).as("the base's providers are left out").containsExactly(ModelRouting.PROVIDER);
    JsonNode litellm = config.at("/models/providers/litellm");
    assertThat(litellm.path("baseUrl").asString()).isEqualTo("http://model-proxy:4000");
    assertThat(litellm.path("api").asString()).isEqualTo("openai-completions");
    assertThat(litellm.at("/request/allowPrivateNetwork").asBoolean()).isTrue();
    assertThat(litellm.path("apiKey")).isEqualTo(tree("{\"source\": \"file\", \"provider\": \"modelproxykey\", \"id\": \"value\"}"));
    assertThat(config.at("/secrets/providers/modelproxykey")).isEqualTo(
        tree("{\"source\": \"file\", \"path\": \"/run/secrets/openclaw/model-proxy-key\", \"mode\": \"singleValue\"}"));
    assertThat(config.at("/secrets/providers/gatewaytoken/path").asString()).as("the base's own secret providers stay")
        .isEqualTo("/run/secrets/openclaw/gateway-token");
    assertThat(config.at("/env/vars").propertyNames()).as("provider variables are left out, others stay").containsExactly("TZ");
    assertThat(ModelRouting.directRoutes(config, ModelRouting.baseUrl(GATEWAY.modelProxy()), List.of())).as("what the rule finds in it").isEmpty();
    assertThat(litellm.path("models").findValuesAsString("id")).containsExactly("claude-opus-4-6", "claude-sonnet-4-6", "claude-haiku-4-5");
  }

  @Test
  void theModelPolicyIsRenderedIntoTheDefaultsAndIntoEveryAgentsOwnPolicy() {
    JsonNode config = tree(render(base("""
        {agents: {entries: {
          coder: {modelPolicy: {allow: []}, model: "litellm/claude-haiku-4-5"},
          writer: {},
        }}}
        """)));

    assertThat(config.at("/agents/defaults/model/primary").asString()).isEqualTo("litellm/claude-opus-4-6");
    assertThat(strings(config.at("/agents/defaults/modelPolicy/allow"))).containsExactly("litellm/claude-opus-4-6", "litellm/claude-sonnet-4-6");
    assertThat(strings(config.at("/agents/entries/coder/modelPolicy/allow"))).as("an agent's own allow-any is overridden")
        .containsExactly("litellm/claude-opus-4-6", "litellm/claude-sonnet-4-6");
    assertThat(config.at("/agents/entries/coder/model").asString()).as("an agent's own model is the user's; validate and audit judge it")
        .isEqualTo("litellm/claude-haiku-4-5");
    assertThat(config.at("/agents/entries/writer/modelPolicy").isMissingNode()).as("an agent without a policy of its own inherits").isTrue();
  }

  @Test
  void theWorkspaceIsWhereTheOperatorWritesTheAgentsFiles() {
    assertThat(tree(render(null)).at("/agents/defaults/workspace").asString()).isEqualTo("/var/lib/openclaw/workspace");
    SandboxPolicy elsewhere = Fixtures.resource(SandboxPolicy.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata: {name: p}
        spec:
          gatewayRef: {name: openclaw}
          mounts: {agentWorkspace: /srv/agent}
        """);
    assertThat(tree(OpenClawConfig.render(null, GATEWAY, elsewhere.getSpec(), null)).at("/agents/defaults/workspace").asString())
        .isEqualTo("/srv/agent");
    assertThat(tree(OpenClawConfig.render(null, BARE, null, null)).at("/agents/defaults/workspace").isMissingNode())
        .as("no workspace files, no workspace key").isTrue();
  }

  @Test
  void operatorKeysWinOverTheBaseAndTheBasesOtherKeysStay() {
    JsonNode config = tree(render(base(BASE)));
    JsonNode sandbox = config.at("/agents/defaults/sandbox");

    assertThat(sandbox.path("mode").asString()).isEqualTo("all");
    assertThat(sandbox.at("/docker/network").asString()).isEqualTo("none");
    assertThat(sandbox.at("/docker/memory").asString()).isEqualTo("1g");
    assertThat(config.at("/tools/elevated/enabled").asBoolean(true)).isFalse();
    // What the operator does not set is the user's.
    assertThat(sandbox.path("scope").asString()).isEqualTo("session");
    assertThat(sandbox.at("/docker/image").asString()).isEqualTo("openclaw-sandbox:custom");
    assertThat(config.at("/agents/defaults/model/primary").asString()).as("spec.modelPolicy.primary wins").isEqualTo("litellm/claude-opus-4-6");
    assertThat(config.at("/tools/profile").asString()).isEqualTo("coding");
    assertThat(config.at("/gateway/port").asInt()).isEqualTo(18789);
    assertThat(config.at("/channels/telegram/tokenFile").asString()).isEqualTo("/run/secrets/openclaw/telegram");
  }

  @Test
  void denyListsAreJoinedSoTheUserCanDenyMoreButNeverLess() {
    JsonNode config = tree(render(base(BASE)));

    List<String> agent = new ArrayList<>(AGENT_DENIALS);
    agent.add("write");
    List<String> gateway = new ArrayList<>(GATEWAY_DENIALS);
    gateway.add("sessions_history");
    assertThat(strings(config.at("/tools/deny"))).isEqualTo(agent);
    assertThat(strings(config.at("/gateway/tools/deny"))).isEqualTo(gateway);
  }

  @Test
  void perAgentSandboxOverridesInAgentsListAreBroughtInLine() {
    JsonNode main = tree(render(base(BASE))).at("/agents/list/0");

    assertThat(main.path("id").asString()).isEqualTo("main");
    assertThat(main.at("/sandbox/mode").asString()).isEqualTo("all");
    assertThat(main.at("/sandbox/workspaceAccess").asString()).isEqualTo("none");
    assertThat(main.at("/sandbox/docker/network").asString()).isEqualTo("none");
    assertThat(strings(main.at("/sandbox/docker/capDrop"))).containsExactly("ALL");
  }

  @Test
  void perAgentSandboxOverridesInAgentsEntriesAreBroughtInLine() {
    JsonNode config = tree(render(base("{agents: {entries: {main: {model: \"x\", sandbox: {mode: \"off\", docker: {network: \"bridge\"}}}}}}")));

    assertThat(config.at("/agents/entries/main/sandbox/mode").asString()).isEqualTo("all");
    assertThat(config.at("/agents/entries/main/sandbox/docker/network").asString()).isEqualTo("none");
    assertThat(config.at("/agents/entries/main/model").asString()).isEqualTo("x");
  }

  @Test
  void agentWithoutItsOwnSandboxBlockIsLeftToTheDefaults() {
    JsonNode helper = tree(render(base(BASE))).at("/agents/list/1");

    assertThat(helper).isEqualTo(tree("{\"id\": \"helper\", \"tools\": {\"deny\": [\"write\"]}}"));
  }

  @Test
  void baseThatIsNoObjectIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> base("[1, 2]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the base openclaw.json must be a JSON object");
  }

  @Test
  void reformattedFileWithKeysInAnotherOrderSatisfiesTheDesiredOne() {
    String desired = render(base(BASE));
    ObjectNode reordered = Yaml.JSON.createObjectNode();
    List<String> keys = new ArrayList<>(tree(desired).propertyNames());
    java.util.Collections.reverse(keys);
    keys.forEach(k -> reordered.set(k, tree(desired).get(k)));
    String compact = Yaml.JSON.writer().without(tools.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .writeValueAsString(reordered);

    assertThat(compact).isNotEqualTo(desired).doesNotContain("\n");
    assertThat(OpenClawConfig.satisfies(compact.getBytes(StandardCharsets.UTF_8), desired)).isTrue();
  }

  @Test
  void fileWithOpenClawsOwnExtraKeysAndCommentsSatisfiesTheDesiredOne() {
    String desired = render(null);
    ObjectNode live = (ObjectNode) tree(desired);
    live.putObject("meta").put("lastTouchedVersion", "2026.9.1");
    ((ObjectNode) live.at("/agents/defaults/sandbox/docker")).put("image", "openclaw-sandbox:bookworm-slim");
    ((tools.jackson.databind.node.ArrayNode) live.at("/tools/deny")).add("write");
    ((ObjectNode) live.at("/agents/defaults/sandbox/docker")).put("cpus", 1);
    String json5 = "// rewritten by openclaw\n" + Yaml.json(live);

    assertThat(OpenClawConfig.satisfies(json5.getBytes(StandardCharsets.UTF_8), desired)).isTrue();
  }

  @Test
  void fileWithAChangedOperatorKeyDoesNotSatisfyTheDesiredOne() {
    String desired = render(null);
    ObjectNode live = (ObjectNode) tree(desired);
    ((ObjectNode) live.at("/agents/defaults/sandbox/docker")).put("network", "bridge");

    assertThat(OpenClawConfig.satisfies(Yaml.json(live).getBytes(StandardCharsets.UTF_8), desired)).isFalse();
  }

  @Test
  void fileMissingAnOperatorKeyOrADenialDoesNotSatisfyTheDesiredOne() {
    String desired = render(null);
    ObjectNode withoutElevated = (ObjectNode) tree(desired);
    ((ObjectNode) withoutElevated.get("tools")).remove("elevated");
    ObjectNode withoutDenial = (ObjectNode) tree(desired);
    ((tools.jackson.databind.node.ArrayNode) withoutDenial.at("/tools/deny")).remove(0);

    assertThat(OpenClawConfig.satisfies(Yaml.json(withoutElevated).getBytes(StandardCharsets.UTF_8), desired)).isFalse();
    assertThat(OpenClawConfig.satisfies(Yaml.json(withoutDenial).getBytes(StandardCharsets.UTF_8), desired)).isFalse();
  }

  @Test
  void fileThatIsNotJsonDoesNotSatisfyTheDesiredOne() {
    assertThat(OpenClawConfig.satisfies("{not json".getBytes(StandardCharsets.UTF_8), render(null))).isFalse();
  }

  @Test
  void seedDenialsThatAreNoToolsAreNamedWithWhatReallyDoesTheJob() {
    assertThat(OpenClawConfig.ineffectiveDenials(AGENT_DENIALS)).containsExactly(
        "elevated: elevated is a mode, not a tool; tools.elevated.enabled: false turns it off",
        "host_exec: there is no host_exec tool; exec runs in the sandbox because tools.exec.host is \"sandbox\" and sandbox mode is \"all\"",
        "docker: docker is not a tool; sandboxes reach no Docker socket and the gateway only the socket proxy",
        "camera: camera is a node surface reached through the nodes tool; deny nodes to block it");
  }

  @Test
  void renderedFileSatisfiesItself() {
    String desired = render(base(BASE));

    assertThat(OpenClawConfig.satisfies(desired.getBytes(StandardCharsets.UTF_8), desired)).isTrue();
  }

  @Test
  void policyWithReadWriteWorkspaceAndOtherLimitsIsRenderedAsGiven() {
    SandboxPolicySpec spec = Fixtures.resource(SandboxPolicy.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata: {name: sandboxes}
        spec:
          gatewayRef: {name: openclaw}
          workspaceAccess: rw
          resources: {memory: 512Mi, memorySwap: 1Gi, cpus: 500m, pidsLimit: 64}
          prune: {idleHours: 1.5, maxAgeDays: 0.5}
        """).getSpec();

    JsonNode sandbox = tree(OpenClawConfig.render(null, GATEWAY, spec, "/srv/sandboxes")).at("/agents/defaults/sandbox");

    assertThat(sandbox.path("workspaceAccess").asString()).isEqualTo("rw");
    assertThat(sandbox.path("workspaceRoot").asString()).isEqualTo("/srv/sandboxes");
    assertThat(sandbox.at("/docker/memory").asString()).isEqualTo("512m");
    assertThat(sandbox.at("/docker/memorySwap").asString()).isEqualTo("1g");
    assertThat(sandbox.at("/docker/cpus").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(sandbox.at("/docker/pidsLimit").asLong()).isEqualTo(64);
    assertThat(sandbox.at("/prune/idleHours").asLong()).as("whole hours, rounded up").isEqualTo(2);
    assertThat(sandbox.at("/prune/maxAgeDays").asLong()).as("whole days, rounded up").isEqualTo(1);
  }
}
