package io.openclaw.operator.plan.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Which agents can act, which model they run, and what the seed's model policy says about it. */
class ModelChoiceTest {
  private static final GatewayDeploymentSpec.ModelPolicy SEED = Fixtures.seed(GatewayDeployment.class).getSpec().modelPolicy();

  private static JsonNode config(String json5) { return OpenClawConfig.parseBase(json5.getBytes(StandardCharsets.UTF_8)); }

  @Test
  void toolsThatActFollowProfilesAllowListsGroupsAndDenials() {
    JsonNode c = config("""
        {
          tools: {profile: "coding", deny: ["process"]},
          agents: {
            defaults: {model: "litellm/claude-opus-4-6"},
            entries: {
              chat: {tools: {profile: "messaging"}},
              reader: {tools: {allow: ["read", "group:web"], deny: ["web_search"]}},
              locked: {tools: {deny: ["group:runtime", "group:web"]}},
              browsing: {tools: {profile: "minimal", alsoAllow: ["browser"]}},
              everything: {tools: {profile: "full"}},
            },
          },
        }
        """);

    assertThat(ModelChoice.agents(c)).extracting(ModelChoice.Agent::id, ModelChoice.Agent::actingTools).containsExactly(
        org.assertj.core.groups.Tuple.tuple("defaults", List.of("exec", "code_execution", "web_search", "web_fetch", "x_search")),
        org.assertj.core.groups.Tuple.tuple("chat", List.of()),
        org.assertj.core.groups.Tuple.tuple("reader", List.of("web_fetch", "x_search")),
        org.assertj.core.groups.Tuple.tuple("locked", List.of()),
        org.assertj.core.groups.Tuple.tuple("browsing", List.of("browser")),
        org.assertj.core.groups.Tuple.tuple("everything", List.of("exec", "code_execution", "browser", "web_search", "web_fetch", "x_search")));
  }

  @Test
  void anAgentThatCanActOnTheSmallModelIsFlaggedAndOneThatCannotIsNot() {
    JsonNode c = config("""
        {
          models: {providers: {litellm: {models: [{id: "claude-opus-4-6", name: "a"}, {id: "claude-haiku-4-5", name: "b"}]}}},
          agents: {
            defaults: {model: {primary: "litellm/claude-opus-4-6", fallbacks: ["litellm/claude-haiku-4-5"]}, modelPolicy: {allow: ["litellm/claude-opus-4-6"]}},
            entries: {
              summariser: {model: "litellm/claude-haiku-4-5", tools: {profile: "messaging"}},
              scout: {model: "litellm/claude-haiku-4-5", tools: {profile: "coding"}},
              roamer: {modelPolicy: {allow: []}},
            },
          },
        }
        """);

    assertThat(ModelChoice.problems(c, SEED)).containsExactly(
        "the default agent (agents.defaults) runs litellm/claude-haiku-4-5, which spec.modelPolicy.allowed does not list",
        "the default agent (agents.defaults) can act (exec, process, code_execution, browser, web_search, web_fetch, x_search) and runs"
            + " litellm/claude-haiku-4-5, discouraged (the smaller model follows injected instructions more readily; an agent with exec,"
            + " browser or web tools runs the larger one)",
        "agent summariser runs litellm/claude-haiku-4-5, which spec.modelPolicy.allowed does not list",
        "agent scout runs litellm/claude-haiku-4-5, which spec.modelPolicy.allowed does not list",
        "agent scout can act (exec, process, code_execution, web_search, web_fetch, x_search) and runs litellm/claude-haiku-4-5, discouraged"
            + " (the smaller model follows injected instructions more readily; an agent with exec, browser or web tools runs the larger one)",
        "agent roamer runs litellm/claude-haiku-4-5, which spec.modelPolicy.allowed does not list",
        "agent roamer can act (exec, process, code_execution, browser, web_search, web_fetch, x_search) and runs litellm/claude-haiku-4-5,"
            + " discouraged (the smaller model follows injected instructions more readily; an agent with exec, browser or web tools runs the larger one)");
  }

  @Test
  void theSeedRendersNoProblemAndMayNotSwitchToTheSmallModel() {
    GatewayDeploymentSpec seed = Fixtures.seed(GatewayDeployment.class).getSpec();
    JsonNode rendered = io.openclaw.operator.api.Yaml.JSON.readTree(OpenClawConfig.render(null, seed,
        Fixtures.seed(io.openclaw.operator.api.SandboxPolicy.class).getSpec(), null));

    assertThat(ModelChoice.agents(rendered).get(0).canAct()).as("the seed's agent keeps exec and web").isTrue();
    assertThat(ModelChoice.problems(rendered, SEED)).isEmpty();
  }

  @Test
  void withAnEmptyAllowListAnAgentThatCanActMaySwitchToADiscouragedModel() {
    JsonNode c = config("""
        {models: {providers: {litellm: {models: [{id: "claude-opus-4-6", name: "a"}, {id: "claude-haiku-4-5", name: "b"}]}}},
         agents: {defaults: {model: "litellm/claude-opus-4-6"}}}
        """);

    assertThat(ModelChoice.problems(c, new GatewayDeploymentSpec.ModelPolicy(null, null, SEED.discouraged()))).singleElement()
        .asString().contains("may switch to litellm/claude-haiku-4-5").endsWith("its modelPolicy.allow is empty, so any model is allowed");
  }
}
