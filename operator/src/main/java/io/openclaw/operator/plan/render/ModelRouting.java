package io.openclaw.operator.plan.render;

import io.openclaw.operator.api.DomainRules;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.plan.Component;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's model calls go to the model proxy and nowhere else: openclaw.json names one provider, OpenClaw's own
 * {@value #PROVIDER} adapter at {@code http://model-proxy:<port>}, with the model proxy's key read from a secret file
 * (a file SecretRef, OpenClaw 2026.9's {@code secrets.providers} with {@code source: file}), and the catalog is that
 * provider's alone ({@code models.mode: replace}), so no built-in provider calls its API directly. Provider keys live
 * in the model proxy only. Also what finds a direct route in a config or an environment, for the planner, validate
 * and audit alike.
 */
public final class ModelRouting {
  /** OpenClaw's provider id for a LiteLLM proxy (its bundled litellm provider). */
  public static final String PROVIDER = "litellm";
  /** The secrets provider that reads the model proxy's key. */
  public static final String KEY_PROVIDER = "modelproxykey";
  /** Where the key the gateway presents to the model proxy is written; outside stateDir, which is on the host's disk. */
  public static final String KEY_PATH = "/run/secrets/openclaw/model-proxy-key";

  /** Model providers' API hosts, for URLs found in an environment: a direct route past the model proxy. */
  static final List<String> PROVIDER_DOMAINS = List.of("api.openai.com", "*.openai.azure.com", "api.anthropic.com",
      "generativelanguage.googleapis.com", "aiplatform.googleapis.com", "*.aiplatform.googleapis.com", "openrouter.ai",
      "api.groq.com", "api.mistral.ai", "api.x.ai", "api.deepseek.com", "api.together.xyz", "api.fireworks.ai",
      "api.cerebras.ai", "api.cohere.ai", "api.cohere.com", "api.perplexity.ai", "api.moonshot.ai", "api.moonshot.cn",
      "api.minimax.io", "api.minimaxi.com", "dashscope.aliyuncs.com", "dashscope-intl.aliyuncs.com", "api.z.ai",
      "integrate.api.nvidia.com", "api.deepinfra.com", "api.novita.ai", "api.venice.ai", "router.huggingface.co",
      "api-inference.huggingface.co", "bedrock-runtime.*.amazonaws.com");

  /** Environment prefixes of model providers OpenClaw reads keys and endpoints from (its docs/providers). */
  private static final Pattern PROVIDER_VARIABLE = Pattern.compile("^(ANTHROPIC|OPENAI|AZURE_OPENAI|GEMINI|GOOGLE|GOOGLE_GENERATIVE_AI"
      + "|OPENROUTER|GROQ|MISTRAL|XAI|DEEPSEEK|TOGETHER|FIREWORKS|CEREBRAS|COHERE|PERPLEXITY|MOONSHOT|KIMI|MINIMAX|MINIMAX_CODING|QWEN"
      + "|DASHSCOPE|MODELSTUDIO|Z_AI|ZAI|NVIDIA|DEEPINFRA|NOVITA|VENICE|BASETEN|HF|HUGGINGFACE|AI_GATEWAY|CLOUDFLARE_AI_GATEWAY"
      + "|CLAWROUTER|KILOCODE|OPENCODE|OPENCODE_ZEN|FEATHERLESS|SYNTHETIC|CHUTES|STEPFUN|XIAOMI|QIANFAN|LONGCAT|GMI|ARCEEAI"
      + "|VOLCANO_ENGINE|TOKENHUB|TOKENPLAN|CODEX|OLLAMA|VLLM|SGLANG)_(API_KEY|AUTH_TOKEN|OAUTH_TOKEN|ACCESS_TOKEN|BASE_URL|API_BASE|API_URL)$");

  private ModelRouting() {}

  public static String baseUrl(GatewayDeploymentSpec.ModelProxy proxy) {
    return "http://" + Component.MODEL_PROXY.alias + ":" + (proxy.port() == null ? 4000 : proxy.port());
  }

  /**
   * The operator's routing keys: the one provider, its models, the key's SecretRef. {@code models.providers} is
   * replaced as a whole in the rendered file (see {@link OpenClawConfig#render}), so a provider of the base stays out.
   */
  static void render(ObjectNode root, GatewayDeploymentSpec.ModelProxy proxy) {
    ObjectNode models = root.putObject("models");
    models.put("mode", "replace");
    ObjectNode provider = models.putObject("providers").putObject(PROVIDER);
    provider.put("baseUrl", baseUrl(proxy));
    provider.put("api", "openai-completions");
    // The model proxy is on the internal network, a private address: allowed on purpose, for this provider only.
    provider.putObject("request").put("allowPrivateNetwork", true);
    if (proxy.gatewayKey() != null) {
      provider.putObject("apiKey").put("source", "file").put("provider", KEY_PROVIDER).put("id", "value");
      root.putObject("secrets").putObject("providers").putObject(KEY_PROVIDER)
          .put("source", "file").put("path", KEY_PATH).put("mode", "singleValue");
    }
    ArrayNode list = provider.putArray("models");
    if (proxy.models() != null) {
      for (GatewayDeploymentSpec.Model m : proxy.models()) {
        ObjectNode model = list.addObject();
        model.put("id", m.id()).put("name", m.name() == null || m.name().isBlank() ? m.id() : m.name());
        if (m.contextWindow() != null) model.put("contextWindow", m.contextWindow());
        if (m.maxTokens() != null) model.put("maxTokens", m.maxTokens());
      }
    }
  }

  /**
   * Every way this openclaw.json reaches a model provider other than through {@code proxyBaseUrl} (null: there is no
   * model proxy, and every provider is direct), one line each, never a value: a provider with another base URL or none
   * (OpenClaw then calls that provider's own API), a key written into the file, a provider variable in env.vars.
   * {@code extraDomains}: more hosts that count as model providers (the EgressAllowlist's modelDomains).
   */
  public static List<String> directRoutes(JsonNode config, String proxyBaseUrl, List<String> extraDomains) {
    List<String> out = new ArrayList<>();
    String proxyHost = proxyBaseUrl == null ? null : host(proxyBaseUrl).orElse(null);
    for (Map.Entry<String, JsonNode> p : config.path("models").path("providers").properties()) {
      String id = p.getKey();
      JsonNode provider = p.getValue();
      String at = "models.providers." + id;
      String baseUrl = provider.path("baseUrl").asString("");
      Optional<String> host = host(baseUrl);
      boolean viaProxy = proxyHost != null && host.map(h -> h.equals(proxyHost)).orElse(false);
      if (baseUrl.isBlank()) {
        out.add(at + " has no baseUrl: OpenClaw calls " + id + "'s own API directly");
      } else if (!viaProxy) {
        out.add(at + ".baseUrl calls " + host.orElse(baseUrl) + " directly, not the model proxy");
      }
      JsonNode key = provider.path("apiKey");
      if (!viaProxy && key.isString() && !key.asString().isBlank()) out.add(at + ".apiKey holds a key in the file");
      else if (!viaProxy && key.isObject()) out.add(at + ".apiKey reads a provider key (" + key.path("source").asString("?") + " SecretRef)");
      for (Map.Entry<String, JsonNode> m : namedModels(provider)) {
        String modelUrl = m.getValue().path("baseUrl").asString("");
        if (!modelUrl.isBlank() && !(proxyHost != null && host(modelUrl).map(h -> h.equals(proxyHost)).orElse(false))) {
          out.add(at + ".models[" + m.getKey() + "].baseUrl calls " + host(modelUrl).orElse(modelUrl) + " directly");
        }
      }
    }
    for (Map.Entry<String, JsonNode> v : config.path("env").path("vars").properties()) {
      providerVariable(v.getKey(), v.getValue().asString(""), extraDomains).ifPresent(why -> out.add("env.vars." + v.getKey() + " " + why));
    }
    return out;
  }

  /** The variables of an environment (NAME=value) that carry a provider key or a provider's URL, each with why. */
  public static List<String> providerEnvironment(List<String> env, List<String> extraDomains) {
    List<String> out = new ArrayList<>();
    for (String kv : env) {
      int eq = kv.indexOf('=');
      if (eq <= 0) continue;
      String name = kv.substring(0, eq);
      providerVariable(name, kv.substring(eq + 1), extraDomains).ifPresent(why -> out.add(name + " " + why));
    }
    return out;
  }

  /** Why NAME=value routes around the model proxy, or empty; the value is never part of the answer. */
  public static Optional<String> providerVariable(String name, String value, List<String> extraDomains) {
    if (value == null || value.isBlank()) return Optional.empty();
    String upper = name.toUpperCase(Locale.ROOT);
    var m = PROVIDER_VARIABLE.matcher(upper);
    if (m.matches()) {
      String kind = m.group(2);
      if (kind.endsWith("_URL") || kind.equals("API_BASE")) {
        return Optional.of("points the " + m.group(1).toLowerCase(Locale.ROOT) + " provider at " + host(value).orElse("another endpoint"));
      }
      return Optional.of("is a model provider's credential (" + m.group(1).toLowerCase(Locale.ROOT) + ")");
    }
    Optional<String> host = host(value.strip());
    if (host.isPresent() && isProviderHost(host.get(), extraDomains)) return Optional.of("names the model provider " + host.get());
    return Optional.empty();
  }

  public static boolean isProviderHost(String host, List<String> extraDomains) {
    List<String> all = new ArrayList<>(PROVIDER_DOMAINS);
    if (extraDomains != null) all.addAll(extraDomains);
    String h = host.toLowerCase(Locale.ROOT);
    for (String d : all) {
      if (d.contains("*") && !d.startsWith("*.")) {
        // bedrock-runtime.*.amazonaws.com: one label in the middle
        String[] parts = d.split("\\*", 2);
        if (h.startsWith(parts[0]) && h.endsWith(parts[1]) && !h.substring(parts[0].length(), h.length() - parts[1].length()).contains(".")) return true;
      } else if (DomainRules.allows(List.of(d), h)) {
        return true;
      }
    }
    return false;
  }

  /** The host of an http(s) URL, or empty when the text is none. */
  static Optional<String> host(String url) {
    if (url == null || !url.matches("(?i)^https?://.*")) return Optional.empty();
    try {
      String h = URI.create(url.strip()).getHost();
      return h == null || h.isBlank() ? Optional.empty() : Optional.of(h.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static List<Map.Entry<String, JsonNode>> namedModels(JsonNode provider) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    JsonNode models = provider.path("models");
    if (!models.isArray()) return out;
    for (JsonNode m : models) out.add(Map.entry(m.path("id").asString("?"), m));
    return out;
  }

  /** The rendered provider block, for tests and the stack's example. */
  public static ObjectNode providerBlock(GatewayDeploymentSpec.ModelProxy proxy) {
    ObjectNode root = Yaml.JSON.createObjectNode();
    render(root, proxy);
    return (ObjectNode) root.path("models").path("providers").path(PROVIDER);
  }
}
