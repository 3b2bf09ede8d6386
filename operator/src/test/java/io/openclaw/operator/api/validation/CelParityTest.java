package io.openclaw.operator.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Api;
import io.openclaw.operator.api.CrdFinisher;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.source.ManifestLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A cluster (CEL in the CRDs) and {@code validate} (Java) must say the same thing: every x-kubernetes-validations
 * rule in the packed CRDs has an input here that breaks it, and the Java validation reports the rule's message word
 * for word at a field under the rule's place in the schema. A new CEL rule without an input fails this test.
 * CelParityIT gives the same inputs to a real API server and compares its messages with validate's.
 */
class CelParityTest {
  static final String SET = """
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: GatewayDeployment
      metadata: {name: openclaw}
      spec:
        gateway:
          image: openclaw:1
        socketProxy:
          image: proxy:1
        modelProxy:
          image: litellm:1
          models: [{id: claude-opus-4-6}]
        egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}}
      ---
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: EgressAllowlist
      metadata: {name: llm}
      spec:
        domains: ["*.openai.com"]
        modelDomains: ["api.anthropic.com"]
      ---
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: SandboxPolicy
      metadata: {name: sandboxes}
      spec:
        gatewayRef: {name: openclaw}
      """;

  /** A CEL rule where it sits: kind, schema path ([] for list items) and message. */
  record CelRule(String kind, String path, String message) {
    String key() { return kind + " " + path + ": " + message; }
  }

  /** For each rule, the valid set changed (from, to) so that exactly this rule breaks. */
  static final Map<String, String[]> BREAKING_INPUTS = new LinkedHashMap<>();

  static {
    breaks("GatewayDeployment", "spec.gateway.configFrom", "set exactly one of secretRef and file",
        "    image: openclaw:1\n", "    image: openclaw:1\n    configFrom: {secretRef: {name: c, key: k}, file: openclaw.json}\n");
    breaks("GatewayDeployment", "spec.gateway.secrets[]", "set exactly one of secretRef and file",
        "    image: openclaw:1\n", "    image: openclaw:1\n    secrets: [{name: token, mountPath: /run/token}]\n");
    breaks("GatewayDeployment", "spec.modelProxy.secrets[]", "set exactly one of secretRef and file",
        "    image: litellm:1\n", "    image: litellm:1\n    secrets: [{name: key, mountPath: /run/key, secretRef: {name: s, key: k}, file: key.txt}]\n");
    breaks("GatewayDeployment", "spec.modelProxy.gatewayKey", "set exactly one of secretRef and file",
        "    image: litellm:1\n", "    image: litellm:1\n    gatewayKey: {}\n");
    breaks("GatewayDeployment", "spec.gateway.workspaceFiles[]", "set exactly one of secretRef, configMapRef and file",
        "    image: openclaw:1\n", "    image: openclaw:1\n    workspaceFiles: [{name: SOUL.md, secretRef: {name: s, key: k}, configMapRef: {name: c, key: k}}]\n");
    breaks("GatewayDeployment", "spec.networks", "network names must differ",
        "spec:\n  gateway:", "spec:\n  networks: {internal: net, egress: net}\n  gateway:");
    breaks("GatewayDeployment", "spec.socketProxy", "socketProxy.allow must not contain BUILD, SECRETS or SWARM",
        "    image: proxy:1\n", "    image: proxy:1\n    allow: [CONTAINERS, SECRETS]\n");
    breaks("SandboxPolicy", "spec", "network must not be host: a sandbox must never share the host's network",
        "  gatewayRef: {name: openclaw}\n", "  gatewayRef: {name: openclaw}\n  network: host\n");
    breaks("EgressAllowlist", "spec.domains", "a bare * would allow every domain; list the domains the stack needs",
        "[\"*.openai.com\"]", "[\"*.openai.com\", \"*\"]");
    breaks("EgressAllowlist", "spec.domains", "a domain has no scheme: write the hostname only (api.openai.com, not https://api.openai.com)",
        "[\"*.openai.com\"]", "[\"https://api.openai.com\"]");
    breaks("EgressAllowlist", "spec.domains", "a domain has no path: write the hostname only",
        "[\"*.openai.com\"]", "[\"api.openai.com/v1/chat\"]");
    breaks("EgressAllowlist", "spec.domains", "a domain has no port: the proxy allows HTTPS CONNECT to the hostname (write api.openai.com,"
        + " not api.openai.com:443)", "[\"*.openai.com\"]", "[\"api.openai.com:443\"]");
    breaks("EgressAllowlist", "spec.domains", "only a leading *. wildcard is allowed (like *.openai.com)",
        "[\"*.openai.com\"]", "[\"api.*.openai.com\"]");
  }

  static {
    // The same domain rules hold for modelDomains.
    for (Map.Entry<String, String[]> e : List.copyOf(BREAKING_INPUTS.entrySet())) {
      if (!e.getKey().startsWith("EgressAllowlist spec.domains: ")) continue;
      String message = e.getKey().substring("EgressAllowlist spec.domains: ".length());
      String to = e.getValue()[1].replace("[\"*.openai.com\", ", "[\"api.anthropic.com\", ").replace("openai", "anthropic");
      breaks("EgressAllowlist", "spec.modelDomains", message, "[\"api.anthropic.com\"]", to);
    }
  }

  private static void breaks(String kind, String path, String message, String from, String to) {
    BREAKING_INPUTS.put(new CelRule(kind, path, message).key(), new String[] {from, to});
  }

  @TempDir Path dir;

  static List<CelRule> celRulesInPackedCrds() throws IOException {
    List<CelRule> rules = new ArrayList<>();
    for (Class<?> kind : CrdFinisher.KINDS) {
      String resource = "/crds/" + CrdFinisher.pluralOf(kind) + "." + Api.GROUP + ".yaml";
      try (InputStream in = CelParityTest.class.getResourceAsStream(resource)) {
        assertThat(in).as(resource + " on the classpath").isNotNull();
        JsonNode crd = Yaml.MAPPER.readTree(in);
        collect(crd.at("/spec/names/kind").asString(), crd.at("/spec/versions/0/schema/openAPIV3Schema"), "", rules);
      }
    }
    return rules;
  }

  private static void collect(String kind, JsonNode schema, String path, List<CelRule> out) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) out.add(new CelRule(kind, path, rule.path("message").asString()));
    schema.path("properties").propertyStream().forEach(p ->
        collect(kind, p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey(), out));
    if (schema.has("items")) collect(kind, schema.get("items"), path + "[]", out);
  }

  @Test
  void theCrdsCarryCelRules() throws IOException {
    assertThat(celRulesInPackedCrds()).hasSize(BREAKING_INPUTS.size());
  }

  @Test
  void everyInputHereBelongsToARuleThatStillExists() throws IOException {
    List<String> keys = celRulesInPackedCrds().stream().map(CelRule::key).toList();

    assertThat(keys).containsAll(BREAKING_INPUTS.keySet());
  }

  @Test
  void theValidSetBreaksNoRule() throws IOException {
    Path file = Files.writeString(dir.resolve("set.yaml"), SET);

    assertThat(ManifestLoader.load(List.of(file)).problems()).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyCelMessageIsProducedWordForWordByTheJavaValidation() throws IOException {
    return celRulesInPackedCrds().stream().map(rule -> DynamicTest.dynamicTest(rule.key(), () -> {
      String[] change = BREAKING_INPUTS.get(rule.key());
      assertThat(change).as("no input in CelParityTest breaks the CEL rule %s; add one", rule.key()).isNotNull();
      assertThat(SET).contains(change[0]);
      Path file = Files.writeString(Files.createTempDirectory(dir, "rule").resolve("set.yaml"), SET.replace(change[0], change[1]));

      List<Problem> problems = ManifestLoader.load(List.of(file)).problems();

      assertThat(problems).as("what validate says for %s", rule.key()).isNotEmpty().allSatisfy(p -> {
        assertThat(p.kind()).isEqualTo(rule.kind());
        assertThat(p.field().replaceAll("\\[[0-9]+]", "[]")).startsWith(rule.path());
        // Domain messages name the offending entry after the rule's words.
        assertThat(p.message()).matches(m -> m.equals(rule.message()) || m.startsWith(rule.message() + " (got \""),
            "is \"" + rule.message() + "\", optionally followed by the offending value");
      });
    }));
  }
}
