package io.openclaw.operator.controller;

import static io.openclaw.operator.testing.Checks.exec;
import static io.openclaw.operator.testing.Checks.timing;
import static io.openclaw.operator.testing.Checks.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.plan.render.ModelRouting;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.SmokescreenImage;
import io.openclaw.operator.testing.TestManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's model calls go through the model proxy, and the gateway cannot reach a model provider itself: the
 * real OpenClaw gateway (openclaw-stack/gateway), the real LiteLLM (openclaw-stack/model-proxy) and the real
 * Smokescreen (this project's build, which finds the model proxy's role by its source address), made by the operator
 * from a GatewayDeployment; the model provider is the fake OpenAI-compatible server (openclaw-stack/fake-llm) on the
 * egress network as llm.allowed.test (a modelDomain) and web.allowed.test (a domain). hack/stack-images.sh and
 * hack/smokescreen.sh build the images (a no-op when they are current).
 *
 * <p>Every Docker bridge is a private range, which Smokescreen refuses: the allowlist admits the egress bridge's subnet
 * (allowRanges) once the operator has made it, as SmokescreenIT does. The fake server is foreign to the stack, hence
 * {@code foreignContainers: report}.
 */
class ModelRoutingIT {
  @RegisterExtension static DockerHost docker = new DockerHost().keepStackBetweenTests();
  static final String MODEL_DOMAIN = "llm.allowed.test";
  static final String WEB_DOMAIN = "web.allowed.test";

  static TestManifests m;
  static OperatorHarness op;
  static String fakeLlm;
  static String allowlistWithRange;

  /** Opens a tunnel through the egress proxy with a raw CONNECT and prints the proxy's answer (status line and headers). */
  static final String NODE_CONNECT = """
      const target = process.argv[1];
      const s = require('net').connect(4750, 'egress-proxy', () => s.write('CONNECT ' + target + ' HTTP/1.1\\r\\nHost: ' + target + '\\r\\n\\r\\n'));
      let b = '';
      s.on('data', d => { b += d; const i = b.indexOf('\\r\\n\\r\\n'); if (i >= 0) { console.log(b.slice(0, i)); s.destroy(); process.exit(0); } });
      s.on('error', e => { console.log('error ' + e.message); process.exit(0); });
      setTimeout(() => { console.log('timeout ' + b); process.exit(0); }, 15000);
      """;
  static final String PYTHON_CONNECT = """
      import socket, sys
      t = sys.argv[1]
      s = socket.create_connection(("egress-proxy", 4750), timeout=15)
      s.sendall(("CONNECT %s HTTP/1.1\\r\\nHost: %s\\r\\n\\r\\n" % (t, t)).encode())
      b = b""
      while b"\\r\\n\\r\\n" not in b:
          c = s.recv(4096)
          if not c:
              break
          b += c
      print(b.split(b"\\r\\n\\r\\n")[0].decode())
      """;
  /** What the gateway's own Node does with a URL: fetch, through HTTPS_PROXY (NODE_USE_ENV_PROXY=1 in its environment). */
  static final String NODE_FETCH = """
      const [url, key] = process.argv.slice(1);
      const init = key ? {method: 'POST', headers: {'Authorization': 'Bearer ' + key, 'Content-Type': 'application/json'},
        body: JSON.stringify({model: 'fake-model', messages: [{role: 'user', content: 'hi'}]})} : {};
      fetch(url, init).then(async r => console.log('status ' + r.status + ' ' + (await r.text()).slice(0, 120)))
        .catch(e => console.log('failed: ' + (e.cause ? (e.cause.message || e.cause.code) : e.message)));
      """;

  @BeforeAll
  static void startStack() throws Exception {
    long t = System.nanoTime();
    for (List<String> build : List.of(List.of("hack/stack-images.sh", "gateway", "model-proxy", "fake-llm"), List.of("hack/smokescreen.sh", "image"))) {
      List<String> command = new ArrayList<>(build);
      command.set(0, Fixtures.repoRoot().resolve(build.get(0)).toString());
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(p.waitFor(60, TimeUnit.MINUTES) && p.exitValue() == 0).as(String.join(" ", build)).isTrue();
    }
    timing("stack images current (built if they were not)", t);
    m = new TestManifests(docker.runId());
    Path manifests = Files.createTempDirectory("routing-manifests");
    Path secrets = Fixtures.repoRoot().resolve("examples/stack/secrets");
    Files.createDirectories(manifests.resolve("secrets"));
    for (String f : List.of("openclaw.json", "gateway-token", "model-proxy-key", "litellm-config.yaml", "fake-llm-ca.pem")) {
      Files.copy(secrets.resolve(f), manifests.resolve("secrets").resolve(f));
    }
    Files.writeString(manifests.resolve("gateway.yaml"), gateway());
    Files.writeString(manifests.resolve("egress.yaml"), allowlist(""));
    t = System.nanoTime();
    op = OperatorHarness.start(docker, manifests, Files.createTempDirectory("routing-state"));
    waitFor("the egress network", Duration.ofSeconds(120), () -> docker.api().inspectNetwork(m.egress()).isPresent());
    startProvider();
    String range = exec("docker", "network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", m.egress()).trim();
    allowlistWithRange = allowlist("allowRanges: [" + range + "]");
    op.write("egress.yaml", allowlistWithRange);
    waitFor("the stack Ready with the egress bridge admitted", Duration.ofSeconds(300),
        () -> op.ready(m.gatewayKey()) && op.applied(m.allowlistKey(), allowlistWithRange) && op.ready(m.allowlistKey()),
        () -> op.status(m.gatewayKey()) + " / " + op.status(m.allowlistKey()));
    timing("stack with the real gateway, LiteLLM and Smokescreen Ready", t);
    t = System.nanoTime();
    AtomicReference<String> health = new AtomicReference<>("");
    waitFor("LiteLLM to answer the gateway", Duration.ofSeconds(300), () -> {
      health.set(inGateway("node", "-e", NODE_FETCH, "http://model-proxy:4000/health/liveliness"));
      return health.get().startsWith("status 200");
    }, health::get);
    timing("LiteLLM answering on model-proxy:4000", t);
  }

  /**
   * The fake provider on the egress network, HTTPS on 443 (the only port the egress proxy tunnels to, bound as nobody
   * thanks to the sysctl). Labelled as the run's, so the extension removes it after each test: each test starts its own.
   */
  @BeforeEach
  void provider() {
    if (docker.api().inspectContainer(fakeLlm).isEmpty()) startProvider();
  }

  static void startProvider() {
    fakeLlm = docker.runId() + "-fake-llm";
    exec("docker", "run", "-d", "--name", fakeLlm, "--label", DockerHost.TEST_LABEL + "=" + docker.runId(), "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", "--memory", "128m", "--pids-limit", "64", "--network", m.egress(), "--network-alias", MODEL_DOMAIN,
        "--network-alias", WEB_DOMAIN, "--sysctl", "net.ipv4.ip_unprivileged_port_start=443", "openclaw-stack/fake-llm:local",
        "--port", "8080", "--tls-port", "443");
    waitFor("the fake provider to answer", Duration.ofSeconds(30), () -> {
      try {
        return providerRequests() != null;
      } catch (AssertionError e) {
        return false;
      }
    });
  }

  @AfterAll
  static void stopOperator() throws Exception {
    if (op != null) op.close();
  }

  static String gateway() {
    return """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: GatewayDeployment
        metadata: {name: %1$s, namespace: %1$s}
        spec:
          networks: {internal: %1$s-int, egress: %1$s-egr, ingress: %1$s-ing}
          gateway:
            image: openclaw-stack/gateway:local
            user: "1000:1000"
            stateDir: /tmp/%1$s/state
            configFrom: {file: secrets/openclaw.json}
            secrets: [{name: gateway-token, mountPath: /run/secrets/openclaw/gateway-token, file: secrets/gateway-token}]
            resources: {memory: 2Gi, cpus: "2.0", pidsLimit: 1024}
          socketProxy:
            image: openclaw-standin/socket-proxy:dev
            resources: {memory: 64Mi, cpus: "0.25", pidsLimit: 64}
          modelProxy:
            image: openclaw-stack/model-proxy:local
            user: "1000:1000"
            port: 4000
            gatewayKey: {file: secrets/model-proxy-key}
            models: [{id: fake-model, name: Fake model, contextWindow: 128000, maxTokens: 4096}]
            secrets:
              - {name: litellm-config, mountPath: /run/secrets/litellm/config.yaml, file: secrets/litellm-config.yaml}
              - {name: fake-llm-ca, mountPath: /run/secrets/litellm/fake-llm-ca.pem, file: secrets/fake-llm-ca.pem}
            args: ["--config", "/run/secrets/litellm/config.yaml", "--host", "0.0.0.0", "--port", "4000"]
            resources: {memory: 1Gi, cpus: "1.0", pidsLimit: 256}
          egressProxy:
            image: %2$s
            allowlistRef: {name: %1$s-egress}
            user: "65534:65534"
            resources: {memory: 64Mi, cpus: "0.25", pidsLimit: 64}
          foreignContainers: report
          modelPolicy: {primary: litellm/fake-model, allowed: [litellm/fake-model]}
        """.formatted(docker.runId(), SmokescreenImage.reference());
  }

  static String allowlist(String extra) {
    return m.allowlistWith("modelDomains: [\"" + MODEL_DOMAIN + "\"]\n" + extra, List.of(WEB_DOMAIN));
  }

  static String inGateway(String... command) {
    List<String> args = new ArrayList<>(List.of("docker", "exec", "-u", "1000:1000", m.container("gateway")));
    args.addAll(List.of(command));
    return exec(args.toArray(String[]::new)).strip();
  }

  static String inModelProxy(String... command) {
    List<String> args = new ArrayList<>(List.of("docker", "exec", m.container("model-proxy")));
    args.addAll(List.of(command));
    return exec(args.toArray(String[]::new)).strip();
  }

  /** The chat requests the fake provider has seen, as it records them. */
  static List<JsonNode> providerRequests() {
    String seen = exec("docker", "exec", fakeLlm, "python3", "-c",
        "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8080/_requests').read().decode())");
    List<JsonNode> out = new ArrayList<>();
    JsonNode all = Yaml.JSON.readTree(seen);
    for (JsonNode r : all.isArray() ? all : all.path("requests")) if (r.path("path").asString("").endsWith("/chat/completions")) out.add(r);
    return out;
  }

  /** The turn's JSON result among what `docker exec` printed (OpenClaw's log lines on stderr come with it). */
  static JsonNode resultOf(String out) {
    var reader = Yaml.JSON.readerFor(JsonNode.class).without(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    for (int i = out.indexOf('{'); i >= 0; i = out.indexOf('{', i + 1)) {
      try {
        JsonNode n = reader.readValue(out.substring(i));
        if (n.has("payloads")) return n;
      } catch (RuntimeException e) {
        // not the result: look further
      }
    }
    throw new AssertionError("no JSON result with payloads in the turn's output: " + out.substring(Math.max(0, out.length() - 3000)));
  }

  static String ipOn(String container, String network) {
    return exec("docker", "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container).trim();
  }

  @Test
  void theRenderedConfigNamesTheModelProxyAloneWithItsKeyFromAFile() {
    JsonNode config = OpenClawConfig.parseBase(exec("docker", "exec", m.container("gateway"), "cat", OpenClawConfig.PATH).getBytes(StandardCharsets.UTF_8));

    assertThat(config.at("/models/providers").propertyNames()).containsExactly(ModelRouting.PROVIDER);
    assertThat(config.at("/models/providers/litellm/baseUrl").asString()).isEqualTo("http://model-proxy:4000");
    assertThat(config.at("/models/providers/litellm/apiKey/source").asString()).isEqualTo("file");
    assertThat(exec("docker", "exec", m.container("gateway"), "stat", "-c", "%a %u", ModelRouting.KEY_PATH).trim())
        .as("the key, a secret file of the gateway's user").isEqualTo("600 1000");
    assertThat(exec("docker", "inspect", m.container("gateway"))).as("no key in the gateway's environment or command")
        .doesNotContain("sk-FAKE-stack-model-proxy-key").doesNotContain("sk-FAKE-upstream");
  }

  @Test
  void theGatewaysModelCallReachesTheProviderThroughTheModelProxyAndTheEgressProxy() {
    int before = providerRequests().size();
    long t = System.nanoTime();
    String out = inGateway("env", "OPENCLAW_STATE_DIR=/tmp/routing-turn", "openclaw", "agent", "--local", "--json", "--session-key",
        "agent:main:routing", "--message", "hello through the model proxy", "--timeout", "120");
    timing("an agent turn in the gateway, answered through LiteLLM", t);
    JsonNode result = resultOf(out);
    StringBuilder reply = new StringBuilder();
    result.path("payloads").forEach(p -> reply.append(p.path("text").asString("")));
    System.out.println("[routing] the agent's reply: " + reply);
    // The fake answers "fake answer to: " and the start of the last message, which OpenClaw opens with its own context.
    assertThat(reply.toString()).as("the fake provider's answer came back to the agent").startsWith("fake answer to: ");

    List<JsonNode> requests = providerRequests();
    assertThat(requests.size()).as("the provider was called").isGreaterThan(before);
    JsonNode call = requests.get(requests.size() - 1);
    System.out.println("[routing] the provider saw: " + call);
    assertThat(call.path("client").asString()).as("from the egress proxy's address: the only way out")
        .isEqualTo(ipOn(m.container("egress-proxy"), m.egress()));
    assertThat(call.path("authorization").asString()).isEqualTo("present");
    String proxyLog = exec("docker", "logs", m.container("egress-proxy"));
    assertThat(proxyLog).as("Smokescreen gave the request the model proxy's role").containsPattern("\"role\":\"model-proxy\"");
  }

  /**
   * {@code audit --deep} runs OpenClaw's own {@code security audit --deep --json} in the real gateway and merges its
   * findings; the operator's checks of the model layer pass on the stack it made.
   */
  @Test
  void auditDeepMergesOpenClawsOwnDeepAuditAndFindsNoRouteAroundTheModelProxy() {
    java.io.StringWriter out = new java.io.StringWriter();
    long t = System.nanoTime();
    int exit = io.openclaw.operator.cli.Main.commandLine().setOut(new java.io.PrintWriter(out)).setErr(new java.io.PrintWriter(new java.io.StringWriter()))
        .execute("audit", "--json", "--deep", "--manifests", op.manifests.toString(), "--state-dir", op.stateDir.toString());
    timing("audit --deep with OpenClaw's own deep audit in the gateway", t);
    JsonNode report = Yaml.JSON.readTree(out.toString());
    List<String> openclaw = new ArrayList<>();
    List<String> ours = new ArrayList<>();
    for (JsonNode f : report.path("findings")) {
      String line = f.path("severity").asString() + " " + f.path("checkId").asString() + " " + f.path("object").asString();
      if (f.path("source").asString().equals("openclaw")) openclaw.add(line);
      else if (f.path("object").asString().startsWith(docker.runId())) ours.add(line);
    }
    System.out.println("[routing] audit --deep exit " + exit + "; OpenClaw's findings: " + openclaw + "; the operator's on this stack: " + ours);
    assertThat(openclaw).as("OpenClaw's own audit ran in the gateway and was merged").isNotEmpty();
    assertThat(ours).noneMatch(l -> l.contains("openclaw.audit_unavailable") || l.contains("component.model_routing")
        || l.contains("gateway.provider_credentials") || l.contains("agents.model_"));
  }

  @Test
  void theModelProxyTakesTheGatewaysKeyAndNoOther() {
    String key = inGateway("cat", ModelRouting.KEY_PATH);
    String good = inGateway("node", "-e", NODE_FETCH, "http://model-proxy:4000/v1/chat/completions", key);
    String wrong = inGateway("node", "-e", NODE_FETCH, "http://model-proxy:4000/v1/chat/completions", "sk-not-the-key");
    System.out.println("[routing] the gateway's key: " + good.replace(key, "<key>") + " | another key: " + wrong);
    assertThat(good).startsWith("status 200");
    // LiteLLM looks a key that is not its master key up among its virtual keys; without a database it refuses with 400.
    assertThat(wrong).as("another key is refused").startsWith("status 4");
  }

  @Test
  void theGatewayCannotReachTheProviderItselfWhileTheModelProxyCan() {
    String fromGateway = inGateway("node", "-e", NODE_CONNECT, MODEL_DOMAIN + ":443");
    String gatewayWeb = inGateway("node", "-e", NODE_CONNECT, WEB_DOMAIN + ":443");
    String fromProxy = inModelProxy("python3", "-c", PYTHON_CONNECT, MODEL_DOMAIN + ":443");
    String proxyWeb = inModelProxy("python3", "-c", PYTHON_CONNECT, WEB_DOMAIN + ":443");
    String fetch = inGateway("node", "-e", NODE_FETCH, "https://" + MODEL_DOMAIN + "/v1/models");
    String noProxy = inGateway("env", "NO_PROXY=*", "no_proxy=*", "node", "-e", NODE_FETCH, "https://" + MODEL_DOMAIN + "/v1/models");
    System.out.printf("[routing] gateway CONNECT %s: %s%n[routing] gateway CONNECT %s: %s%n[routing] model proxy CONNECT %s: %s%n"
        + "[routing] model proxy CONNECT %s: %s%n[routing] gateway fetch through its proxy: %s%n[routing] gateway fetch around it: %s%n",
        MODEL_DOMAIN, fromGateway.replace("\r\n", " | "), WEB_DOMAIN, gatewayWeb.replace("\r\n", " | "), MODEL_DOMAIN,
        fromProxy.replace("\r\n", " | "), WEB_DOMAIN, proxyWeb.replace("\r\n", " | "), fetch, noProxy);

    assertThat(fromGateway).as("the gateway to a model provider").contains(" 407 ").contains("default rule policy used");
    assertThat(gatewayWeb).as("the gateway to its own domain: the way out works").matches("HTTP/1\\.[01] 200 .*");
    assertThat(fromProxy).as("the model proxy to the model provider").matches("HTTP/1\\.[01] 200 .*");
    assertThat(proxyWeb).as("the model proxy's role has the model domains only").contains(" 407 ");
    assertThat(fetch).as("the gateway's Node, as OpenClaw would call").startsWith("failed");
    assertThat(noProxy).as("no route around the egress proxy").startsWith("failed");
  }
}
