package io.openclaw.operator.plan.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Yaml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What counts as a route to a model provider past the model proxy, in a config and in an environment; never a value. */
class ModelRoutingTest {
  private static final String PROXY = "http://model-proxy:4000";

  private static JsonNode config(String json5) { return OpenClawConfig.parseBase(json5.getBytes(StandardCharsets.UTF_8)); }

  @Test
  void theModelProxysOwnProviderIsNoRouteAndEveryOtherProviderIs() {
    JsonNode c = config("""
        {models: {providers: {
          litellm: {baseUrl: "http://model-proxy:4000/v1", apiKey: {source: "file", provider: "modelproxykey", id: "value"}},
          openai: {baseUrl: "https://api.openai.com/v1", apiKey: "sk-proj-FAKEFAKEFAKEFAKEFAKEFAKE"},
          anthropic: {apiKey: {source: "env", provider: "default", id: "ANTHROPIC_API_KEY"}},
          local: {baseUrl: "http://model-proxy:4000", models: [{id: "m", name: "m", baseUrl: "https://api.groq.com/openai/v1"}]},
        }}}
        """);

    assertThat(ModelRouting.directRoutes(c, PROXY, List.of())).containsExactly(
        "models.providers.openai.baseUrl calls api.openai.com directly, not the model proxy",
        "models.providers.openai.apiKey holds a key in the file",
        "models.providers.anthropic has no baseUrl: OpenClaw calls anthropic's own API directly",
        "models.providers.anthropic.apiKey reads a provider key (env SecretRef)",
        "models.providers.local.models[m].baseUrl calls api.groq.com directly");
    assertThat(String.join(" ", ModelRouting.directRoutes(c, PROXY, List.of()))).doesNotContain("sk-proj");
  }

  @Test
  void withoutAModelProxyEveryProviderIsDirect() {
    assertThat(ModelRouting.directRoutes(config("{models: {providers: {litellm: {baseUrl: \"http://model-proxy:4000\"}}}}"), null, List.of()))
        .containsExactly("models.providers.litellm.baseUrl calls model-proxy directly, not the model proxy");
  }

  @Test
  void providerVariablesAreKeysOrEndpointsByNameAndProviderUrlsByHost() {
    List<String> env = List.of("ANTHROPIC_API_KEY=sk-ant-FAKEFAKEFAKEFAKE", "OPENAI_BASE_URL=https://proxy.example/v1", "TZ=UTC",
        "BRAVE_API_KEY=brave-key", "UPSTREAM=https://api.anthropic.com/v1/messages", "NOTES=https://docs.example.org",
        "OWN_LLM=https://llm.internal.example/v1", "GEMINI_API_KEY=", "HTTPS_PROXY=http://egress-proxy:4750");

    assertThat(ModelRouting.providerEnvironment(env, List.of("llm.internal.example"))).containsExactly(
        "ANTHROPIC_API_KEY is a model provider's credential (anthropic)",
        "OPENAI_BASE_URL points the openai provider at proxy.example",
        "UPSTREAM names the model provider api.anthropic.com",
        "OWN_LLM names the model provider llm.internal.example");
  }

  @Test
  void providerHostsIncludeRegionalWildcards() {
    assertThat(ModelRouting.isProviderHost("bedrock-runtime.eu-west-1.amazonaws.com", List.of())).isTrue();
    assertThat(ModelRouting.isProviderHost("s3.eu-west-1.amazonaws.com", List.of())).isFalse();
    assertThat(ModelRouting.isProviderHost("myorg.openai.azure.com", List.of())).isTrue();
    assertThat(ModelRouting.isProviderHost("model-proxy", List.of())).isFalse();
  }

  @Test
  void aRenderedProviderBlockNamesTheProxyAndNoKey() {
    JsonNode rendered = Yaml.JSON.readTree(OpenClawConfig.render(null, io.openclaw.operator.testing.Fixtures.seed(
        io.openclaw.operator.api.GatewayDeployment.class).getSpec(), null, null));
    assertThat(ModelRouting.directRoutes(rendered, PROXY, List.of())).isEmpty();
  }
}
