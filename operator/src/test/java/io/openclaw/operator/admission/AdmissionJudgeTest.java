package io.openclaw.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.host.Ownership;
import io.openclaw.operator.plan.HostCapabilities;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.testing.Containers;
import io.openclaw.operator.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * The authorization plugin's decisions, request by request, as the Docker daemon would ask them: what the planners
 * would kill or refuse is denied, with the rule, the policy and the OpenClaw setting to change; what they would fix in
 * place is allowed; the operator's own containers are untouchable; what cannot be read is refused.
 */
class AdmissionJudgeTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final String STATE = "/var/lib/openclaw";
  private static final String ROOT = STATE + "/sandboxes";

  private final Map<String, ContainerView> containers = new LinkedHashMap<>();
  private final Map<String, NetworkView> networks = new LinkedHashMap<>();
  private final Ownership ownership = Ownership.none();
  private final Announcements announcements = new Announcements();
  private DesiredStore store;
  private AdmissionJudge judge;

  private static GatewayDeployment gateway(String baseline) {
    return Fixtures.resource(GatewayDeployment.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: GatewayDeployment
        metadata: {name: openclaw}
        spec:
          gateway: {image: openclaw:1, user: "1000:1000", stateDir: %s}
          socketProxy: {image: proxy:1}
          modelProxy: {image: litellm:1}
          egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}}
          hostBaseline: {enforcement: %s, adminUsers: [ops-admin]}
        """.formatted(STATE, baseline));
  }

  private static SandboxPolicy policy(String enforcement) {
    return Fixtures.resource(SandboxPolicy.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata: {name: sandboxes}
        spec: {gatewayRef: {name: openclaw}, enforcement: %s, maxConcurrent: 3}
        """.formatted(enforcement));
  }

  private void declare(GatewayDeployment g, SandboxPolicy p) {
    store = new DesiredStore();
    store.batch(b -> {
      b.put(ResourceKey.of(g), Manifest.fromCluster(g), 1, List.of());
      b.put(ResourceKey.of(p), Manifest.fromCluster(p), 1, List.of());
    });
    store.markSynced();
    judge = new AdmissionJudge(this::view, announcements, Set.of("remote-operator"));
  }

  private HostView view() {
    return new HostView(store, SecretReader.LOCAL, new HostSnapshot(Map.copyOf(containers), Map.copyOf(networks)), (id, path) -> java.util.Optional.empty(),
        ownership, SandboxPlanner.ExecActivity.NONE, Set.of(), judge.admitted(), HostCapabilities.FULL, PathCanon.LEXICAL, p -> true, false, NOW);
  }

  @BeforeEach
  void host() {
    declare(gateway("enforce"), policy("enforce"));
    networks.put("net-int", new NetworkView("net-int", "openclaw-net", "bridge", true, Map.of(), Map.of(), Map.of()));
    for (String component : List.of("gateway", "socket-proxy", "model-proxy", "egress-proxy")) {
      ContainerView c = Containers.container("id-" + component, "openclaw-" + component).label(Labels.COMPONENT,
          component.equals("socket-proxy") ? "socketProxy" : component.equals("model-proxy") ? "modelProxy" : component.equals("egress-proxy")
              ? "egressProxy" : "gateway").network("openclaw-net", List.of()).build();
      containers.put(c.id(), c);
      ownership.seed(new ResourceKey("GatewayDeployment", "default", "openclaw"), List.of(c.id()));
    }
  }

  // ---- requests as the daemon sends them

  private static AuthzRequest request(String method, String uri, String body) { return request(method, uri, body, ""); }

  private static AuthzRequest request(String method, String uri, String body, String user) {
    ObjectNode r = Yaml.JSON.createObjectNode().put("User", user).put("RequestMethod", method).put("RequestUri", uri);
    if (body != null) r.put("RequestBody", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
    return AuthzRequest.parse(Yaml.JSON.writeValueAsBytes(r));
  }

  private static AuthzRequest response(String method, String uri, String body, int status, String responseBody, String user) {
    ObjectNode r = Yaml.JSON.createObjectNode().put("User", user).put("RequestMethod", method).put("RequestUri", uri).put("ResponseStatusCode", status);
    if (body != null) r.put("RequestBody", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
    if (responseBody != null) r.put("ResponseBody", Base64.getEncoder().encodeToString(responseBody.getBytes(StandardCharsets.UTF_8)));
    return AuthzRequest.parse(Yaml.JSON.writeValueAsBytes(r));
  }

  /** The body OpenClaw's docker CLI sends for a conforming sandbox (DESIGN.md §1), changed by {@code host} additions. */
  private static String sandboxCreate(String slug, String hostConfigExtra, String extraLabels) {
    return """
        {"Image": "openclaw-sandbox:bookworm-slim", "Cmd": ["sleep", "infinity"],
         "Labels": {"openclaw.sandbox": "1", "openclaw.sessionKey": "agent:main:%1$s" %4$s},
         "HostConfig": {"Init": true, "ReadonlyRootfs": true, "NetworkMode": "none", "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges"],
           "Memory": 1073741824, "MemorySwap": 1073741824, "NanoCpus": 1000000000, "PidsLimit": 512,
           "Tmpfs": {"/tmp": "", "/var/tmp": "", "/run": ""},
           "Binds": ["%2$s/%1$s:/workspace", "%2$s/%1$s/skills:/workspace/skills:ro"] %3$s}}
        """.formatted(slug, ROOT, hostConfigExtra, extraLabels);
  }

  private AdmissionJudge.Decision create(String name, String body) { return judge.decide(request("POST", "/v1.41/containers/create?name=" + name, body)); }

  // ---- sandboxes

  @Test
  void aSandboxShapedExactlyLikeOpenClawsIsAllowed() {
    assertThat(create("openclaw-sbx-a", sandboxCreate("a", "", "")).allow()).isTrue();
  }

  @Test
  void aSandboxWithLimitsAboveTheCapsIsAllowedForTheLoopFixesItBeforeItStarts() {
    String body = sandboxCreate("a", "", "").replace("\"Memory\": 1073741824, \"MemorySwap\": 1073741824", "\"Memory\": 4294967296")
        .replace("\"PidsLimit\": 512", "\"PidsLimit\": 0");
    assertThat(create("openclaw-sbx-a", body).allow()).isTrue();
  }

  static Stream<Arguments> sandboxBreaches() {
    return Stream.of(
        Arguments.of("privileged", ", \"Privileged\": true", "sandbox.privileged"),
        Arguments.of("an added capability", ", \"CapAdd\": [\"SYS_ADMIN\"]", "sandbox.capabilities"),
        Arguments.of("a Docker socket bind", ", \"Mounts\": [{\"Type\": \"bind\", \"Source\": \"/var/run/docker.sock\", \"Target\": \"/s\"}]",
            "sandbox.mounts"),
        Arguments.of("another session's workspace", ", \"Mounts\": [{\"Type\": \"bind\", \"Source\": \"" + ROOT + "/b\", \"Target\": \"/b\"}]",
            "sandbox.mounts"),
        Arguments.of("seccomp unconfined", ", \"SecurityOpt\": [\"no-new-privileges\", \"seccomp=unconfined\"]", "sandbox.unconfined"),
        Arguments.of("the host's PID namespace", ", \"PidMode\": \"host\"", "sandbox.host_namespace"),
        Arguments.of("a host device", ", \"Devices\": [{\"PathOnHost\": \"/dev/kmsg\", \"PathInContainer\": \"/dev/kmsg\"}]", "sandbox.devices"),
        Arguments.of("a published port", ", \"PortBindings\": {\"80/tcp\": [{\"HostIp\": \"\", \"HostPort\": \"8080\"}]}", "sandbox.network"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sandboxBreaches")
  void aSandboxBreachIsRefusedWithItsRuleItsPolicyAndTheOpenClawSettingToChange(String what, String extra, String rule) {
    // A later key in the JSON wins, as in the daemon's decoder: the breach replaces the conforming value.
    String body = sandboxCreate("a", extra, "");
    AdmissionJudge.Decision d = create("openclaw-sbx-a", body);

    assertThat(d.allow()).as(what).isFalse();
    assertThat(d.rule()).isEqualTo(rule);
    assertThat(d.message()).contains(rule).contains("(SandboxPolicy/default/sandboxes");
    assertThat(d.policy()).isEqualTo(new ResourceKey("SandboxPolicy", "default", "sandboxes"));
    assertThat(d.sessionKey()).isEqualTo("agent:main:a");
  }

  @Test
  void theDenialNamesTheOpenClawKeyThatMakesTheBreachComeBack() {
    AdmissionJudge.Decision d = create("openclaw-sbx-a", sandboxCreate("a", ", \"CapDrop\": []", ""));
    assertThat(d.message()).contains("sandbox.capabilities: does not drop ALL (drops nothing)")
        .contains("fix agents.defaults.sandbox.docker.capDrop in openclaw.json");
  }

  @Test
  void aSandboxOfAReportPolicyIsAllowedWhateverItBreaks() {
    declare(gateway("enforce"), policy("report"));
    assertThat(create("openclaw-sbx-a", sandboxCreate("a", ", \"Privileged\": true", "")).allow()).isTrue();
  }

  // ---- the host baseline

  static Stream<Arguments> baselineBreaches() {
    return Stream.of(
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"Privileged\": true}}", "container.privileged"),
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"Binds\": [\"/var/run/docker.sock:/var/run/docker.sock\"]}}", "container.docker_socket_mount"),
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"Binds\": [\"/:/host:ro\"]}}", "container.docker_socket_mount"),
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"Binds\": [\"/etc:/etc2\"]}}", "container.sensitive_mount"),
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"Binds\": [\"" + STATE + "/credentials:/c\"]}}", "container.sensitive_mount"),
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"PidMode\": \"host\"}}", "container.host_namespace"),
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"NetworkMode\": \"container:id-gateway\"}}", "container.host_namespace"),
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"CapAdd\": [\"NET_ADMIN\"]}}", "container.cap_add"),
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"SecurityOpt\": [\"apparmor=unconfined\"]}}", "container.unconfined"),
        Arguments.of("{\"Image\": \"x\", \"HostConfig\": {\"DeviceCgroupRules\": [\"c 1:3 rwm\"]}}", "container.devices"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("baselineBreaches")
  void anUnlabelledContainerBreakingTheEnforcedBaselineIsRefused(String body, String rule) {
    AdmissionJudge.Decision d = create("stranger", body);

    assertThat(d.allow()).isFalse();
    assertThat(d.rule()).isEqualTo(rule);
    assertThat(d.message()).contains("the host baseline, enforced by GatewayDeployment/default/openclaw");
  }

  @Test
  void theBaselineInReportModeRefusesNothing() {
    declare(gateway("report"), policy("enforce"));
    assertThat(create("stranger", "{\"Image\": \"x\", \"HostConfig\": {\"Privileged\": true}}").allow()).isTrue();
  }

  @Test
  void labelsExemptNothingButAnAdministratorsTlsIdentityDoesAndTheLoopSparesWhatItCreated() {
    String body = "{\"Image\": \"x\", \"Labels\": {\"hardening.openclaw.io/owner\": \"GatewayDeployment/default/openclaw\"},"
        + " \"HostConfig\": {\"Privileged\": true}}";
    assertThat(create("forged", body).allow()).as("forged owner label").isFalse();

    AuthzRequest admin = request("POST", "/v1.41/containers/create?name=debug", body, "ops-admin");
    assertThat(judge.decide(admin).allow()).isTrue();
    judge.responded(response("POST", "/v1.41/containers/create?name=debug", body, 201, "{\"Id\": \"id-debug\"}", "ops-admin"));
    assertThat(judge.admitted().exempt()).containsExactly("id-debug");
  }

  @Test
  void aStrangerMayNotJoinAStacksInternalNetworkAtCreateOrByConnect() {
    AdmissionJudge.Decision atCreate = create("stranger", "{\"Image\": \"x\", \"HostConfig\": {\"NetworkMode\": \"openclaw-net\"}}");
    containers.put("id-s", Containers.container("id-s", "stranger").build());
    AdmissionJudge.Decision byConnect = judge.decide(request("POST", "/v1.41/networks/openclaw-net/connect", "{\"Container\": \"stranger\"}"));

    assertThat(atCreate.allow()).isFalse();
    assertThat(atCreate.rule()).isEqualTo("network.foreign_container");
    assertThat(byConnect.allow()).isFalse();
    assertThat(byConnect.message()).contains("may not join openclaw-net, the internal network of GatewayDeployment/default/openclaw");
  }

  @Test
  void aSandboxMayNotJoinAnyNetwork() {
    ContainerView s = Containers.openClawSandbox("id-sbx", STATE, "s", NOW).build();
    containers.put(s.id(), s);
    AdmissionJudge.Decision d = judge.decide(request("POST", "/v1.41/networks/bridge/connect", "{\"Container\": \"id-sbx\"}"));
    assertThat(d.allow()).isFalse();
    assertThat(d.rule()).isEqualTo("sandbox.network");
  }

  @Test
  void aComponentsNameIsTheOperatorsToCreate() {
    AdmissionJudge.Decision d = create("openclaw-gateway", "{\"Image\": \"openclaw:1\"}");
    assertThat(d.allow()).isFalse();
    assertThat(d.message()).contains("belongs to a component of GatewayDeployment/default/openclaw");
  }

  // ---- updates and execs

  @Test
  void anUpdateMayLowerASandboxsLimitsButNotRaiseThemPastTheCaps() {
    ContainerView s = Containers.openClawSandbox("id-sbx", STATE, "s", NOW).build();
    containers.put(s.id(), s);

    AdmissionJudge.Decision raise = judge.decide(request("POST", "/v1.41/containers/id-sbx/update", "{\"Memory\": 4294967296, \"MemorySwap\": -1}"));
    AdmissionJudge.Decision lower = judge.decide(request("POST", "/v1.41/containers/id-sbx/update", "{\"Memory\": 536870912, \"MemorySwap\": 536870912}"));

    assertThat(raise.allow()).isFalse();
    assertThat(raise.rule()).isEqualTo("sandbox.memory");
    assertThat(lower.allow()).isTrue();
  }

  @Test
  void aPrivilegedExecIsRefusedAnywhere() {
    ContainerView s = Containers.openClawSandbox("id-sbx", STATE, "s", NOW).build();
    containers.put(s.id(), s);
    assertThat(judge.decide(request("POST", "/v1.41/containers/id-sbx/exec", "{\"Cmd\": [\"sh\"], \"Privileged\": true}")).allow()).isFalse();
    assertThat(judge.decide(request("POST", "/v1.41/containers/id-sbx/exec", "{\"Cmd\": [\"sh\"]}")).allow()).isTrue();
  }

  @Test
  void theOperatorsOwnContainersAreUntouchableButTheGatewayMayExecIntoItself() {
    for (String uri : List.of("/v1.41/containers/openclaw-model-proxy/archive?path=%2Frun%2Fsecrets", "/v1.41/containers/id-model-proxy/export")) {
      assertThat(judge.decide(request("GET", uri, null)).allow()).as(uri).isFalse();
    }
    assertThat(judge.decide(request("HEAD", "/v1.41/containers/openclaw-model-proxy/archive?path=%2F", null)).allow()).isFalse();
    assertThat(judge.decide(request("PUT", "/v1.41/containers/openclaw-egress-proxy/archive?path=%2F", "tar")).allow()).isFalse();
    assertThat(judge.decide(request("POST", "/v1.41/containers/openclaw-egress-proxy/kill", null)).allow()).isFalse();
    assertThat(judge.decide(request("POST", "/v1.41/containers/openclaw-egress-proxy/stop", null)).allow()).isFalse();
    assertThat(judge.decide(request("DELETE", "/v1.41/containers/openclaw-socket-proxy?force=1", null)).allow()).isFalse();
    assertThat(judge.decide(request("POST", "/v1.41/commit?container=openclaw-model-proxy", null)).allow()).isFalse();
    AdmissionJudge.Decision exec = judge.decide(request("POST", "/v1.41/containers/openclaw-model-proxy/exec", "{\"Cmd\": [\"cat\", \"/run/secrets/key\"]}"));
    assertThat(exec.allow()).isFalse();
    assertThat(exec.message()).contains("a component of GatewayDeployment/default/openclaw");
    assertThat(judge.decide(request("POST", "/v1.41/containers/openclaw-gateway/exec", "{\"Cmd\": [\"cat\", \"/proc/self/mountinfo\"]}")).allow()).isTrue();
    assertThat(judge.decide(request("GET", "/v1.41/containers/openclaw-model-proxy/json", null)).allow()).as("inspect is no secret").isTrue();
  }

  @Test
  void theOperatorsOwnRequestPassesOnceByItsAnnouncementAndNotAgain() {
    byte[] none = null;
    announcements.announce("POST", "/containers/id-egress-proxy/restart?t=10", none);

    assertThat(judge.decide(request("POST", "/v1.41/containers/id-egress-proxy/restart?t=10", null)).allow()).isTrue();
    assertThat(judge.decide(request("POST", "/v1.41/containers/id-egress-proxy/restart?t=10", null)).allow()).as("one use").isFalse();
  }

  @Test
  void anAnnouncementCoversExactlyTheBodyAnnounced() {
    String body = "{\"Image\": \"x\", \"HostConfig\": {\"Binds\": [\"/var/run/docker.sock:/var/run/docker.sock\"]}}";
    announcements.announce("POST", "/containers/create?name=x", body.getBytes(StandardCharsets.UTF_8));

    assertThat(create("x", body.replace("\"x\"", "\"y\"")).allow()).as("another body").isFalse();
    assertThat(create("x", body).allow()).isTrue();
  }

  @Test
  void aRemoteOperatorsTlsIdentityIsTrusted() {
    AuthzRequest r = request("POST", "/v1.41/containers/openclaw-model-proxy/stop", null, "remote-operator");
    assertThat(judge.decide(r).allow()).isTrue();
  }

  // ---- what cannot be read

  @Test
  void aCreateUpdateExecOrConnectWithoutABodyIsRefused() {
    containers.put("id-s", Containers.container("id-s", "s").build());
    for (AuthzRequest r : List.of(request("POST", "/v1.41/containers/create?name=x", null), request("POST", "/v1.41/containers/id-s/update", null),
        request("POST", "/v1.41/containers/id-s/exec", null), request("POST", "/v1.41/networks/bridge/connect", null),
        request("POST", "/v1.41/containers/create?name=x", "not json"))) {
      AdmissionJudge.Decision d = judge.decide(r);
      assertThat(d.allow()).as(r.uri()).isFalse();
      assertThat(d.message()).contains("without a readable JSON body");
    }
  }

  @Test
  void aStartThroughAnOldApiVersionOrWithABodyIsRefused() {
    containers.put("id-s", Containers.container("id-s", "s").state("created").build());
    assertThat(judge.decide(request("POST", "/v1.23/containers/id-s/start", "{\"CapAdd\": [\"SYS_ADMIN\"]}")).rule()).isEqualTo("admission.api_version");
    assertThat(judge.decide(request("POST", "/v1.23/containers/id-s/start", null)).allow()).isFalse();
    assertThat(judge.decide(request("POST", "/v1.41/containers/id-s/start", "{\"Binds\": [\"/:/host\"]}")).rule()).isEqualTo("admission.start_body");
    assertThat(judge.decide(request("POST", "/v1.41/containers/id-s/start", null)).allow()).isTrue();
  }

  // ---- the cap

  @Test
  void startsAreAllowedWhileRunningSandboxesPlusAllowedStartsStayBelowTheCap() {
    containers.put("id-run", Containers.openClawSandbox("id-run", STATE, "r", NOW).build());
    for (String id : List.of("id-a", "id-b", "id-c")) containers.put(id, Containers.openClawSandbox(id, STATE, id, NOW).state("created").build());

    assertThat(judge.decide(request("POST", "/v1.41/containers/id-a/start", null)).allow()).isTrue();
    assertThat(judge.decide(request("POST", "/v1.41/containers/id-b/start", null)).allow()).isTrue();
    AdmissionJudge.Decision third = judge.decide(request("POST", "/v1.41/containers/id-c/start", null));
    assertThat(third.allow()).as("1 running + 2 starting = the cap of 3").isFalse();
    assertThat(third.rule()).isEqualTo("sandbox.max_concurrent");

    // The daemon failed to start one: its place is free again.
    judge.responded(response("POST", "/v1.41/containers/id-b/start", null, 409, "{\"message\": \"no\"}", ""));
    assertThat(judge.decide(request("POST", "/v1.41/containers/id-c/start", null)).allow()).isTrue();
  }

  @Test
  void twentyStartsAtOnceUnderACapOfThreeAllowExactlyThree() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = "id-" + i;
      ids.add(id);
      containers.put(id, Containers.openClawSandbox(id, STATE, "s" + i, NOW).state("created").build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> decisions = new ArrayList<>();
    for (String id : ids) {
      decisions.add(pool.submit(() -> {
        go.await();
        return judge.decide(request("POST", "/v1.41/containers/" + id + "/start", null)).allow();
      }));
    }
    go.countDown();
    int allowed = 0;
    for (Future<Boolean> f : decisions) if (f.get()) allowed++;
    pool.shutdown();
    assertThat(allowed).isEqualTo(3);
  }

  @Test
  void aStartRightAfterItsCreateIsJudgedByWhatTheCreateAsked() {
    for (int i = 0; i < 3; i++) containers.put("id-run-" + i, Containers.openClawSandbox("id-run-" + i, STATE, "r" + i, NOW).build());
    String body = sandboxCreate("new", "", "");
    assertThat(create("openclaw-sbx-new", body).allow()).isTrue();
    judge.responded(response("POST", "/v1.41/containers/create?name=openclaw-sbx-new", body, 201, "{\"Id\": \"id-new\"}", ""));

    AdmissionJudge.Decision start = judge.decide(request("POST", "/v1.41/containers/id-new/start", null));
    assertThat(start.allow()).as("not yet inspected by the loop, but known from its create: a sandbox, and the cap is full").isFalse();
    assertThat(start.rule()).isEqualTo("sandbox.max_concurrent");
  }

  @Test
  void requestsNoPlannerJudgesPass() {
    for (AuthzRequest r : List.of(request("GET", "/v1.41/containers/json?all=1", null), request("GET", "/_ping", null),
        request("GET", "/v1.41/events", null), request("POST", "/v1.41/images/create?fromImage=x", null))) {
      assertThat(judge.decide(r).allow()).as(r.uri()).isTrue();
    }
  }
}
