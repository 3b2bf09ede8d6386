package io.openclaw.operator.controller;

import static io.openclaw.operator.testing.Checks.exec;
import static io.openclaw.operator.testing.Checks.timing;
import static io.openclaw.operator.testing.Checks.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.plan.render.SmokescreenConfig;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real Smokescreen (hack/smokescreen.sh builds it) as the operator runs it: the egress proxy of a
 * GatewayDeployment, with the ACL, config file and arguments the operator renders and uploads. A client on the
 * internal network talks to it by its alias; web servers stand behind it under network aliases: {@value #ALLOWED}
 * and {@value #UNLISTED} (one container on the egress bridge, port 80 and 443, plain HTTP: the proxy only relays
 * bytes) and {@value #INTRANET} (on the internal network). Nothing leaves this host.
 *
 * <p>Smokescreen refuses private addresses, and every Docker bridge is private: in production an allowed name resolves
 * to a public address and no allowRanges are needed. Here the test admits exactly the egress bridge's subnet through
 * allowRanges; the internal network stays a refused private range, as every private range is in production.
 *
 * <p>The client and the servers are foreign to the stack, hence {@code foreignContainers: report}.
 */
class SmokescreenIT {
  @RegisterExtension static DockerHost docker = new DockerHost().keepStackBetweenTests();
  static final String ALLOWED = "api.allowed.test";
  static final String UNLISTED = "api.unlisted.test";
  static final String INTRANET = "intranet.allowed.test";
  static final String PROXY = "egress-proxy";
  static final int PROXY_PORT = 4750;
  /** The client's side of a conversation with the proxy: see {@link #startClient}. */
  static final String TALK = "/tmp/proxy-talk";

  static Path manifests;
  static OperatorHarness op;
  static TestManifests m;
  static String page;
  static String bridgeRange;

  @BeforeAll
  static void startStack() throws Exception {
    String image = SmokescreenImage.reference();
    System.out.println("[smokescreen] image " + image + ": " + version(SmokescreenImage.ENTRYPOINT) + " (HTTPS-only entry point), "
        + version(SmokescreenImage.STOCK) + " (stock)");
    manifests = Files.createTempDirectory("smokescreen-manifests");
    m = new TestManifests(docker.runId());
    page = "page-of-" + docker.runId();
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway("foreignContainers: report"));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist(ALLOWED));
    long t = System.nanoTime();
    op = OperatorHarness.start(docker, manifests, Files.createTempDirectory("smokescreen-state"));
    waitFor("the stack and its allowlist to be Ready", Duration.ofSeconds(90),
        () -> op.ready(m.gatewayKey()) && op.ready(m.allowlistKey()), () -> op.status(m.allowlistKey()).toString());
    timing("stack with Smokescreen Ready", t);
    assertThat(exec("docker", "inspect", "-f", "{{.Config.Image}} {{json .Config.Entrypoint}}", m.container(PROXY)).trim())
        .as("the operator's egress proxy runs the Smokescreen image").isEqualTo(image + " [\"" + SmokescreenImage.ENTRYPOINT + "\"]");
    bridgeRange = exec("docker", "network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", m.egress()).trim();
    System.out.println("[smokescreen] egress bridge " + m.egress() + " is " + bridgeRange + " (admitted by allowRanges where a test says so)");
  }

  @AfterAll
  static void stopOperator() throws Exception {
    if (op != null) op.close();
  }

  @BeforeEach
  void name(TestInfo test) {
    System.out.println("[smokescreen] -- " + test.getDisplayName());
  }

  @Test
  void anAllowedNameIsReachedThroughConnectWhileAnUnlistedNameAndAPrivateAddressAreRefused() throws Exception {
    inForce(allowlist(List.of(ALLOWED, INTRANET), true));
    startPeers();

    Answer allowed = ask("connect", ALLOWED + ":443");
    assertThat(allowed.status()).as("CONNECT to the allowed name").contains(" 200 ");
    assertThat(allowed.lines()).as("the page, through the tunnel").contains("tunnel: " + page);

    Answer unlisted = ask("connect", UNLISTED + ":443");
    assertThat(unlisted.status()).as("CONNECT to a name not on the list (same server)").contains(" 407 ");
    assertThat(unlisted.error()).contains("default rule policy used");
    assertThat(unlisted.lines()).noneMatch(l -> l.contains(page));

    Answer intranet = ask("connect", INTRANET + ":443");
    assertThat(intranet.status()).as("CONNECT to an allowed name on a private address outside allowRanges").contains(" 407 ");
    assertThat(intranet.error()).contains("Deny: Private Range").contains(ipOn(docker.runId() + "-intranet", m.internal()));
    assertThat(intranet.lines()).noneMatch(l -> l.contains(page));
  }

  @Test
  void withoutAllowRangesEvenAnAllowedNameIsRefusedBecauseItsAddressIsPrivate() throws Exception {
    inForce(allowlist(List.of(ALLOWED), false));
    startPeers();

    Answer answer = ask("connect", ALLOWED + ":443");

    assertThat(answer.status()).as("production's default: every private range is refused").contains(" 407 ");
    assertThat(answer.error()).contains("Deny: Private Range").contains(ipOn(docker.runId() + "-web", m.egress()));
  }

  @Test
  void aChangedListRestartsTheProxyInPlaceAndTheNewRuleIsInForce() throws Exception {
    inForce(allowlist(List.of(ALLOWED), true));
    startPeers();
    assertThat(ask("connect", UNLISTED + ":443").status()).as("before the change").contains(" 407 ");
    String before = idAndStart();

    long t = System.nanoTime();
    inForce(allowlist(List.of(UNLISTED), true));
    Answer added = ask("connect", UNLISTED + ":443");
    timing("changed list in force in Smokescreen", t);

    String after = idAndStart();
    assertThat(after.split(" ")[0]).as("the same proxy container").isEqualTo(before.split(" ")[0]);
    assertThat(after.split(" ")[1]).as("restarted: Smokescreen reads its ACL only when it starts").isNotEqualTo(before.split(" ")[1]);
    assertThat(added.status()).as("the added name").contains(" 200 ");
    assertThat(added.lines()).contains("tunnel: " + page);
    Answer removed = ask("connect", ALLOWED + ":443");
    assertThat(removed.status()).as("the removed name").contains(" 407 ");
    assertThat(removed.error()).contains("default rule policy used");
  }

  /**
   * Stock Smokescreen forwards plain HTTP (absolute-URI requests) and tunnels to any port of an allowed name; the
   * image's entry point adds the HTTPS-only policy. Both run the operator's files, uploaded the way the operator
   * uploads them.
   */
  @Test
  void onlyConnectToPort443LeavesWhereStockSmokescreenAlsoPassesPlainHttpAndOtherPorts() throws Exception {
    inForce(allowlist(List.of(ALLOWED), true));
    startPeers();
    String stock = startStockProxy();

    Answer stockPlain = ask(stock, "get", "http://" + ALLOWED + "/");
    assertThat(stockPlain.status()).as("stock: plain HTTP GET through the proxy").contains(" 200 ");
    assertThat(stockPlain.lines()).contains("body: " + page);
    Answer stockPort80 = ask(stock, "connect", ALLOWED + ":80");
    assertThat(stockPort80.status()).as("stock: CONNECT to port 80").contains(" 200 ");
    assertThat(stockPort80.lines()).contains("tunnel: " + page);

    Answer plain = ask("get", "http://" + ALLOWED + "/");
    assertThat(plain.status()).as("plain HTTP GET through the operator's proxy").contains(" 407 ");
    assertThat(plain.error()).contains("plain HTTP (GET) is refused");
    assertThat(plain.lines()).noneMatch(l -> l.contains(page));
    Answer absoluteHttps = ask("get", "https://" + ALLOWED + "/");
    assertThat(absoluteHttps.status()).as("GET https://... sent to the proxy (it would make the TLS connection itself)").contains(" 407 ");
    assertThat(absoluteHttps.error()).contains("plain HTTP (GET) is refused");
    Answer port80 = ask("connect", ALLOWED + ":80");
    assertThat(port80.status()).as("CONNECT to port 80").contains(" 407 ");
    assertThat(port80.error()).contains("CONNECT to port 80 is refused: allowed ports are 443");
    assertThat(port80.lines()).noneMatch(l -> l.contains(page));
    Answer https = ask("connect", ALLOWED + ":443");
    assertThat(https.status()).as("CONNECT to port 443").contains(" 200 ");
    assertThat(https.lines()).contains("tunnel: " + page);
    assertThat(exec("docker", "logs", m.container(PROXY))).as("the proxy says what it allows")
        .contains("\"connect_ports\":\"443\"").contains("HTTPS only: CONNECT tunnels to these ports, no plain HTTP");
  }

  // ---- the allowlist

  static String allowlist(List<String> domains, boolean admitBridge) {
    return m.allowlistWith(admitBridge ? "allowRanges: [" + bridgeRange + "]" : "", domains);
  }

  /** Writes the allowlist and waits until it is Ready at exactly this spec: the proxy runs its ACL. */
  static void inForce(String yaml) throws Exception {
    op.write("egress.yaml", yaml);
    waitFor("the allowlist to be Ready at the new spec", Duration.ofSeconds(90),
        () -> op.applied(m.allowlistKey(), yaml) && op.ready(m.allowlistKey()) && op.ready(m.gatewayKey()),
        () -> op.status(m.allowlistKey()) + " / " + op.status(m.gatewayKey()));
    byte[] live = docker.api().readFile(m.container(PROXY), SmokescreenConfig.ACL_PATH).orElseThrow();
    assertThat(new String(live, StandardCharsets.UTF_8)).as("the ACL in the proxy")
        .isEqualTo(SmokescreenConfig.acl(Fixtures.resource(EgressAllowlist.class, yaml)));
  }

  private static String idAndStart() {
    return exec("docker", "inspect", "-f", "{{.Id}} {{.State.StartedAt}}", m.container(PROXY)).trim();
  }

  // ---- peers (labelled: the extension removes them after each test)

  private static void startPeers() {
    String run = docker.runId();
    String serve = "mkdir -p /tmp/www && echo " + page + " > /tmp/www/index.html && httpd -p 80 -h /tmp/www && exec httpd -f -p 443 -h /tmp/www";
    // Ports below 1024 without capabilities: Docker 20.10 sets this sysctl in new network namespaces; said here explicitly.
    peer(run + "-web", m.egress(), List.of("--network-alias", ALLOWED, "--network-alias", UNLISTED,
        "--sysctl", "net.ipv4.ip_unprivileged_port_start=0"), "sh", "-c", serve);
    peer(run + "-intranet", m.internal(), List.of("--network-alias", INTRANET, "--sysctl", "net.ipv4.ip_unprivileged_port_start=0"),
        "sh", "-c", serve);
    startClient(run + "-client");
  }

  /**
   * The client: busybox on the internal network, where only the proxy leads out. {@value #TALK} runs under
   * {@code nc PROXY PORT -e}, so its stdin and stdout are the connection: it sends a CONNECT (then, once the proxy
   * says 200, a GET through the tunnel) or an absolute-URI GET, and writes every line it hears to stderr, prefixed
   * with who said it (proxy, tunnel, body).
   */
  private static void startClient(String name) {
    peer(name, m.internal(), List.of());
    String talk = """
        #!/bin/sh
        cr=$(printf '\\r')
        mode=$1 target=$2
        say() { echo "$1: ${2%"$cr"}" >&2; }
        if [ "$mode" = connect ]; then
          printf 'CONNECT %s HTTP/1.1\\r\\nHost: %s\\r\\n\\r\\n' "$target" "$target"
        else
          host=${target#*://}; host=${host%%/*}
          printf 'GET %s HTTP/1.1\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n' "$target" "$host"
        fi
        IFS= read -r status || { echo "proxy: closed without an answer" >&2; exit 0; }
        say proxy "$status"
        while IFS= read -r line; do
          line=${line%"$cr"}
          [ -z "$line" ] && break
          say proxy "$line"
        done
        who=body
        if [ "$mode" = connect ]; then
          case "$status" in *" 200 "*) ;; *) exit 0 ;; esac
          printf 'GET / HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' "${target%:*}"
          who=tunnel
        fi
        while IFS= read -r line || [ -n "$line" ]; do say $who "$line"; done
        """;
    docker.api().putFiles(name, List.of(new DockerApi.ArchiveFile(TALK, talk.getBytes(StandardCharsets.UTF_8), 0755, 0, 0)));
  }

  private static void peer(String name, String network, List<String> flags, String... command) {
    List<String> args = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--network", network, "--label",
        DockerHost.TEST_LABEL + "=" + docker.runId(), "--cap-drop", "ALL", "--security-opt", "no-new-privileges"));
    args.addAll(flags);
    args.add(DockerHost.SANDBOX_IMAGE);
    args.addAll(List.of(command));
    exec(args.toArray(String[]::new));
  }

  /**
   * Stock Smokescreen from the same image, run like the operator runs its proxy (user, capabilities, arguments, both
   * networks) with the files the operator delivered to its proxy, uploaded into the new container before it starts.
   */
  private static String startStockProxy() {
    String name = docker.runId() + "-stock-proxy";
    List<String> args = new ArrayList<>(List.of("docker", "create", "--name", name, "--network", m.internal(), "--label",
        DockerHost.TEST_LABEL + "=" + docker.runId(), "--user", "65534:65534", "--cap-drop", "ALL", "--security-opt",
        "no-new-privileges", "--entrypoint", SmokescreenImage.STOCK, SmokescreenImage.reference()));
    EgressAllowlist allowlist = Fixtures.resource(EgressAllowlist.class, allowlist(List.of(ALLOWED), true));
    args.addAll(SmokescreenConfig.args(allowlist, PROXY_PORT));
    exec(args.toArray(String[]::new));
    exec("docker", "network", "connect", m.egress(), name);
    List<DockerApi.ArchiveFile> files = new ArrayList<>(List.of(new DockerApi.ArchiveFile(SmokescreenConfig.DIR, null, 0700, 65534, 65534)));
    for (String path : List.of(SmokescreenConfig.ACL_PATH, SmokescreenConfig.CONFIG_PATH)) {
      files.add(new DockerApi.ArchiveFile(path, docker.api().readFile(m.container(PROXY), path).orElseThrow(), 0600, 65534, 65534));
    }
    docker.api().putFiles(name, files);
    exec("docker", "start", name);
    return name;
  }

  // ---- talking to a proxy

  /** What the client heard; {@code status} is the proxy's status line, {@code error} its X-Smokescreen-Error. */
  record Answer(String status, String error, List<String> lines) {}

  private static Answer ask(String mode, String target) { return ask(PROXY, mode, target); }

  /**
   * One request from the client through {@code proxy}. A proxy restarted a moment ago may not listen yet: the
   * request is repeated until the proxy answers at all, never until it gives the answer a test hopes for.
   */
  private static Answer ask(String proxy, String mode, String target) {
    AtomicReference<String> heard = new AtomicReference<>("");
    long t = System.nanoTime();
    waitFor(proxy + " to answer " + mode + " " + target, Duration.ofSeconds(30), () -> {
      heard.set(exec("docker", "exec", docker.runId() + "-client", "sh", "-c",
          "timeout 20 nc " + proxy + " " + PROXY_PORT + " -e " + TALK + " \"$0\" \"$1\" 2>&1; true", mode, target));
      return heard.get().lines().anyMatch(l -> l.startsWith("proxy: HTTP/"));
    }, heard::get);
    List<String> lines = heard.get().lines().toList();
    String status = lines.stream().filter(l -> l.startsWith("proxy: HTTP/")).findFirst().orElseThrow().substring("proxy: ".length());
    String error = lines.stream().filter(l -> l.startsWith("proxy: X-Smokescreen-Error: ")).findFirst()
        .map(l -> l.substring("proxy: X-Smokescreen-Error: ".length())).orElse("");
    String through = lines.stream().filter(l -> l.contains(page)).findFirst().orElse("-");
    System.out.printf("[smokescreen] %-12s %-7s %-28s -> %s%s | %s (%d ms)%n", proxy.equals(PROXY) ? "operator's" : "stock", mode,
        target, status, error.isEmpty() ? "" : " | X-Smokescreen-Error: " + error, through, (System.nanoTime() - t) / 1_000_000);
    return new Answer(status, error, lines);
  }

  // ---- docker

  private static String version(String binary) {
    String name = docker.runId() + "-version";
    return exec("docker", "run", "--rm", "--name", name, "--label", DockerHost.TEST_LABEL + "=" + docker.runId(), "--network", "none",
        "--entrypoint", binary, SmokescreenImage.reference(), "--version").trim();
  }

  private static String ipOn(String container, String network) {
    return exec("docker", "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container).trim();
  }
}
