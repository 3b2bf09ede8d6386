package io.openclaw.operator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.openclaw.operator.api.Yaml;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI-compatible model endpoint (chat completions, streamed or not) on 127.0.0.1 for driving the real OpenClaw
 * agent without a real model. It is stateless, so concurrent sessions cannot mix: when the user's message names
 * {@code nonce <word>}, the reply calls the {@code exec} tool with {@link #command}; when the last message is that
 * tool's result, the reply is plain text quoting it. Every request is recorded.
 */
public final class FakeModel implements AutoCloseable {
  public static final String PROVIDER = "fake";
  public static final String MODEL = "fake-model";
  private static final Pattern NONCE = Pattern.compile("nonce ([a-z0-9]+)");

  /** One chat request as received: the nonce of its user message, and the tool result it carried, if any. */
  public record Request(String nonce, String toolResult) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public FakeModel() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/v1/models", this::models);
    server.createContext("/v1/chat/completions", this::chat);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(16));
    server.start();
  }

  public String baseUrl() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1"; }

  /**
   * The command the model runs for a nonce. Its output, {@code sandbox-ok-<nonce> on <hostname>}, appears nowhere in
   * the command itself, so an error message that echoes the command cannot pass for the output; the hostname of a
   * container is its short id, which ties the output to one sandbox.
   */
  public static String command(String nonce) { return "printf 'sandbox-%s-%s on %s\\n' ok " + nonce + " \"$(hostname)\""; }

  public static String expectedOutput(String nonce) { return "sandbox-ok-" + nonce; }

  /** The user message that makes the model run {@link #command} once. */
  public static String message(String nonce) { return "Run the sandbox check for nonce " + nonce + "."; }

  /** The requests that carried a tool result for this nonce's session. */
  public List<String> toolResults(String nonce) {
    return requests.stream().filter(r -> nonce.equals(r.nonce()) && r.toolResult() != null).map(Request::toolResult).toList();
  }

  public long requestsFor(String nonce) { return requests.stream().filter(r -> nonce.equals(r.nonce())).count(); }

  /** The provider entry for openclaw.json's models.providers. */
  public ObjectNode providerConfig() {
    ObjectNode provider = Yaml.JSON.createObjectNode();
    provider.put("baseUrl", baseUrl()).put("apiKey", "fake-key-not-a-secret").put("api", "openai-completions");
    ObjectNode model = provider.putArray("models").addObject();
    model.put("id", MODEL).put("name", "Fake model").put("reasoning", false).put("contextWindow", 128000).put("maxTokens", 4096);
    model.putArray("input").add("text");
    return provider;
  }

  private void models(HttpExchange exchange) throws IOException {
    ObjectNode list = Yaml.JSON.createObjectNode().put("object", "list");
    list.putArray("data").addObject().put("id", MODEL).put("object", "model");
    send(exchange, "application/json", Yaml.JSON.writeValueAsBytes(list));
  }

  private void chat(HttpExchange exchange) throws IOException {
    JsonNode request = Yaml.JSON.readTree(exchange.getRequestBody().readAllBytes());
    JsonNode messages = request.path("messages");
    String nonce = null;
    for (JsonNode m : messages) {
      if (!m.path("role").asString().equals("user")) continue;
      Matcher matcher = NONCE.matcher(text(m.path("content")));
      if (matcher.find()) nonce = matcher.group(1);
    }
    JsonNode last = messages.isEmpty() ? Yaml.JSON.missingNode() : messages.get(messages.size() - 1);
    String toolResult = last.path("role").asString().equals("tool") ? text(last.path("content")) : null;
    requests.add(new Request(nonce, toolResult));

    ObjectNode message = Yaml.JSON.createObjectNode().put("role", "assistant");
    String finish;
    if (toolResult != null) {
      message.put("content", "The sandbox said: " + toolResult);
      finish = "stop";
    } else if (nonce != null) {
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("index", 0).put("id", "call_" + nonce).put("type", "function");
      call.putObject("function").put("name", "exec")
          .put("arguments", Yaml.JSON.writeValueAsString(Yaml.JSON.createObjectNode().put("command", command(nonce))));
      finish = "tool_calls";
    } else {
      message.put("content", "No nonce in the message, nothing to run.");
      finish = "stop";
    }
    if (request.path("stream").asBoolean(false)) {
      StringBuilder sse = new StringBuilder();
      sse.append("data: ").append(Yaml.JSON.writeValueAsString(chunk(message, null))).append("\n\n");
      ObjectNode end = chunk(Yaml.JSON.createObjectNode(), finish);
      end.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
      sse.append("data: ").append(Yaml.JSON.writeValueAsString(end)).append("\n\n").append("data: [DONE]\n\n");
      send(exchange, "text/event-stream", sse.toString().getBytes(StandardCharsets.UTF_8));
    } else {
      ObjectNode response = Yaml.JSON.createObjectNode().put("id", "fake").put("object", "chat.completion").put("model", MODEL);
      ObjectNode choice = response.putArray("choices").addObject().put("index", 0).put("finish_reason", finish);
      choice.set("message", message);
      response.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
      send(exchange, "application/json", Yaml.JSON.writeValueAsBytes(response));
    }
  }

  private static ObjectNode chunk(ObjectNode delta, String finish) {
    ObjectNode chunk = Yaml.JSON.createObjectNode().put("id", "fake").put("object", "chat.completion.chunk")
        .put("created", System.currentTimeMillis() / 1000).put("model", MODEL);
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finish == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finish);
    return chunk;
  }

  /** Message content is a string or a list of typed parts. */
  private static String text(JsonNode content) {
    if (content.isString()) return content.asString();
    if (content instanceof ArrayNode parts) {
      StringBuilder out = new StringBuilder();
      parts.forEach(p -> out.append(p.path("text").asString("")));
      return out.toString();
    }
    return "";
  }

  private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
