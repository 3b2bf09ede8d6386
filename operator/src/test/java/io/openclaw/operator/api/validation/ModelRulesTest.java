package io.openclaw.operator.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.source.ManifestLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate on the seed's other layers: provider keys and endpoints belong in the model proxy, discouraged models for
 * agents that can act, the role split of the allowlist, the agent's workspace files, and the host's expected values.
 */
class ModelRulesTest {
  @TempDir Path dir;

  private static final String ALLOWLIST = """
      ---
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: EgressAllowlist
      metadata: {name: llm}
      spec: {domains: ["*.slack.com"], modelDomains: ["api.anthropic.com"]}
      """;

  /** The problems validate prints for a GatewayDeployment with {@code gateway} under spec.gateway and {@code spec} under spec. */
  private List<String> problems(String gateway, String spec, String allowlist) throws IOException {
    String yaml = """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: GatewayDeployment
        metadata: {name: openclaw}
        spec:
          gateway:
            image: openclaw:1
        %s
          socketProxy: {image: proxy:1}
          egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}}
        %s
        """.formatted(gateway.indent(4).stripTrailing(), spec.indent(2).stripTrailing()) + allowlist;
    Path file = Files.writeString(dir.resolve("set.yaml"), yaml);
    return ManifestLoader.load(List.of(file)).problems().stream().map(p -> (p.isError() ? "error " : "warning ") + p.field() + ": " + p.message()).toList();
  }

  private static final String PROXY = "modelProxy: {image: litellm:1, models: [{id: claude-opus-4-6}]}";

  @Test
  void aProviderVariableInTheGatewaysEnvironmentIsAnErrorWithAModelProxyAndAWarningWithout() throws IOException {
    String env = "env: {OPENAI_BASE_URL: \"https://api.openai.com/v1\", UPSTREAM: \"https://api.anthropic.com\", TZ: UTC}";

    assertThat(problems(env, PROXY, ALLOWLIST)).containsExactly(
        "error spec.gateway.env.OPENAI_BASE_URL: points the openai provider at api.openai.com: the gateway's model calls go through the model"
            + " proxy, which holds the provider keys and endpoints",
        "error spec.gateway.env.UPSTREAM: names the model provider api.anthropic.com: the gateway's model calls go through the model proxy,"
            + " which holds the provider keys and endpoints");
    assertThat(problems(env, "", ALLOWLIST)).allMatch(p -> p.startsWith("warning spec.gateway.env.")).hasSize(2);
  }

  @Test
  void aBaseConfigThatCallsProvidersItselfIsAnErrorWithAModelProxy() throws IOException {
    Files.writeString(dir.resolve("openclaw.json"), """
        {models: {providers: {anthropic: {apiKey: "sk-ant-FAKEFAKEFAKEFAKEFAKEFAKEFAKE"}, litellm: {baseUrl: "http://model-proxy:4000"}}},
         env: {vars: {GEMINI_API_KEY: "AIzaFAKE"}}}
        """);

    List<String> found = problems("configFrom: {file: openclaw.json}", PROXY, ALLOWLIST);

    assertThat(found).containsExactly(
        "error spec.gateway.configFrom.file: models.providers.anthropic has no baseUrl: OpenClaw calls anthropic's own API directly: provider"
            + " keys and endpoints belong in the model proxy (the operator leaves this out of the rendered openclaw.json)",
        "error spec.gateway.configFrom.file: models.providers.anthropic.apiKey holds a key in the file: provider keys and endpoints belong in"
            + " the model proxy (the operator leaves this out of the rendered openclaw.json)",
        "error spec.gateway.configFrom.file: env.vars.GEMINI_API_KEY is a model provider's credential (gemini): provider keys and endpoints"
            + " belong in the model proxy (the operator leaves this out of the rendered openclaw.json)");
    assertThat(String.join("\n", found)).doesNotContain("FAKEFAKE").doesNotContain("AIza");
  }

  @Test
  void aDiscouragedModelForAnAgentThatCanActIsAWarningAndOneThatCannotActIsFine() throws IOException {
    String policy = """
        modelPolicy:
          primary: litellm/claude-haiku-4-5
          discouraged: [{model: "litellm/claude-haiku-*", reason: "smaller, less resistant to injection"}]
        """;
    assertThat(problems("", PROXY + "\n" + policy, ALLOWLIST)).containsExactly("warning spec.modelPolicy: the default agent (agents.defaults)"
        + " can act (exec, process, code_execution, browser, web_search, web_fetch, x_search) and runs litellm/claude-haiku-4-5, discouraged"
        + " (smaller, less resistant to injection)");

    Files.writeString(dir.resolve("openclaw.json"), "{tools: {profile: \"messaging\"}}");
    assertThat(problems("configFrom: {file: openclaw.json}", PROXY + "\n" + policy, ALLOWLIST)).as("a messaging agent cannot act").isEmpty();
  }

  @Test
  void theRoleSplitIsNamedWhenItDoesNotHold() throws IOException {
    assertThat(problems("", PROXY, ALLOWLIST.replace(", modelDomains: [\"api.anthropic.com\"]", ""))).containsExactly(
        "warning spec.egressProxy.allowlistRef: the EgressAllowlist lists no modelDomains: the gateway reaches the same domains as the model"
            + " proxy, the model providers' included; list those under modelDomains so only the model proxy reaches them");
    assertThat(problems("", PROXY, ALLOWLIST.replace("[\"*.slack.com\"]", "[\"*.anthropic.com\"]"))).containsExactly(
        "warning spec.modelDomains[0]: api.anthropic.com is also allowed by domains, so the gateway reaches it too");
  }

  @Test
  void workspaceFilesNeedOneSourceAUniqueNameAndAReadableFile() throws IOException {
    Files.writeString(dir.resolve("SOUL.md"), "rules\n");
    String files = """
        workspaceFiles:
          - {name: SOUL.md, file: SOUL.md}
          - {name: SOUL.md, configMapRef: {name: agent, key: SOUL.md}}
          - {name: AGENTS.md, file: missing.md}
        """;

    assertThat(problems(files, PROXY, ALLOWLIST)).containsExactly(
        "error spec.gateway.workspaceFiles[1].name: file name \"SOUL.md\" is used twice",
        "error spec.gateway.workspaceFiles[2].file: file not found: " + dir.resolve("missing.md"));
  }

  @Test
  void theModelProxysKeyPathIsTheOperatorsAlone() throws IOException {
    Files.writeString(dir.resolve("key"), "k\n");
    String gateway = "secrets: [{name: mine, mountPath: /run/secrets/openclaw/model-proxy-key, file: key}]";
    String proxy = "modelProxy: {image: litellm:1, gatewayKey: {file: key}, models: [{id: m}]}";

    assertThat(problems(gateway, proxy, ALLOWLIST)).containsExactly(
        "error spec.gateway.secrets[0].mountPath: is where the operator writes spec.modelProxy.gatewayKey; choose another path");
  }

  @Test
  void hostHardeningsPortsAgreeAndItsRangesFileHoldsRanges() throws IOException {
    Files.writeString(dir.resolve("ranges.txt"), "# mine\n173.245.48.0/20\ncloudflare.com\n");
    String hardening = "hostHardening: {sshPort: 2222, allowedInboundPorts: [22, 443], cloudflarePorts: [8443], cloudflareRangesFile: ranges.txt}";

    assertThat(problems("", PROXY + "\n" + hardening, ALLOWLIST)).containsExactly(
        "warning spec.hostHardening.allowedInboundPorts: does not contain sshPort 2222: with UFW as expected, SSH is shut",
        "warning spec.hostHardening.cloudflarePorts[0]: port 8443 is not in allowedInboundPorts",
        "error spec.hostHardening.cloudflareRangesFile: not CIDR ranges: cloudflare.com");
  }
}
