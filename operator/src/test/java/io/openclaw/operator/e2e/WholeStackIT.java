package io.openclaw.operator.e2e;

import static io.openclaw.operator.testing.Checks.timing;
import static io.openclaw.operator.testing.Checks.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.testing.Checks;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.FakeModel;
import io.openclaw.operator.testing.RealStack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The whole stack real ({@link RealStack}: examples/stack/ with every component the real program). First the data
 * paths: a message to OpenClaw's gateway ({@code docker exec <gateway> openclaw agent}, which hands the turn to the
 * running gateway) makes the model call gateway → model proxy (LiteLLM) → egress proxy (Smokescreen) → fake model on
 * the egress network; the fake model's answer calls the exec tool, the gateway makes its sandbox through the socket
 * proxy (HAProxy), the sandbox runs under the SandboxPolicy, and the command's output comes back in the reply. Each hop
 * is seen carrying the request in the log of the component it passes. Then the same stack meets a prompt-injected
 * gateway: commands run inside the gateway container, as its user and with its environment, try what an attacker
 * there would, and each is refused by a named component. A table of everything seen is printed, pass or fail.
 */
class WholeStackIT {
  @RegisterExtension static DockerHost docker = new DockerHost();

  /** A turn on this 2-core machine takes tens of seconds; the engine is shared with other tests. */
  private static final Duration TURN_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration ATTACK_TIMEOUT = Duration.ofSeconds(120);
  /** An HAProxy log line (option httplog): client, backend/server, status, request line. */
  private static final Pattern HAPROXY_LINE = Pattern.compile(
      "^(\\S+):\\d+ \\[[^\\]]+\\] \\S+ (\\S+) \\S+ (\\d{3}) .*\"(\\S+) (\\S+) HTTP/1\\.[01]\"\\s*$", Pattern.MULTILINE);
  /** A refusal of HAProxy's own: no server was chosen. */
  private static final String REFUSED_BY_HAPROXY = "<NOSRV>";

  /**
   * Whether the operator's authorization plugin is on in the Docker daemon: it decides where a container that breaks
   * the policy stops, since the socket proxy cannot tell one create body from another.
   */
  enum Admission {
    /** The daemon creates it; the operator's loop kills it at its create event. */
    OFF,
    /**
     * The plugin refuses the create (the daemon answers 403, which HAProxy passes on) and nothing is made. Not run
     * yet: the plugin is being written. Its variant needs the stack's operator to serve it ({@code run --admission})
     * and the shared daemon to be pointed at it and restored afterwards (DESIGN.md, "Admission contract"); the
     * plugin must then let OpenClaw exec into its own gateway container (this test's note in the table).
     */
    ON
  }

  @ParameterizedTest(name = "authorization plugin {0}")
  @EnumSource(value = Admission.class, names = "OFF")   // ON joins once the operator serves the plugin
  void aMessageToTheRealGatewayRunsInAPolicedSandboxAndAPromptInjectedGatewayIsRefusedAtEveryLayer(Admission admission) throws Exception {
    long started = System.nanoTime();
    Evidence table = new Evidence();
    try (RealStack stack = RealStack.start(docker)) {
      timing("the whole stack up (images present)", started);
      Hosts hosts = Hosts.of(stack);
      long t = System.nanoTime();
      dataPaths(stack, hosts, table);
      timing("the data paths (one agent turn and its evidence)", t);
      t = System.nanoTime();
      attacks(stack, hosts, admission, table);
      timing("the prompt-injected gateway's attempts", t);
    } finally {
      table.print(admission);
      timing("WholeStackIT, stack up and down included", started);
    }
    assertThat(table.failed()).as("rows of the table that failed (printed above)").isEmpty();
  }

  /** Addresses the logs are matched against, and the gateway's container id. */
  record Hosts(String gateway, String gatewayId, String modelProxy, String egressProxyOutside, String fakeModel) {
    static Hosts of(RealStack s) {
      String internal = s.m.internal();
      String egress = s.m.egress();
      return new Hosts(s.address(s.container("gateway"), internal), docker.api().inspectContainer(s.container("gateway")).orElseThrow().id(),
          s.address(s.container("model-proxy"), internal), s.address(s.container("egress-proxy"), egress),
          s.address(s.fakeModel(RealStack.ALLOWED_HOST), egress));
    }
  }

  // ---- 2. the data paths

  private void dataPaths(RealStack stack, Hosts hosts, Evidence table) {
    String nonce = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    String expected = FakeModel.expectedOutput(nonce);
    String message = "Please run the sandbox check.\nexec: " + FakeModel.command(nonce);
    String session = "agent:main:" + docker.runId();

    long t = System.nanoTime();
    Checks.Result turn = stack.inGateway(TURN_TIMEOUT.plusMinutes(2), "openclaw", "agent", "--json", "--session-key", session,
        "--message", message, "--timeout", Long.toString(TURN_TIMEOUT.toSeconds()));
    long turnMillis = (System.nanoTime() - t) / 1_000_000;
    timing("the turn: docker exec <gateway> openclaw agent", t);
    String reply = reply(turn.stdout());
    Matcher ran = Pattern.compile(Pattern.quote(expected) + " on ([0-9a-f]{12})").matcher(reply);
    ContainerView sandbox = ran.find() ? ourSandboxes().stream().filter(c -> c.id().startsWith(ran.group(1))).findFirst().orElse(null) : null;
    table.row("path", "a message to the gateway comes back with the sandbox's output", "OpenClaw gateway",
        turn.exit() == 0 && sandbox != null,
        "exit " + turn.exit() + " after " + turnMillis + " ms, reply \"" + oneLine(reply, 90) + "\""
            + (sandbox == null ? "; no sandbox of this run has that hostname; stderr: " + oneLine(tailOf(turn.stderr()), 300) : ""));

    // gateway -> model proxy: LiteLLM's access log, requests from the gateway's address.
    String litellm = stack.logs("model-proxy");
    long relayed = Pattern.compile("(?m)^INFO:\\s+" + Pattern.quote(hosts.gateway()) + ":\\d+ - \"POST /(?:v1/)?chat/completions HTTP/1\\.1\" 200")
        .matcher(litellm).results().count();
    table.row("path", "gateway -> model proxy", "LiteLLM", relayed >= 2,
        relayed + " x POST /chat/completions 200 from the gateway (" + hosts.gateway() + ") in LiteLLM's access log");

    // model proxy -> egress proxy -> fake model: Smokescreen's decisions and the tunnel's far end.
    List<JsonNode> smokescreen = jsonLines(stack.logs("egress-proxy"));
    long allowed = smokescreen.stream().filter(l -> decision(l, RealStack.ALLOWED_HOST, hosts.modelProxy(), true)).count();
    long tunnels = smokescreen.stream().filter(l -> l.path("msg").asString().equals("CANONICAL-PROXY-CN-CLOSE")
        && l.path("outbound_remote_addr").asString().equals(hosts.fakeModel() + ":443")
        && l.path("inbound_remote_addr").asString().startsWith(hosts.modelProxy() + ":")).count();
    table.row("path", "model proxy -> egress proxy", "Smokescreen", allowed >= 1 && tunnels >= 1,
        allowed + " x CONNECT " + RealStack.ALLOWED_HOST + ":443 from the model proxy (" + hosts.modelProxy() + ") allowed, "
            + tunnels + " tunnel(s) to " + hosts.fakeModel() + ":443");

    // egress proxy -> fake model: the fake's request log, from the egress proxy's address over HTTPS.
    List<JsonNode> requests = jsonLines(stack.logsOf(stack.fakeModel(RealStack.ALLOWED_HOST))).stream()
        .filter(r -> r.path("path").asString().endsWith("/chat/completions")).toList();
    boolean asked = requests.stream().anyMatch(r -> fromProxy(r, hosts) && r.path("lastRole").asString().equals("user")
        && r.path("lastMessage").asString().contains(nonce) && r.path("tools").toString().contains("\"exec\""));
    boolean answered = requests.stream().anyMatch(r -> fromProxy(r, hosts) && r.path("lastRole").asString().equals("tool")
        && r.path("lastMessage").asString().contains(expected));
    table.row("path", "egress proxy -> fake model (" + RealStack.ALLOWED_HOST + ")", "fake model", asked && answered,
        requests.size() + " chat request(s) over HTTPS from the egress proxy (" + hosts.egressProxyOutside() + "): the message with the"
            + " exec tool offered " + (asked ? "seen" : "NOT seen") + ", the tool's output " + (answered ? "seen" : "NOT seen"));

    // gateway -> socket proxy -> Docker: the sandbox's create, start and exec in HAProxy's log.
    List<ProxyLine> proxy = haproxy(stack);
    String name = sandbox == null ? "?" : sandbox.name();
    String id = sandbox == null ? "?" : sandbox.id();
    boolean created = proxy.stream().anyMatch(l -> l.from(hosts.gateway()) && l.is("POST", "/containers/create?name=" + name, 201));
    boolean startedIt = proxy.stream().anyMatch(l -> l.from(hosts.gateway())
        && (l.is("POST", "/containers/" + name + "/start", 204) || l.is("POST", "/containers/" + id + "/start", 204)));
    long execs = proxy.stream().filter(l -> l.from(hosts.gateway()) && (l.is("POST", "/containers/" + id + "/exec", 201)
        || l.is("POST", "/containers/" + name + "/exec", 201))).count();
    table.row("path", "gateway -> socket proxy -> Docker", "HAProxy", created && startedIt && execs >= 1,
        "from the gateway: create ?name=" + name + " " + (created ? "201" : "NOT seen") + ", start " + (startedIt ? "204" : "NOT seen")
            + ", " + execs + " x exec in it 201");

    // The sandbox under the SandboxPolicy: OpenClaw's settings are the rendered policy's, and the operator counts it conforming.
    if (sandbox != null) {
      try {
        waitFor("the policy to count the sandbox", Duration.ofSeconds(60), () -> policyHost(stack).path("conforming").asInt() >= 1);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // the row below says so
      }
    }
    int conforming = policyHost(stack).path("conforming").asInt();
    boolean shaped = sandbox != null && sandbox.networkMode().equals("none") && sandbox.capDrop().contains("ALL") && !sandbox.privileged()
        && sandbox.memory() == 1L << 30 && sandbox.memorySwap() == 1L << 30 && sandbox.pidsLimit() == 512
        && sandbox.nanoCpus() == 1_000_000_000L && sandbox.securityOpt().stream().anyMatch(o -> o.startsWith("no-new-privileges"));
    List<String> actionsOnIt = sandbox == null ? List.of() : actionsOn(stack, sandbox.name());
    boolean stillRunning = sandbox != null && docker.api().inspectContainer(sandbox.id()).map(ContainerView::running).orElse(false);
    table.row("path", "the sandbox runs under the SandboxPolicy", "operator", shaped && conforming >= 1 && actionsOnIt.isEmpty() && stillRunning,
        sandbox == null ? "no sandbox" : "network " + sandbox.networkMode() + ", cap-drop " + sandbox.capDrop() + ", memory/swap "
            + (sandbox.memory() >> 20) + "/" + (sandbox.memorySwap() >> 20) + " MiB, " + sandbox.nanoCpus() / 1e9 + " CPU, pids "
            + sandbox.pidsLimit() + "; policy: " + conforming + " conforming, actions on it "
            + actionsOnIt + (stillRunning ? ", running" : ", NOT running"));

    // Only the internal network is the stack's: the fake servers on the egress network are no foreign containers.
    List<String> stayed = List.of(RealStack.ALLOWED_HOST, RealStack.DENIED_HOST).stream()
        .filter(h -> stack.networksOf(stack.fakeModel(h)).contains(stack.m.egress())).toList();
    table.row("path", "fake servers stay on the egress network (foreignContainers: disconnect)", "operator", stayed.size() == 2,
        "on " + stack.m.egress() + ": " + stayed);

    // Observed, not judged: OpenClaw checks that it found its own container (it runs in one: /.dockerenv) by exec'ing
    // into it through the socket proxy. The authorization plugin must let that pass.
    long selfExecs = proxy.stream().filter(l -> l.from(hosts.gateway()) && l.is("POST", "/containers/" + hosts.gatewayId() + "/exec", 201)).count();
    long selfInspects = proxy.stream().filter(l -> l.from(hosts.gateway()) && l.method().equals("GET")
        && l.api().matches("/containers/" + hosts.gatewayId().substring(0, 12) + "[0-9a-f]*/json") && l.status() == 200).count();
    table.note("OpenClaw execs into its own gateway container through the socket proxy", "HAProxy",
        selfInspects + " x GET /containers/<gateway>/json, " + selfExecs + " x POST /containers/<gateway>/exec (201): the authorization"
            + " plugin must allow it, or no sandbox is made");
  }

  // ---- 3. a prompt-injected gateway

  private void attacks(RealStack stack, Hosts hosts, Admission admission, Evidence table) throws Exception {
    // The Docker API through the socket proxy: sections it does not grant.
    refusedByTheProxy(stack, hosts, table, "a build (docker build)", "POST", "/build", "sh", "-c", "printf 'FROM scratch\\n' | docker build -q -");
    refusedByTheProxy(stack, hosts, table, "a secret (docker secret ls)", "GET", "/secrets", "docker", "secret", "ls");
    refusedByTheProxy(stack, hosts, table, "a swarm call (docker swarm init)", "POST", "/swarm/init", "docker", "swarm", "init");

    // Containers the proxy lets through (CONTAINERS + POST): a create body is not the proxy's to judge. Made as a
    // sandbox of the run (the run's sandbox image and OpenClaw's sandbox label: the shared engine's baseline stays in
    // report mode, so only the run's own policy may kill), with one breach each.
    breachingContainer(stack, hosts, admission, table, "a privileged container", "privileged", "sandbox.privileged", List.of("--privileged"));
    breachingContainer(stack, hosts, admission, table, "a container mounting the Docker socket", "socket", "sandbox.mounts",
        List.of("-v", "/var/run/docker.sock:/var/run/docker.sock"));

    // Straight out, past the egress proxy.
    noRoute(stack, table, "a direct connection to the internet (1.1.1.1:443)", "1.1.1.1");
    noRoute(stack, table, "a direct connection to the fake model's address (" + hosts.fakeModel() + ":443)", hosts.fakeModel());

    // Through the egress proxy, to the name that is not on the allowlist; the allowed name as the control.
    Checks.Result denied = connect(stack, RealStack.DENIED_HOST);
    List<JsonNode> smokescreen = jsonLines(stack.logs("egress-proxy"));
    JsonNode refusal = smokescreen.stream().filter(l -> decision(l, RealStack.DENIED_HOST, hosts.gateway(), false)).findFirst().orElse(null);
    table.row("attack", "CONNECT " + RealStack.DENIED_HOST + ":443 (not on the allowlist)", "Smokescreen",
        denied.stdout().matches("(?s)HTTP/1\\.[01] 407 .*") && refusal != null,
        "answer \"" + oneLine(denied.stdout(), 60) + "\"; log: " + (refusal == null ? "no refusal" : "allow=false, "
            + refusal.path("decision_reason").asString()));
    Checks.Result allowedConnect = connect(stack, RealStack.ALLOWED_HOST);
    table.row("control", "CONNECT " + RealStack.ALLOWED_HOST + ":443 (on the allowlist)", "Smokescreen",
        allowedConnect.stdout().matches("(?s)HTTP/1\\.[01] 200 .*"), "answer \"" + oneLine(allowedConnect.stdout(), 60) + "\"");

    providerKeyNowhere(stack, table);
  }

  private void refusedByTheProxy(RealStack stack, Hosts hosts, Evidence table, String what, String method, String api, String... command) {
    Checks.Result r = stack.inGateway(ATTACK_TIMEOUT, command);
    ProxyLine refused = haproxy(stack).stream()
        .filter(l -> l.from(hosts.gateway()) && l.method().equals(method) && (l.api().equals(api) || l.api().startsWith(api + "?"))).findFirst()
        .orElse(null);
    boolean ok = r.exit() != 0 && refused != null && refused.status() == 403 && refused.backend().endsWith(REFUSED_BY_HAPROXY)
        && r.output().contains("refused by the socket proxy");
    String said = r.stderr().lines().filter(l -> l.contains("Error response")).findFirst().orElse(r.stderr());
    table.row("attack", what, "HAProxy", ok, "docker: \"" + oneLine(said, 100) + "\"; log: " + (refused == null ? "no such request"
        : refused.status() + " " + refused.backend() + " " + method + " " + refused.path().replaceFirst("\\?.*", "")));
  }

  private void breachingContainer(RealStack stack, Hosts hosts, Admission admission, Evidence table, String what, String suffix, String rule,
      List<String> breach) {
    String name = docker.runId() + "-attack-" + suffix;
    List<String> command = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--label", Labels.SANDBOX + "=1", "--network", "none",
        "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--memory", "1g", "--memory-swap", "1g", "--cpus", "1", "--pids-limit", "512"));
    command.addAll(breach);
    command.addAll(List.of(stack.sandboxImage, "sleep", "infinity"));
    long t = System.nanoTime();
    Checks.Result r = stack.inGateway(ATTACK_TIMEOUT, command.toArray(String[]::new));
    ProxyLine create = haproxy(stack).stream().filter(l -> l.from(hosts.gateway()) && l.is("POST", "/containers/create?name=" + name, -1))
        .findFirst().orElse(null);
    switch (admission) {
      case OFF -> {
        boolean gone;
        try {
          waitFor(name + " to be removed", Duration.ofSeconds(60), () -> docker.api().inspectContainer(name).isEmpty());
          gone = true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          gone = false;
        }
        long millis = (System.nanoTime() - t) / 1_000_000;
        // The policy's status records the action a moment after it was carried out.
        boolean recorded;
        try {
          waitFor(name + "'s removal in the policy's status", Duration.ofSeconds(60),
              () -> actionsOn(stack, name).stream().anyMatch(a -> a.endsWith(" for " + rule)));
          recorded = true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          recorded = false;
        }
        boolean ok = create != null && create.status() == 201 && gone && recorded;
        table.row("attack", what + " through the proxy", "operator", ok,
            "proxy: create " + (create == null ? "not seen" : create.status()) + "; operator: " + actionsOn(stack, name) + ", gone "
                + (gone ? "within " + millis + " ms of the docker run" : "NOT") + "; docker run: exit " + r.exit()
                + (r.stderr().isBlank() ? "" : ", \"" + oneLine(r.stderr(), 70) + "\""));
      }
      case ON -> {
        boolean ok = r.exit() != 0 && r.output().contains("authorization denied by plugin") && create != null && create.status() == 403
            && !create.backend().endsWith(REFUSED_BY_HAPROXY) && docker.api().inspectContainer(name).isEmpty();
        table.row("attack", what + " through the proxy", "authorization plugin", ok,
            "docker run said \"" + oneLine(r.output(), 90) + "\"; proxy: create " + (create == null ? "not seen" : create.status()));
      }
    }
  }

  private void noRoute(RealStack stack, Evidence table, String what, String address) {
    // bash's /dev/tcp: a plain connect(2), no proxy. A timeout (exit 124) would mean packets dropped, not "no route".
    Checks.Result r = stack.inGateway(ATTACK_TIMEOUT, "timeout", "20", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/443");
    boolean ok = r.exit() != 0 && r.exit() != 124 && r.output().matches("(?s).*(No route to host|Network is unreachable).*");
    table.row("attack", what, "internal network (no route)", ok, "exit " + r.exit() + ": \"" + oneLine(r.output(), 90) + "\"");
  }

  /** A CONNECT from the gateway to the egress proxy its HTTPS_PROXY names; the proxy's status line. */
  private Checks.Result connect(RealStack stack, String host) {
    String script = "proxy=${HTTPS_PROXY#http://}; exec 3<>/dev/tcp/${proxy%:*}/${proxy##*:} || exit 1;"
        + " printf 'CONNECT %s:443 HTTP/1.1\\r\\nHost: %s:443\\r\\n\\r\\n' \"$1\" \"$1\" >&3; timeout 10 head -1 <&3";
    return stack.inGateway(ATTACK_TIMEOUT, "bash", "-c", script, "connect", host);
  }

  /**
   * The upstream provider key (LiteLLM's, unique to the run) is nowhere the gateway can reach: its environment (as
   * configured and as every process has it), its whole filesystem ({@code docker export}: the image's files, its
   * layer, the secret and config files the operator delivered), its state directory on the host (a bind mount export
   * does not include) and its log. The same search of the model proxy finds the key, which shows the search works.
   */
  private void providerKeyNowhere(RealStack stack, Evidence table) throws Exception {
    byte[] key = stack.providerKey.getBytes(StandardCharsets.UTF_8);
    String gateway = stack.container("gateway");
    long t = System.nanoTime();
    List<String> found = new ArrayList<>();
    if (Checks.exec("docker", "inspect", "-f", "{{json .Config.Env}}", gateway).contains(stack.providerKey)) found.add("its configured environment");
    Checks.Result environ = stack.inGateway(ATTACK_TIMEOUT, "sh", "-c", "for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' <\"$f\"; echo; done");
    long processes = environ.stdout().lines().filter(l -> l.startsWith("PATH=")).count();
    if (environ.stdout().contains(stack.providerKey)) found.add("a process's environment");
    Export export = export(gateway, key);
    export.hits().forEach(h -> found.add("/" + h));
    List<String> stateHits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of(stack.m.stateDir()))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          if (contains(in, key)) stateHits.add(f.toString());
        }
      }
    }
    found.addAll(stateHits);
    if (stack.logs("gateway").contains(stack.providerKey)) found.add("its log");
    timing("searching the gateway for the provider key", t);
    Export control = export(stack.container("model-proxy"), key);
    boolean searchedConfig = export.seen().contains("etc/openclaw/openclaw.json");
    table.row("attack", "the provider key in the gateway's environment, files or config", "operator (secret delivery)",
        found.isEmpty() && processes > 0 && searchedConfig && !control.hits().isEmpty(),
        (found.isEmpty() ? "not found" : "FOUND in " + found) + " (" + processes + " process environments, " + export.files() + " files of its"
            + " filesystem with " + OpenClawConfig.PATH + (searchedConfig ? "" : " NOT") + " among them, its state directory, its log); control:"
            + " the model proxy's filesystem has it in " + control.hits());
  }

  // ---- evidence

  /** The rows of the printed table; a note records an observation and is not judged. */
  static final class Evidence {
    record Row(String kind, String what, String component, Boolean ok, String evidence) {}

    private final List<Row> rows = new ArrayList<>();

    void row(String kind, String what, String component, boolean ok, String evidence) { rows.add(new Row(kind, what, component, ok, evidence)); }

    void note(String what, String component, String evidence) { rows.add(new Row("note", what, component, null, evidence)); }

    List<String> failed() { return rows.stream().filter(r -> Boolean.FALSE.equals(r.ok())).map(r -> r.what() + ": " + r.evidence()).toList(); }

    void print(Admission admission) {
      StringBuilder out = new StringBuilder("[whole-stack] authorization plugin " + admission + "\n");
      out.append(String.format("[whole-stack] %-7s %-4s %-70s %-28s %s%n", "kind", "ok", "data path or attempt", "carried or refused by", "evidence"));
      for (Row r : rows) {
        out.append(String.format("[whole-stack] %-7s %-4s %-70s %-28s %s%n", r.kind(), r.ok() == null ? "-" : r.ok() ? "yes" : "NO",
            r.what(), r.component(), r.evidence()));
      }
      System.out.print(out);
    }
  }

  // ---- helpers

  /** This run's sandboxes (OpenClaw's label and the run's, which the run's sandbox image gives). */
  private static List<ContainerView> ourSandboxes() {
    return Checks.exec("docker", "ps", "-aq", "--no-trunc", "--filter", "label=" + Labels.SANDBOX + "=1", "--filter",
        "label=" + DockerHost.TEST_LABEL + "=" + docker.runId()).lines().filter(l -> !l.isBlank())
        .map(id -> docker.api().inspectContainer(id.strip())).flatMap(java.util.Optional::stream).toList();
  }

  private static JsonNode policyHost(RealStack stack) {
    for (JsonNode h : stack.operator().status(stack.m.policyKey()).path("hosts")) return h;
    return Yaml.JSON.missingNode();
  }

  /** The policy's recorded actions on a container, as "action for rule". */
  private static List<String> actionsOn(RealStack stack, String container) {
    return policyHost(stack).path("lastActions").valueStream().filter(a -> a.path("container").asString().equals(container))
        .map(a -> a.path("action").asString() + " for " + a.path("rule").asString()).toList();
  }

  /** The reply's text from {@code openclaw agent --json}: result.payloads[].text. */
  private static String reply(String stdout) {
    int start = stdout.indexOf('{');
    if (start < 0) return "";
    try {
      StringBuilder out = new StringBuilder();
      Yaml.JSON.readTree(stdout.substring(start)).path("result").path("payloads").forEach(p -> out.append(p.path("text").asString("")).append('\n'));
      return out.toString().strip();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static boolean decision(JsonNode line, String host, String from, boolean allow) {
    return line.path("msg").asString().equals("CANONICAL-PROXY-DECISION") && line.path("requested_host").asString().equals(host + ":443")
        && line.path("inbound_remote_addr").asString().startsWith(from + ":") && line.path("allow").asBoolean(!allow) == allow;
  }

  private static boolean fromProxy(JsonNode request, Hosts hosts) {
    return request.path("client").asString().equals(hosts.egressProxyOutside()) && request.path("listener").asString().equals("https")
        && request.path("host").asString().equals(RealStack.ALLOWED_HOST);
  }

  /** The JSON objects among a log's lines. */
  private static List<JsonNode> jsonLines(String log) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : log.lines().toList()) {
      if (!line.startsWith("{")) continue;
      try {
        out.add(Yaml.JSON.readTree(line));
      } catch (RuntimeException e) {
        // not JSON after all
      }
    }
    return out;
  }

  /** One request in HAProxy's log; {@code api} is the path without its /vX.Y prefix. */
  record ProxyLine(String client, String backend, int status, String method, String path) {
    String api() { return path.replaceFirst("^/v[0-9.]+/", "/"); }

    boolean from(String address) { return client.equals(address); }

    /** This method and API path (query included), with this status, or any status for -1. */
    boolean is(String m, String p, int s) { return method.equals(m) && api().equals(p) && (s < 0 || status == s); }
  }

  private static List<ProxyLine> haproxy(RealStack stack) {
    return HAPROXY_LINE.matcher(stack.logs("socket-proxy")).results()
        .map(m -> new ProxyLine(m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(4), m.group(5))).toList();
  }

  /** What a search of a container's filesystem saw: entries holding the bytes, the number of files, their names. */
  record Export(List<String> hits, long files, java.util.Set<String> seen) {}

  /** Streams {@code docker export} and searches every file in it for the bytes. */
  private static Export export(String container, byte[] needle) throws Exception {
    Process p = new ProcessBuilder("docker", "export", container).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> hits = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    long files = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(p.getInputStream())) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (!e.isFile()) continue;
        files++;
        seen.add(e.getName());
        if (contains(tar, needle)) hits.add(e.getName());
      }
    } finally {
      p.destroy();
    }
    if (p.waitFor() != 0 && files == 0) throw new IllegalStateException("docker export " + container + " failed");
    return new Export(hits, files, seen);
  }

  /** Whether a stream holds the bytes, read in chunks that overlap by the needle's length. */
  static boolean contains(InputStream in, byte[] needle) throws IOException {
    int chunk = 1 << 16;
    byte[] buf = new byte[chunk + needle.length];
    int kept = 0;
    for (int n; (n = in.read(buf, kept, chunk)) > 0; ) {
      int length = kept + n;
      outer:
      for (int i = 0; i + needle.length <= length; i++) {
        if (buf[i] != needle[0]) continue;
        for (int j = 1; j < needle.length; j++) if (buf[i + j] != needle[j]) continue outer;
        return true;
      }
      kept = Math.min(needle.length - 1, length);
      System.arraycopy(buf, length - kept, buf, 0, kept);
    }
    return false;
  }

  private static String oneLine(String s, int max) {
    String line = s.strip().replaceAll("\\s+", " ");
    return line.length() <= max ? line : line.substring(0, max) + "...";
  }

  private static String tailOf(String s) { return s.length() > 600 ? s.substring(s.length() - 600) : s; }
}
