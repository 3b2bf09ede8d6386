package io.openclaw.operator.controller;

import static io.openclaw.operator.testing.Checks.exec;
import static io.openclaw.operator.testing.Checks.timing;
import static io.openclaw.operator.testing.Checks.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traffic leaves the internal network only through a container on both networks, proven on this machine alone: a
 * client on the operator's internal network, a web server on another bridge of the run, and a relay on both standing
 * in for the egress proxy. Every address probed is on this host or is never reached (no outside traffic).
 *
 * <p>The client and the relay are foreign to the stack, so the GatewayDeployment says {@code foreignContainers: report}:
 * the default (disconnect) would take them off the internal network in the middle of a probe, and a labelled sandbox
 * would be judged by a SandboxPolicy whose network is none and killed as a breach. Report leaves them where they are,
 * and the status names them.
 */
class TopologyIT {
  @RegisterExtension static DockerHost docker = new DockerHost().keepStackBetweenTests();
  static final int PORT = 8080;
  static Path manifests;
  static Path state;
  static OperatorHarness op;
  static TestManifests m;
  static String serverNetwork;
  static String page;

  String server;
  String client;
  String relay;

  @BeforeAll
  static void startStackAndServerNetwork() throws Exception {
    manifests = Files.createTempDirectory("topology-manifests");
    state = Files.createTempDirectory("topology-state");
    m = new TestManifests(docker.runId());
    serverNetwork = docker.runId() + "-srv";
    page = "page-of-" + docker.runId();
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway("foreignContainers: report"));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.anthropic.com"));
    op = OperatorHarness.start(docker, manifests, state);
    waitFor("the stack to be Ready", Duration.ofSeconds(60), () -> op.ready(m.gatewayKey()));
    exec("docker", "network", "create", "--label", DockerHost.TEST_LABEL + "=" + docker.runId(), serverNetwork);
  }

  @AfterAll
  static void stopOperator() throws Exception {
    if (op != null) op.close();
  }

  /** The stand-ins, made afresh for each test (the extension removes the run's labelled containers after each). */
  @BeforeEach
  void startStandIns() {
    server = docker.runId() + "-server";
    client = docker.runId() + "-client";
    relay = docker.runId() + "-relay";
    List<String> hardened = List.of("--label", DockerHost.TEST_LABEL + "=" + docker.runId(), "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges");
    standIn(List.of("run", "-d"), server, serverNetwork, hardened, "sh", "-c",
        "mkdir -p /tmp/www && echo " + page + " > /tmp/www/index.html && exec httpd -f -p " + PORT + " -h /tmp/www");
    standIn(List.of("run", "-d"), client, m.internal(), hardened);
    // busybox nc as a TCP relay: -ll keeps listening, -e runs a second nc per connection that dials the server.
    standIn(List.of("create"), relay, m.internal(), hardened, "nc", "-ll", "-p", Integer.toString(PORT), "-e", "nc", server, Integer.toString(PORT));
    exec("docker", "network", "connect", serverNetwork, relay);
    exec("docker", "start", relay);
  }

  @Test
  void clientReachesTheServerThroughTheRelayButNeverDirectly() {
    long t = System.nanoTime();
    waitFor("the page through the relay", Duration.ofSeconds(30), () -> fetch("http://" + relay + ":" + PORT + "/").contains(page));
    timing("page fetched through the relay", t);

    t = System.nanoTime();
    String byName = fetch("http://" + server + ":" + PORT + "/");
    timing("server by name, directly", t);
    assertThat(byName).as("the server's name is not resolvable from the internal network").doesNotContain(page).contains("bad address")
        .contains("exit=1");

    String serverIp = ipOn(server, serverNetwork);
    t = System.nanoTime();
    String byIp = fetch("http://" + serverIp + ":" + PORT + "/");
    timing("server by IP " + serverIp + ", directly", t);
    assertNoRoute(byIp, "the server's address on the other bridge");
  }

  @Test
  void clientReachesNeitherTheHostNorTheInternet() {
    assertThat(docker.api().inspectNetwork(m.internal()).orElseThrow().internal()).as("the operator's internal network").isTrue();
    // Addresses of this host (the bridges' gateways) and one outside it. Port 9 (discard): were a packet to arrive,
    // the answer would be "connection refused", a timeout would mean it left and was dropped; "no route" means it never
    // left the client.
    List<String> targets = List.of(gateway(m.egress()), gateway(m.internal()), gateway(serverNetwork), "1.1.1.1");
    for (String target : targets) {
      long t = System.nanoTime();
      String out = fetch("http://" + target + ":9/");
      timing("client -> " + target + ":9", t);
      assertNoRoute(out, target);
    }
  }

  @Test
  void theEgressProxyIsTheOnlyContainerOfTheStackOnBothNetworks() {
    DockerApi api = docker.api();
    waitFor("the stand-ins to be reported, not acted on", Duration.ofSeconds(30),
        () -> op.reason(m.gatewayKey(), "Ready").contains(client) && op.reason(m.gatewayKey(), "Ready").contains(relay),
        () -> op.status(m.gatewayKey()).toString());
    Set<String> internal = names(api.inspectNetwork(m.internal()).orElseThrow().containers().keySet());
    Set<String> egress = names(api.inspectNetwork(m.egress()).orElseThrow().containers().keySet());
    Set<String> stack = api.listContainers().stream().map(s -> api.inspectContainer(s.id())).flatMap(java.util.Optional::stream)
        .filter(c -> m.gatewayKey().toString().equals(c.label(Labels.OWNER))).map(ContainerView::name).collect(Collectors.toSet());

    assertThat(stack).hasSize(5);
    assertThat(stack.stream().filter(internal::contains).filter(egress::contains)).as("stack containers on both networks")
        .containsExactly(m.container("egress-proxy"));
    assertThat(egress).as("everything on the egress network").containsExactly(m.container("egress-proxy"));
    assertThat(internal).as("the stand-ins are still attached (reported, not disconnected)").contains(client, relay);
  }

  // ---- helpers

  private static void assertNoRoute(String probe, String what) {
    assertThat(probe).as(what + " is unreachable from the client, without a packet leaving it")
        .containsAnyOf("No route to host", "Network unreachable", "Network is unreachable").doesNotContain(page)
        .doesNotContain("refused").doesNotContain("timed out");
  }

  /** wget from the client, bounded by timeout (busybox-static's own wget -T crashes); output and exit code. */
  private String fetch(String url) {
    DockerApi.ExecResult r = docker.api().exec(client, List.of("sh", "-c", "timeout 20 wget -q -O - \"$0\" 2>&1; echo exit=$?", url));
    return r.output();
  }

  /** docker run -d or create: a stand-in of the run on the sandbox image (busybox), with this command. */
  private static void standIn(List<String> verb, String name, String network, List<String> flags, String... command) {
    List<String> args = new java.util.ArrayList<>(List.of("docker"));
    args.addAll(verb);
    args.addAll(List.of("--name", name, "--network", network));
    args.addAll(flags);
    args.add(DockerHost.SANDBOX_IMAGE);
    args.addAll(List.of(command));
    exec(args.toArray(String[]::new));
  }

  private static String ipOn(String container, String network) {
    return exec("docker", "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container).trim();
  }

  private static String gateway(String network) {
    return exec("docker", "network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", network).trim();
  }

  private static Set<String> names(Set<String> ids) {
    return ids.stream().map(id -> docker.api().inspectContainer(id).map(ContainerView::name).orElse(id)).collect(Collectors.toSet());
  }
}
