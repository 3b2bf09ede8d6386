package io.openclaw.operator.plan;

import static io.openclaw.operator.testing.Containers.GIB;
import static io.openclaw.operator.testing.Containers.MIB;
import static io.openclaw.operator.testing.Containers.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.testing.Containers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sandbox planner on hand-built sandboxes: every rule, the remediation it picks, the concurrency cap and pruning. */
class SandboxPlannerTest {
  private static final String STATE_DIR = "/var/lib/openclaw";
  private static final String SANDBOX_ROOT = STATE_DIR + "/sandboxes";
  private static final String AGENT_WORKSPACE = STATE_DIR + "/workspace";

  private static SandboxPlanner.Policy policy(String extra) {
    SandboxPolicy policy = io.openclaw.operator.testing.Fixtures.resource(SandboxPolicy.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata: {name: sandboxes}
        spec:
          gatewayRef: {name: openclaw}
        """ + extra.indent(2));
    return new SandboxPlanner.Policy(ResourceKey.of(policy), policy.getSpec(), SANDBOX_ROOT, AGENT_WORKSPACE);
  }

  private static final SandboxPlanner.Policy SEED = policy("");

  private static Containers.Builder sandbox() { return sandbox("sbx-1", "main-a1b2", T0); }

  private static Containers.Builder sandbox(String id, String slug, Instant created) {
    return Containers.openClawSandbox(id, STATE_DIR, slug, created);
  }

  private static List<Violation> check(SandboxPlanner.Policy policy, ContainerView c) {
    return SandboxPlanner.check(policy, c, PathCanon.LEXICAL);
  }

  private static List<Violation> check(ContainerView c) { return check(SEED, c); }

  @Nested
  class Rules {
    @Test
    void sandboxAsOpenClawMakesItBreaksNoRule() {
      ContainerView c = sandbox().tmpfsMount("/tmp").build();

      assertThat(c.init()).isTrue();
      assertThat(c.readOnlyRootfs()).isTrue();
      assertThat(c.tmpfs()).containsOnlyKeys("/tmp", "/var/tmp", "/run");
      assertThat(check(c)).isEmpty();
      assertThat(SandboxPlanner.remediate(SEED, c, check(c))).isEmpty();
    }

    static Stream<Arguments> violations() {
      return Stream.<Arguments>of(
          Arguments.of("privileged", (UnaryOperator<Containers.Builder>) b -> b.privileged(true), Rule.SANDBOX_PRIVILEGED,
              "runs privileged: every capability and every device of the host"),
          Arguments.of("capability added", (UnaryOperator<Containers.Builder>) b -> b.capAdd("SYS_ADMIN"), Rule.SANDBOX_CAPABILITIES,
              "adds SYS_ADMIN"),
          Arguments.of("capabilities kept", (UnaryOperator<Containers.Builder>) b -> b.capDrop(), Rule.SANDBOX_CAPABILITIES,
              "does not drop ALL (drops nothing)"),
          Arguments.of("capability added and some kept", (UnaryOperator<Containers.Builder>) b -> b.capAdd("cap_net_admin").capDrop("NET_RAW"),
              Rule.SANDBOX_CAPABILITIES, "adds NET_ADMIN; does not drop ALL (drops only NET_RAW)"),
          Arguments.of("no-new-privileges missing", (UnaryOperator<Containers.Builder>) b -> b.securityOpt(), Rule.SANDBOX_NO_NEW_PRIVILEGES,
              "no-new-privileges is not set: setuid binaries can raise privileges"),
          Arguments.of("bridge network", (UnaryOperator<Containers.Builder>) b -> b.networkMode("bridge").withoutNetwork("none")
              .network("bridge", List.of()), Rule.SANDBOX_NETWORK, "network mode bridge instead of none; attached to bridge"),
          Arguments.of("attached to the gateway's network", (UnaryOperator<Containers.Builder>) b -> b.network("openclaw-net", List.of()),
              Rule.SANDBOX_NETWORK, "attached to openclaw-net"),
          Arguments.of("published ports", (UnaryOperator<Containers.Builder>) b -> b.publish("0.0.0.0:8080->8080/tcp"), Rule.SANDBOX_NETWORK,
              "publishes ports [0.0.0.0:8080->8080/tcp]"),
          Arguments.of("host PID namespace", (UnaryOperator<Containers.Builder>) b -> b.pidMode("host"), Rule.SANDBOX_HOST_NAMESPACES,
              "shares the host's PID namespace"),
          Arguments.of("memory limit missing", (UnaryOperator<Containers.Builder>) b -> b.memory(0).memorySwap(0), Rule.SANDBOX_MEMORY,
              "has no memory limit"),
          Arguments.of("memory above the cap", (UnaryOperator<Containers.Builder>) b -> b.memory(2 * GIB).memorySwap(2 * GIB), Rule.SANDBOX_MEMORY,
              "memory 2g above the cap 1g"),
          Arguments.of("swap unlimited", (UnaryOperator<Containers.Builder>) b -> b.memorySwap(-1), Rule.SANDBOX_MEMORY,
              "memory+swap unlimited above the cap 1g"),
          Arguments.of("swap left at the daemon default of twice memory", (UnaryOperator<Containers.Builder>) b -> b.memorySwap(0),
              Rule.SANDBOX_MEMORY, "memory+swap 2g above the cap 1g"),
          Arguments.of("CPU limit missing", (UnaryOperator<Containers.Builder>) b -> b.nanoCpus(0), Rule.SANDBOX_CPUS, "has no CPU limit"),
          Arguments.of("CPUs above the cap", (UnaryOperator<Containers.Builder>) b -> b.nanoCpus(2_000_000_000L), Rule.SANDBOX_CPUS,
              "cpus 2 above the cap 1"),
          Arguments.of("CPUs above the cap as quota over period", (UnaryOperator<Containers.Builder>) b -> b.nanoCpus(0).cpuQuota(150_000, 100_000),
              Rule.SANDBOX_CPUS, "cpus 1.5 above the cap 1"),
          Arguments.of("PIDs limit missing", (UnaryOperator<Containers.Builder>) b -> b.pidsLimit(0), Rule.SANDBOX_PIDS, "has no PIDs limit"),
          Arguments.of("PIDs unlimited", (UnaryOperator<Containers.Builder>) b -> b.pidsLimit(-1), Rule.SANDBOX_PIDS, "has no PIDs limit"),
          Arguments.of("PIDs above the cap", (UnaryOperator<Containers.Builder>) b -> b.pidsLimit(4096), Rule.SANDBOX_PIDS,
              "pids limit 4096 above the cap 512"),
          Arguments.of("seccomp unconfined", (UnaryOperator<Containers.Builder>) b -> b.securityOpt("no-new-privileges", "seccomp=unconfined"),
              Rule.SANDBOX_UNCONFINED, "security-opt seccomp=unconfined: the kernel's confinement (syscall filter, MAC profile, masked /proc and /sys paths) is off"),
          Arguments.of("apparmor unconfined", (UnaryOperator<Containers.Builder>) b -> b.securityOpt("no-new-privileges", "apparmor:unconfined"),
              Rule.SANDBOX_UNCONFINED, "security-opt apparmor:unconfined: the kernel's confinement (syscall filter, MAC profile, masked /proc and /sys paths) is off"),
          Arguments.of("masked paths off", (UnaryOperator<Containers.Builder>) b -> b.securityOpt("no-new-privileges", "systempaths=unconfined"),
              Rule.SANDBOX_UNCONFINED, "security-opt systempaths=unconfined: the kernel's confinement (syscall filter, MAC profile, masked /proc and /sys paths) is off"),
          Arguments.of("host device", (UnaryOperator<Containers.Builder>) b -> b.devices(1), Rule.SANDBOX_DEVICES, "has 1 host device(s)"),
          Arguments.of("device cgroup rule", (UnaryOperator<Containers.Builder>) b -> b.deviceCgroupRules("c 1:3 rwm"), Rule.SANDBOX_DEVICES,
              "device cgroup rules c 1:3 rwm"),
          Arguments.of("host cgroup namespace", (UnaryOperator<Containers.Builder>) b -> b.cgroupnsMode("host"), Rule.SANDBOX_HOST_NAMESPACES,
              "shares the host's cgroup namespace"),
          Arguments.of("another container's PID namespace", (UnaryOperator<Containers.Builder>) b -> b.pidMode("container:abc123"),
              Rule.SANDBOX_HOST_NAMESPACES, "shares the PID namespace of container abc123"),
          Arguments.of("another container's IPC namespace", (UnaryOperator<Containers.Builder>) b -> b.ipcMode("container:abc123"),
              Rule.SANDBOX_HOST_NAMESPACES, "shares the IPC namespace of container abc123"),
          Arguments.of("host user namespace", (UnaryOperator<Containers.Builder>) b -> b.usernsMode("host"), Rule.SANDBOX_HOST_NAMESPACES,
              "shares the host's user namespace"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void eachBreachIsReportedUnderItsRule(String what, UnaryOperator<Containers.Builder> how, Rule rule, String detail) {
      assertThat(check(how.apply(sandbox()).build())).containsExactly(new Violation(rule, detail));
    }

    @Test
    void hostNetworkBreaksTheNetworkRuleAndSharesANamespace() {
      ContainerView c = sandbox().networkMode("host").withoutNetwork("none").network("host", List.of()).build();

      assertThat(check(c)).containsExactly(new Violation(Rule.SANDBOX_NETWORK, "network mode host instead of none; attached to host"),
          new Violation(Rule.SANDBOX_HOST_NAMESPACES, "shares the host's network namespace"));
    }

    @Test
    void noNewPrivilegesIsAcceptedInEverySpellingDockerTakes() {
      for (String spelling : List.of("no-new-privileges", "no-new-privileges:true", "no-new-privileges=true")) {
        assertThat(check(sandbox().securityOpt("seccomp=default", spelling).build())).as(spelling).isEmpty();
      }
      assertThat(check(sandbox().securityOpt("no-new-privileges:false").build())).extracting(Violation::rule)
          .containsExactly(Rule.SANDBOX_NO_NEW_PRIVILEGES);
    }

    @Test
    void sandboxOnThePolicysOwnNetworkConformsButNotWhenAlsoElsewhere() {
      SandboxPlanner.Policy onNetwork = policy("network: sandbox-net");

      assertThat(check(onNetwork, sandbox().networkMode("sandbox-net").withoutNetwork("none").network("sandbox-net", List.of()).build()))
          .isEmpty();
      assertThat(check(onNetwork, sandbox().networkMode("sandbox-net").withoutNetwork("none").network("sandbox-net", List.of())
          .network("openclaw-net", List.of()).build()))
          .containsExactly(new Violation(Rule.SANDBOX_NETWORK, "also attached to openclaw-net"));
      assertThat(check(onNetwork, sandbox().build()))
          .containsExactly(new Violation(Rule.SANDBOX_NETWORK, "network mode none instead of sandbox-net"));
    }

    @Test
    void swapLeftAtTheDaemonDefaultIsWithinTheCapWhenTwiceMemoryIs() {
      assertThat(check(sandbox().memory(512 * MIB).memorySwap(0).build())).isEmpty();
    }

    @Test
    void limitsBelowTheCapsConform() {
      assertThat(check(sandbox().memory(256 * MIB).memorySwap(256 * MIB).nanoCpus(0).cpuQuota(50_000, 100_000).pidsLimit(64).build())).isEmpty();
    }

    @Test
    void everyRuleBrokenIsReportedOnce() {
      ContainerView c = sandbox().privileged(true).capDrop().securityOpt().networkMode("bridge").pidMode("host")
          .bind("/var/run/docker.sock", "/var/run/docker.sock", true).memory(0).nanoCpus(0).pidsLimit(0).build();

      assertThat(check(c)).extracting(Violation::rule).containsExactly(Rule.SANDBOX_PRIVILEGED, Rule.SANDBOX_CAPABILITIES,
          Rule.SANDBOX_NO_NEW_PRIVILEGES, Rule.SANDBOX_NETWORK, Rule.SANDBOX_MOUNTS, Rule.SANDBOX_HOST_NAMESPACES, Rule.SANDBOX_MEMORY,
          Rule.SANDBOX_CPUS, Rule.SANDBOX_PIDS);
    }
  }

  @Nested
  class Mounts {
    private List<Violation> mounts(SandboxPlanner.Policy policy, UnaryOperator<Containers.Builder> how) {
      return check(policy, how.apply(sandbox()).build());
    }

    private Violation breach(String detail) { return new Violation(Rule.SANDBOX_MOUNTS, detail); }

    @Test
    void ownWorkspaceReadWriteAndItsSkillsReadOnlyAreAllowed() {
      ContainerView c = sandbox().build();

      assertThat(c.mounts()).extracting(ContainerView.MountView::source, ContainerView.MountView::destination, ContainerView.MountView::readWrite)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(SANDBOX_ROOT + "/main-a1b2", "/workspace", true),
              org.assertj.core.groups.Tuple.tuple(SANDBOX_ROOT + "/main-a1b2/skills", "/workspace/skills", false));
      assertThat(check(c)).isEmpty();
    }

    @Test
    void anotherSessionsWorkspaceBreachesTheWorkspaceRule() {
      assertThat(mounts(SEED, b -> b.bind(SANDBOX_ROOT + "/other-agent", "/other", true)))
          .containsExactly(breach("bind " + SANDBOX_ROOT + "/other-agent -> /other rw (a second session's workspace besides main-a1b2)"));
    }

    @Test
    void theSandboxRootItselfBreachesTheWorkspaceRule() {
      assertThat(mounts(SEED, b -> b.withoutMounts().bind(SANDBOX_ROOT, "/workspace", true)))
          .containsExactly(breach("bind " + SANDBOX_ROOT + " -> /workspace rw (the sandbox root itself: every session's workspace)"));
    }

    @Test
    void ownWorkspaceMountedAnywhereButWorkspaceBreaches() {
      assertThat(mounts(SEED, b -> b.withoutMounts().bind(SANDBOX_ROOT + "/main-a1b2", "/data", true)))
          .containsExactly(breach("bind " + SANDBOX_ROOT + "/main-a1b2 -> /data rw (a workspace belongs at /workspace, its skills/ read-only at /workspace/skills)"));
      assertThat(mounts(SEED, b -> b.withoutMounts().bind(SANDBOX_ROOT + "/main-a1b2/cache", "/workspace/cache", true)))
          .containsExactly(breach("bind " + SANDBOX_ROOT + "/main-a1b2/cache -> /workspace/cache rw (a workspace belongs at /workspace, its skills/ read-only at /workspace/skills)"));
    }

    @Test
    void skillsMountedReadWriteBreaches() {
      assertThat(mounts(SEED, b -> b.withoutMounts().bind(SANDBOX_ROOT + "/main-a1b2", "/workspace", true)
          .bind(SANDBOX_ROOT + "/main-a1b2/skills", "/workspace/skills", true)))
          .containsExactly(breach("bind " + SANDBOX_ROOT + "/main-a1b2/skills -> /workspace/skills rw (a workspace belongs at /workspace, its skills/ read-only at /workspace/skills)"));
    }

    @Test
    void anotherSessionsSkillsBreachBesideTheOwnWorkspace() {
      assertThat(mounts(SEED, b -> b.withoutMounts().bind(SANDBOX_ROOT + "/main-a1b2", "/workspace", true)
          .bind(SANDBOX_ROOT + "/other/skills", "/workspace/skills", false)))
          .containsExactly(breach("bind " + SANDBOX_ROOT + "/other/skills -> /workspace/skills ro (a second session's workspace besides main-a1b2)"));
    }

    @Test
    void tmpfsMountsAreAllowed() {
      assertThat(mounts(SEED, b -> b.tmpfsMount("/scratch").tmpfsMount("/run"))).isEmpty();
    }

    @Test
    void agentWorkspaceBreachesWithWorkspaceAccessNone() {
      assertThat(mounts(SEED, b -> b.bind(AGENT_WORKSPACE, "/agent", false)))
          .containsExactly(breach("bind " + AGENT_WORKSPACE + " -> /agent ro (the agent workspace; workspaceAccess is none)"));
    }

    @Test
    void agentWorkspaceIsAllowedReadOnlyWithWorkspaceAccessRoButNotReadWrite() {
      SandboxPlanner.Policy ro = policy("workspaceAccess: ro");

      assertThat(mounts(ro, b -> b.bind(AGENT_WORKSPACE, "/agent", false))).isEmpty();
      assertThat(mounts(ro, b -> b.bind(AGENT_WORKSPACE + "/project", "/agent/project", false))).isEmpty();
      assertThat(mounts(ro, b -> b.bind(AGENT_WORKSPACE, "/agent", true)))
          .containsExactly(breach("bind " + AGENT_WORKSPACE + " -> /agent rw (the agent workspace, read-write; workspaceAccess is ro)"));
    }

    @Test
    void agentWorkspaceIsAllowedReadWriteWithWorkspaceAccessRw() {
      assertThat(mounts(policy("workspaceAccess: rw"), b -> b.bind(AGENT_WORKSPACE, "/workspace", true))).isEmpty();
    }

    @Test
    void explicitMountPathsOfThePolicyAreTheOnesJudged() {
      SandboxPlanner.Policy custom = new SandboxPlanner.Policy(SEED.key(), policy("workspaceAccess: ro").spec(), "/srv/sbx", "/srv/agent");

      assertThat(check(custom, sandbox().withoutMounts().bind("/srv/sbx/a", "/workspace", true).bind("/srv/agent", "/agent", false).build()))
          .isEmpty();
      assertThat(check(custom, sandbox().build())).containsExactly(breach("bind " + SANDBOX_ROOT + "/main-a1b2 -> /workspace rw; bind "
          + SANDBOX_ROOT + "/main-a1b2/skills -> /workspace/skills ro"));
    }

    @Test
    void dockerSocketBreachesAndIsNamed() {
      assertThat(mounts(SEED, b -> b.bind("/var/run/docker.sock", "/var/run/docker.sock", false)))
          .containsExactly(breach("bind /var/run/docker.sock -> /var/run/docker.sock ro (the Docker socket: full control of the host)"));
    }

    @Test
    void directoryHoldingTheDockerSocketBreachesAsTheSocket() {
      assertThat(mounts(SEED, b -> b.bind("/run", "/host-run", true)))
          .containsExactly(breach("bind /run -> /host-run rw (the Docker socket: full control of the host)"));
    }

    @Test
    void etcBreaches() {
      assertThat(mounts(SEED, b -> b.bind("/etc", "/host-etc", false))).containsExactly(breach("bind /etc -> /host-etc ro"));
    }

    @Test
    void dotDotCannotSmuggleAPathOutOfTheSandboxRoot() {
      assertThat(mounts(SEED, b -> b.bind(SANDBOX_ROOT + "/../../etc", "/workspace/etc", false)))
          .containsExactly(breach("bind " + SANDBOX_ROOT + "/../../etc -> /workspace/etc ro"));
      assertThat(mounts(SEED, b -> b.bind(SANDBOX_ROOT + "/main/../../../../etc", "/workspace/etc", false)))
          .containsExactly(breach("bind " + SANDBOX_ROOT + "/main/../../../../etc -> /workspace/etc ro"));
      assertThat(mounts(SEED, b -> b.bind(SANDBOX_ROOT + "/../../../../var/run/docker.sock", "/docker.sock", true)))
          .containsExactly(breach("bind " + SANDBOX_ROOT + "/../../../../var/run/docker.sock -> /docker.sock rw (the Docker socket: full control of the host)"));
    }

    @Test
    void siblingDirectoryWithTheRootAsPrefixIsNotUnderTheRoot() {
      assertThat(mounts(SEED, b -> b.bind(SANDBOX_ROOT + "-evil/x", "/x", true))).containsExactly(breach("bind " + SANDBOX_ROOT + "-evil/x -> /x rw"));
    }

    @Test
    void namedVolumesBreach() {
      assertThat(mounts(SEED, b -> b.volume("shared-data", "/data", true))).containsExactly(breach("volume shared-data -> /data rw"));
    }
  }

  /** The create-time judgement from the container list: the rules the list can show, nothing it cannot. */
  @Nested
  class Listed {
    private final Instant now = T0.plusSeconds(1);

    private SandboxPlanner.Plan plan(ContainerView listed) {
      return SandboxPlanner.plan(SEED, List.of(listed), Set.of(), Set.of(), SandboxPlanner.ExecActivity.NONE, HostCapabilities.FULL, PathCanon.LEXICAL, now);
    }

    /** As the list shows a sandbox: no limits, capabilities or options, since the list does not carry them. */
    private Containers.Builder listed() {
      return sandbox().state("created").listedOnly().capDrop().securityOpt().memory(0).nanoCpus(0).pidsLimit(0);
    }

    @Test
    void openClawsOwnMountsAndNoNetworkAreNoBreachAndWhatTheListCannotShowIsNotJudged() {
      SandboxPlanner.Plan plan = plan(listed().build());

      assertThat(plan.verdicts().get(0).violations()).isEmpty();
      assertThat(plan.actions()).isEmpty();
    }

    @Test
    void theDockerSocketIsCondemnedFromTheListAlone() {
      SandboxPlanner.Plan plan = plan(listed().bind("/var/run/docker.sock", "/var/run/docker.sock", true).build());

      assertThat(plan.actions()).containsExactly(new Action.RemoveContainer("sbx-1", "openclaw-sbx-main-a1b2", true, new Reason("sandbox.mounts",
          "sandbox.mounts: bind /var/run/docker.sock -> /var/run/docker.sock rw (the Docker socket: full control of the host)")));
    }

    @Test
    void aNetworkOrPublishedPortIsCondemnedFromTheListAlone() {
      SandboxPlanner.Plan plan = plan(listed().networkMode("bridge").withoutNetwork("none").network("bridge", List.of())
          .publish("0.0.0.0:8080->80/tcp").build());

      assertThat(plan.verdicts().get(0).violations()).containsExactly(new Violation(Rule.SANDBOX_NETWORK,
          "network mode bridge instead of none; attached to bridge; publishes ports [0.0.0.0:8080->80/tcp]"));
    }
  }

  @Nested
  class Remediation {
    @Test
    void isolationBreachIsKilledAndRemovedEvenWithLimitsToLower() {
      ContainerView c = sandbox().capAdd("SYS_ADMIN").memory(0).bind("/etc", "/host-etc", false).build();
      List<Violation> violations = check(c);

      assertThat(SandboxPlanner.breachesIsolation(violations)).isTrue();
      assertThat(SandboxPlanner.remediate(SEED, c, violations)).contains(new Action.RemoveContainer("sbx-1", "openclaw-sbx-main-a1b2", true,
          new Reason("sandbox.capabilities", "sandbox.capabilities: adds SYS_ADMIN; sandbox.mounts: bind /etc -> /host-etc ro")));
    }

    @Test
    void limitsAboveTheCapsAreLoweredInPlaceToTheCaps() {
      ContainerView c = sandbox().memory(2 * GIB).memorySwap(4 * GIB).nanoCpus(2_000_000_000L).pidsLimit(4096).build();
      List<Violation> violations = check(c);

      assertThat(SandboxPlanner.breachesIsolation(violations)).isFalse();
      assertThat(SandboxPlanner.remediate(SEED, c, violations)).contains(new Action.UpdateLimits("sbx-1", "openclaw-sbx-main-a1b2",
          new Limits(GIB, GIB, 1_000_000_000L, 512), null, false, new Reason("sandbox.memory", "sandbox.memory: memory 2g above the cap 1g;"
              + " sandbox.cpus: cpus 2 above the cap 1; sandbox.pids: pids limit 4096 above the cap 512")));
    }

    @Test
    void limitsBelowTheCapsAreKeptWhileTheOthersAreLowered() {
      ContainerView c = sandbox().memory(512 * MIB).memorySwap(-1).nanoCpus(500_000_000L).pidsLimit(0).build();

      Optional<Action> action = SandboxPlanner.remediate(SEED, c, check(c));

      assertThat(action).get().isInstanceOf(Action.UpdateLimits.class);
      assertThat(((Action.UpdateLimits) action.get()).limits()).isEqualTo(new Limits(512 * MIB, GIB, 500_000_000L, 512));
    }

    @Test
    void missingMemoryLimitIsSetWithSwapTogether() {
      ContainerView c = sandbox().memory(0).memorySwap(0).build();

      assertThat(((Action.UpdateLimits) SandboxPlanner.remediate(SEED, c, check(c)).orElseThrow()).limits())
          .isEqualTo(new Limits(GIB, GIB, 1_000_000_000L, 512));
    }

    @Test
    void swapLeftAtTheDaemonDefaultIsLoweredToTheCapTogetherWithMemory() {
      ContainerView c = sandbox().memory(768 * MIB).memorySwap(0).build();

      assertThat(((Action.UpdateLimits) SandboxPlanner.remediate(SEED, c, check(c)).orElseThrow()).limits())
          .isEqualTo(new Limits(768 * MIB, GIB, 1_000_000_000L, 512));
    }

    @Test
    void cpuLimitSetAsQuotaIsLoweredInTheSameForm() {
      ContainerView c = sandbox().nanoCpus(0).cpuQuota(400_000, 100_000).build();

      Action.UpdateLimits update = (Action.UpdateLimits) SandboxPlanner.remediate(SEED, c, check(c)).orElseThrow();
      assertThat(update.limits().nanoCpus()).isEqualTo(1_000_000_000L);
      assertThat(update.cpuAsQuota()).as("the daemon refuses NanoCpus over a quota in place").isTrue();
      assertThat(((Action.UpdateLimits) SandboxPlanner.remediate(SEED, sandbox().nanoCpus(3_000_000_000L).build(),
          check(sandbox().nanoCpus(3_000_000_000L).build())).orElseThrow()).cpuAsQuota()).isFalse();
    }

    @Test
    void conformingSandboxNeedsNoAction() {
      assertThat(SandboxPlanner.remediate(SEED, sandbox().build(), List.of())).isEmpty();
    }

    @Test
    void reportPolicyIsNotEnforcing() {
      assertThat(SEED.enforcing()).isTrue();
      assertThat(policy("enforcement: report").enforcing()).isFalse();
    }
  }

  @Nested
  class Concurrency {
    private final Instant now = T0.plus(Duration.ofHours(1));

    /** n running sandboxes created one second apart, oldest first: sbx-00 at T0, sbx-01 at T0+1s, ... */
    private List<ContainerView> running(int n) {
      return IntStream.range(0, n).mapToObj(i -> sandbox(String.format("sbx-%02d", i), "s" + i, T0.plusSeconds(i)).build()).toList();
    }

    private static List<String> removedIds(List<Action> actions) {
      return actions.stream().map(a -> ((Action.RemoveContainer) a).id()).toList();
    }

    @Test
    void twentyRunningWithACapOfEightKeepTheEightOldestAndKillTheRest() {
      List<ContainerView> sandboxes = new ArrayList<>(running(20));
      java.util.Collections.shuffle(sandboxes, new java.util.Random(7));

      List<Action> actions = SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now).kills();

      assertThat(removedIds(actions)).containsExactlyElementsOf(IntStream.range(8, 20).mapToObj(i -> String.format("sbx-%02d", i)).toList());
      assertThat(actions).allMatch(a -> ((Action.RemoveContainer) a).kill());
      assertThat(actions.get(0).reason()).isEqualTo(new Reason("sandbox.max_concurrent",
          "20 sandboxes running, cap 8; openclaw-sbx-s8 is among the newest"));
    }

    @Test
    void sandboxesCreatedAtTheSameTimeAreOrderedById() {
      List<ContainerView> sandboxes = IntStream.range(0, 10).mapToObj(i -> sandbox("sbx-" + (char) ('j' - i), "s" + i, T0).build()).toList();

      assertThat(removedIds(SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now).kills())).containsExactly("sbx-i", "sbx-j");
    }

    @Test
    void openClawsCreatedAtLabelCanMakeASandboxOlder() {
      List<ContainerView> sandboxes = new ArrayList<>(running(9));
      sandboxes.set(8, sandbox("sbx-08", "s8", T0.plusSeconds(8)).label(Labels.CREATED_AT_MS, Long.toString(T0.minusSeconds(60).toEpochMilli()))
          .build());

      assertThat(removedIds(SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now).kills())).containsExactly("sbx-07");
    }

    @Test
    void openClawsCreatedAtLabelCannotMakeASandboxYounger() {
      List<ContainerView> sandboxes = new ArrayList<>(running(9));
      sandboxes.set(0, sandbox("sbx-00", "s0", T0).label(Labels.CREATED_AT_MS, Long.toString(now.toEpochMilli())).build());

      assertThat(removedIds(SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now).kills())).containsExactly("sbx-08");
    }

    @Test
    void createdAtLabelThatIsNoNumberIsIgnored() {
      ContainerView c = sandbox().label(Labels.CREATED_AT_MS, "yesterday").build();

      assertThat(SandboxPlanner.createdAt(c)).isEqualTo(T0);
    }

    @Test
    void sandboxBeyondTheCapThatHasNotStartedIsLeftUntilItStartsNeverRemovedWhileItsStartMayBeInFlight() {
      List<ContainerView> sandboxes = new ArrayList<>(running(8));
      sandboxes.add(sandbox("sbx-new", "new", now.minusSeconds(5)).state("created").build());

      SandboxPlanner.Cap cap = SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now);

      assertThat(cap.kills()).isEmpty();
      assertThat(cap.awaitingStart()).containsExactly(Map.entry("sbx-new",
          "beyond the cap (9 sandboxes running or starting, cap 8): killed once it has started (a removal now would wait behind its start)"));
    }

    @Test
    void theSameSandboxIsKilledOnceItRuns() {
      List<ContainerView> sandboxes = new ArrayList<>(running(8));
      sandboxes.add(sandbox("sbx-new", "new", now.minusSeconds(5)).build());

      SandboxPlanner.Cap cap = SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now);

      assertThat(cap.kills()).containsExactly(new Action.RemoveContainer("sbx-new", "openclaw-sbx-new", true, new Reason("sandbox.max_concurrent",
          "9 sandboxes running, cap 8; openclaw-sbx-new is among the newest")));
      assertThat(cap.awaitingStart()).isEmpty();
    }

    @Test
    void anOlderSandboxNotYetStartedKeepsItsPlaceSoTheNewestRunningOneIsKilledInstead() {
      // sbx-07 was created before sbx-08 but starts after it: the order of creation decides, not the order of starts.
      List<ContainerView> sandboxes = new ArrayList<>(running(9));
      sandboxes.set(7, sandbox("sbx-07", "s7", now.minusSeconds(2)).state("created").build());
      sandboxes.set(8, sandbox("sbx-08", "s8", now.minusSeconds(1)).build());

      SandboxPlanner.Cap cap = SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now);

      assertThat(cap.kills()).containsExactly(new Action.RemoveContainer("sbx-08", "openclaw-sbx-s8", true, new Reason("sandbox.max_concurrent",
          "9 sandboxes running or starting, cap 8; openclaw-sbx-s8 is among the newest")));
      assertThat(cap.awaitingStart()).isEmpty();
    }

    @Test
    void everySandboxBeyondTheCapIsKilledIfRunningAndAwaitedIfNotInAnyMixOfStates() {
      // Twelve beyond a cap of eight, every other one not started yet: six kills, six awaited, none removed unstarted.
      List<ContainerView> sandboxes = IntStream.range(0, 20)
          .mapToObj(i -> sandbox(String.format("sbx-%02d", i), "s" + i, now.minusSeconds(9).plusMillis(i))
              .state(i >= 8 && i % 2 == 1 ? "created" : "running").build())
          .toList();

      SandboxPlanner.Cap cap = SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now);

      assertThat(removedIds(cap.kills())).containsExactly("sbx-08", "sbx-10", "sbx-12", "sbx-14", "sbx-16", "sbx-18");
      assertThat(cap.awaitingStart().keySet()).containsExactly("sbx-09", "sbx-11", "sbx-13", "sbx-15", "sbx-17", "sbx-19");
    }

    /** A state a sandbox can be in, and how long ago it was created. */
    private record Shape(String state, Duration age) {}

    private static final List<Shape> SHAPES = List.of(new Shape("running", Duration.ofHours(1)), new Shape("running", Duration.ofSeconds(1)),
        new Shape("paused", Duration.ofMinutes(5)), new Shape("restarting", Duration.ofMinutes(5)), new Shape("created", Duration.ofSeconds(1)),
        new Shape("created", SandboxPlanner.PENDING_START.plusSeconds(1)), new Shape("exited", Duration.ofMinutes(5)));

    @Test
    void onEveryHostTheCapKillsOnlyRunningSandboxesNeverTouchesOneNotStartedAndSettlesOnceTheStartsHaveCome() {
      java.util.Random random = new java.util.Random(20261130);
      List<SandboxPlanner.Policy> policies = IntStream.rangeClosed(1, 8).mapToObj(m -> policy("maxConcurrent: " + m)).toList();
      for (int h = 0; h < 2000; h++) {
        int n = random.nextInt(16);
        int max = 1 + random.nextInt(8);
        SandboxPlanner.Policy policy = policies.get(max - 1);
        List<ContainerView> sandboxes = new ArrayList<>();
        Set<String> gated = new java.util.HashSet<>();
        Set<String> condemned = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
          Shape shape = SHAPES.get(random.nextInt(SHAPES.size()));
          String id = String.format("sbx-%02d", i);
          // Created at distinct moments, in a random order of ids.
          sandboxes.add(sandbox(id, "s" + i, now.minus(shape.age()).minusMillis(random.nextInt(1000))).state(shape.state()).build());
          if (shape.state().equals("created") && random.nextInt(4) == 0) gated.add(id);
          if (random.nextInt(10) == 0) condemned.add(id);
        }
        String host = "host " + h + " (cap " + max + "): " + sandboxes.stream().map(c -> c.id() + " " + c.state() + " " + c.created()).toList()
            + ", gated " + gated + ", condemned " + condemned;

        SandboxPlanner.Cap cap = SandboxPlanner.concurrency(policy, sandboxes, condemned, gated, now);

        List<ContainerView> holding = sandboxes.stream().filter(c -> !condemned.contains(c.id()))
            .filter(c -> SandboxPlanner.holdsPlace(c, gated, now)).sorted(SandboxPlanner.OLDEST_FIRST).toList();
        List<String> beyond = holding.stream().skip(max).map(ContainerView::id).toList();
        Map<String, ContainerView> byId = new java.util.HashMap<>();
        sandboxes.forEach(c -> byId.put(c.id(), c));
        assertThat(cap.kills()).as(host).allSatisfy(a -> {
          Action.RemoveContainer r = (Action.RemoveContainer) a;
          assertThat(r.kill()).as("a kill, never a stop first").isTrue();
          assertThat(byId.get(r.id()).running()).as("only a running sandbox is acted on").isTrue();
          assertThat(r.reason().code()).isEqualTo("sandbox.max_concurrent");
        });
        assertThat(cap.awaitingStart().keySet()).as(host).allSatisfy(id -> assertThat(byId.get(id).notStarted()).isTrue());
        List<String> decided = new ArrayList<>(removedIds(cap.kills()));
        decided.addAll(cap.awaitingStart().keySet());
        assertThat(decided).as(host + ": exactly the newest beyond the cap, each once").containsExactlyInAnyOrderElementsOf(beyond);

        // The starts come, one by one in a random order; each brings a new plan (the start event), whose kills are carried out.
        List<ContainerView> live = new ArrayList<>(sandboxes);
        live.removeIf(c -> cap.kills().stream().anyMatch(a -> a.containerId().equals(c.id())));
        List<ContainerView> toStart = new ArrayList<>(live.stream().filter(c -> c.notStarted() && !gated.contains(c.id())
            && !condemned.contains(c.id()) && SandboxPlanner.holdsPlace(c, gated, now)).toList());
        java.util.Collections.shuffle(toStart, random);
        for (ContainerView started : toStart) {
          live.set(live.indexOf(started), sandbox(started.id(), started.name().substring("openclaw-sbx-".length()), started.created()).build());
          SandboxPlanner.Cap next = SandboxPlanner.concurrency(policy, live, condemned, gated, now);
          assertThat(next.kills()).as(host).allSatisfy(a -> assertThat(((Action.RemoveContainer) a).kill()).isTrue());
          live.removeIf(c -> next.kills().stream().anyMatch(a -> a.containerId().equals(c.id())));
        }
        List<String> runningAfter = live.stream().filter(c -> !condemned.contains(c.id())).filter(ContainerView::running)
            .map(ContainerView::id).toList();
        assertThat(runningAfter).as(host + ": settled at the cap, the oldest of those that held a place staying")
            .containsExactlyInAnyOrderElementsOf(holding.stream().limit(max).map(ContainerView::id).toList());
        assertThat(SandboxPlanner.concurrency(policy, live, condemned, gated, now).kills()).as(host + ": nothing left to do").isEmpty();
      }
    }

    @Test
    void thePlanLeavesASandboxBeyondTheCapWithoutActionAndSaysWhyUntilItRuns() {
      List<ContainerView> sandboxes = new ArrayList<>(running(8));
      // As the early look at its create sees it: from the list, not yet started.
      sandboxes.add(sandbox("sbx-new", "new", now.minusSeconds(1)).state("created").listedOnly().capDrop().securityOpt().memory(0).nanoCpus(0)
          .pidsLimit(0).build());

      SandboxPlanner.Plan plan = SandboxPlanner.plan(SEED, sandboxes, Set.of(), Set.of(), SandboxPlanner.ExecActivity.NONE, HostCapabilities.FULL,
          PathCanon.LEXICAL, now);

      assertThat(plan.actions()).isEmpty();
      Verdict verdict = plan.verdicts().stream().filter(v -> v.container().id().equals("sbx-new")).findFirst().orElseThrow();
      assertThat(verdict.actions()).isEmpty();
      assertThat(verdict.note()).startsWith("beyond the cap (9 sandboxes running or starting, cap 8): killed once it has started");
      assertThat(plan.running()).as("not running: the cap is not exceeded yet").isEqualTo(8);

      sandboxes.set(8, sandbox("sbx-new", "new", now.minusSeconds(1)).build());
      SandboxPlanner.Plan started = SandboxPlanner.plan(SEED, sandboxes, Set.of(), Set.of(), SandboxPlanner.ExecActivity.NONE,
          HostCapabilities.FULL, PathCanon.LEXICAL, now);
      assertThat(started.actions()).containsExactly(new Action.RemoveContainer("sbx-new", "openclaw-sbx-new", true,
          new Reason("sandbox.max_concurrent", "9 sandboxes running, cap 8; openclaw-sbx-new is among the newest")));
    }

    @Test
    void inReportModeASandboxBeyondTheCapNotYetStartedIsNeitherActedOnNorReported() {
      List<ContainerView> sandboxes = new ArrayList<>(running(8));
      sandboxes.add(sandbox("sbx-new", "new", now.minusSeconds(1)).state("created").build());

      SandboxPlanner.Plan plan = SandboxPlanner.plan(policy("enforcement: report"), sandboxes, Set.of(), Set.of(), SandboxPlanner.ExecActivity.NONE,
          HostCapabilities.FULL, PathCanon.LEXICAL, now);

      assertThat(plan.actions()).isEmpty();
      assertThat(plan.reported()).isEmpty();
      assertThat(plan.verdicts().get(8).note()).startsWith("beyond the cap");
    }

    @Test
    void aBreachBeyondTheCapIsStillRemovedAtOnceEvenBeforeItStarts() {
      // The breach's removal at its create is what keeps it from ever running; the cap's patience is for conforming ones.
      List<ContainerView> sandboxes = new ArrayList<>(running(8));
      sandboxes.add(sandbox("sbx-new", "new", now.minusSeconds(1)).state("created").bind("/etc", "/host-etc", false).build());

      SandboxPlanner.Plan plan = SandboxPlanner.plan(SEED, sandboxes, Set.of(), Set.of(), SandboxPlanner.ExecActivity.NONE, HostCapabilities.FULL,
          PathCanon.LEXICAL, now);

      assertThat(plan.actions()).singleElement().satisfies(a -> {
        assertThat(a).isInstanceOf(Action.RemoveContainer.class);
        assertThat(a.containerId()).isEqualTo("sbx-new");
        assertThat(a.reason().code()).isEqualTo("sandbox.mounts");
        assertThat(((Action.RemoveContainer) a).kill()).isTrue();
      });
    }

    @Test
    void aSandboxSeenOnlyInTheListIsNotTakenForOlderThanOneInspectedInTheSameSecond() {
      // The list's Created is whole seconds; an inspect's is exact.
      ContainerView inspected = sandbox("sbx-a", "a", Instant.ofEpochSecond(1_800_000_000L, 700_000_000)).build();
      ContainerView listed = io.openclaw.operator.docker.ContainerView.fromList(io.openclaw.operator.api.Yaml.JSON.readTree(
          "{\"Id\": \"sbx-b\", \"Names\": [\"/b\"], \"Created\": 1800000000, \"State\": \"created\"}"));
      assertThat(java.util.stream.Stream.of(listed, inspected).sorted(SandboxPlanner.OLDEST_FIRST).map(ContainerView::id))
          .containsExactly("sbx-a", "sbx-b");
    }

    @Test
    void aSandboxJustCreatedWhoseStartThePluginGatesHoldsNoPlaceYet() {
      List<ContainerView> sandboxes = new ArrayList<>(running(8));
      sandboxes.add(sandbox("sbx-new", "new", now.minusSeconds(1)).state("created").build());

      SandboxPlanner.Cap gated = SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of("sbx-new"), now);
      assertThat(gated.kills()).isEmpty();
      assertThat(gated.awaitingStart()).isEmpty();
      assertThat(SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now).awaitingStart()).as("without the plugin it does")
          .containsOnlyKeys("sbx-new");
    }

    @Test
    void sandboxCreatedLongAgoAndNeverStartedHoldsNoPlace() {
      List<ContainerView> sandboxes = new ArrayList<>(running(8));
      sandboxes.add(sandbox("sbx-stale", "stale", now.minus(SandboxPlanner.PENDING_START).minusSeconds(1)).state("created").build());

      SandboxPlanner.Cap cap = SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now);
      assertThat(cap.kills()).isEmpty();
      assertThat(cap.awaitingStart()).isEmpty();
    }

    @Test
    void exitedSandboxesHoldNoPlace() {
      List<ContainerView> sandboxes = new ArrayList<>(running(8));
      sandboxes.add(sandbox("sbx-done", "done", T0.minusSeconds(60)).state("exited").build());

      assertThat(SandboxPlanner.concurrency(SEED, sandboxes, Set.of(), Set.of(), now).kills()).isEmpty();
    }

    @Test
    void sandboxesCondemnedForABreachHoldNoPlace() {
      assertThat(SandboxPlanner.concurrency(SEED, running(9), Set.of("sbx-00"), Set.of(), now).kills()).isEmpty();
      assertThat(removedIds(SandboxPlanner.concurrency(SEED, running(10), Set.of("sbx-03"), Set.of(), now).kills())).containsExactly("sbx-09");
    }

    @Test
    void atTheCapNothingIsKilled() {
      assertThat(SandboxPlanner.concurrency(SEED, running(8), Set.of(), Set.of(), now).kills()).isEmpty();
      assertThat(removedIds(SandboxPlanner.concurrency(policy("maxConcurrent: 1"), running(3), Set.of(), Set.of(), now).kills()))
          .containsExactly("sbx-01", "sbx-02");
    }
  }

  @Nested
  class Pruning {
    private final Duration hour = Duration.ofHours(1);

    private List<SandboxPlanner.Prune> prune(SandboxPlanner.Policy policy, ContainerView c, Map<String, Instant> lastExec, boolean execRunning,
        Instant now) {
      return SandboxPlanner.prune(policy, List.of(c), lastExec, id -> execRunning, now);
    }

    @Test
    void idleSandboxIsRemovedTwelveHoursAfterItsLastExec() {
      Instant lastExec = T0.plus(hour);
      ContainerView c = sandbox().build();

      SandboxPlanner.Prune early = prune(SEED, c, Map.of("sbx-1", lastExec), false, lastExec.plus(Duration.ofHours(12)).minusSeconds(1)).get(0);
      SandboxPlanner.Prune due = prune(SEED, c, Map.of("sbx-1", lastExec), false, lastExec.plus(Duration.ofHours(12))).get(0);

      assertThat(early.remove()).isEmpty();
      assertThat(early.recheckAt()).isEqualTo(lastExec.plus(Duration.ofHours(12)));
      assertThat(due.remove()).contains(new Action.RemoveContainer("sbx-1", "openclaw-sbx-main-a1b2", true, new Reason("sandbox.idle",
          "openclaw-sbx-main-a1b2 idle since " + lastExec + " (idleHours 12)")));
    }

    @Test
    void sandboxWithoutAnyExecIsIdleFromItsCreation() {
      assertThat(prune(SEED, sandbox().build(), Map.of(), false, T0.plus(Duration.ofHours(12))).get(0).remove())
          .get().extracting(a -> a.reason().code()).isEqualTo("sandbox.idle");
    }

    @Test
    void execRecordedBeforeTheSandboxWasCreatedCountsFromCreation() {
      SandboxPlanner.Prune p = prune(SEED, sandbox().build(), Map.of("sbx-1", T0.minus(Duration.ofDays(1))), false, T0.plus(hour)).get(0);

      assertThat(p.remove()).isEmpty();
      assertThat(p.recheckAt()).isEqualTo(T0.plus(Duration.ofHours(12)));
    }

    @Test
    void busySandboxIsRemovedAtItsMaximumAge() {
      Instant now = T0.plus(Duration.ofDays(3));

      SandboxPlanner.Prune p = prune(SEED, sandbox().build(), Map.of("sbx-1", now.minus(hour)), false, now).get(0);

      assertThat(p.remove()).contains(new Action.RemoveContainer("sbx-1", "openclaw-sbx-main-a1b2", true, new Reason("sandbox.max_age",
          "openclaw-sbx-main-a1b2 created " + T0 + " (maxAgeDays 3)")));
    }

    @Test
    void maximumAgeCountsFromOpenClawsEarlierCreatedAtLabel() {
      Instant claimed = T0.minus(Duration.ofDays(2));
      ContainerView c = sandbox().label(Labels.CREATED_AT_MS, Long.toString(claimed.toEpochMilli())).build();
      Instant now = claimed.plus(Duration.ofDays(3));

      assertThat(prune(SEED, c, Map.of("sbx-1", now.minus(hour)), false, now).get(0).remove()).get()
          .extracting(a -> a.reason().code()).isEqualTo("sandbox.max_age");
    }

    @Test
    void dueSandboxWithARunningExecWaitsUntilTheGracePeriodEndsThenIsRemoved() {
      Instant due = T0.plus(Duration.ofHours(12));

      SandboxPlanner.Prune waiting = prune(SEED, sandbox().build(), Map.of(), true, due.plus(Duration.ofMinutes(9))).get(0);
      SandboxPlanner.Prune over = prune(SEED, sandbox().build(), Map.of(), true, due.plus(Duration.ofMinutes(10))).get(0);

      assertThat(waiting.remove()).isEmpty();
      assertThat(waiting.recheckAt()).isEqualTo(due.plus(Duration.ofMinutes(10)));
      assertThat(over.remove()).get().extracting(a -> a.reason().detail()).isEqualTo("openclaw-sbx-main-a1b2 idle since " + T0
          + " (idleHours 12); an exec still runs, but the grace period 10m is over");
    }

    @Test
    void gracePeriodComesFromThePolicy() {
      Instant due = T0.plus(Duration.ofHours(12));

      assertThat(prune(policy("prune: {execGracePeriod: 30s}"), sandbox().build(), Map.of(), true, due.plusSeconds(30)).get(0).remove()).isPresent();
    }

    @Test
    void fractionalIdleHoursAreExact() {
      SandboxPlanner.Prune p = prune(policy("prune: {idleHours: 0.5}"), sandbox().build(), Map.of(), false, T0).get(0);

      assertThat(p.recheckAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void stoppedSandboxIsRemovedWithoutAKill() {
      ContainerView c = sandbox().state("exited").build();

      assertThat(prune(SEED, c, Map.of(), false, T0.plus(Duration.ofDays(4))).get(0).remove()).get()
          .extracting(a -> ((Action.RemoveContainer) a).kill()).isEqualTo(false);
    }

    @Test
    void eachRemovalCarriesTheReasonCodeOfWhatCameDueFirst() {
      Instant now = T0.plus(Duration.ofDays(3));
      List<ContainerView> sandboxes = List.of(sandbox("idle", "idle", T0.plus(Duration.ofDays(2))).build(),
          sandbox("old", "old", T0).build(), sandbox("young", "young", now.minus(hour)).build());
      Map<String, Instant> lastExec = Map.of("old", now.minus(hour));

      List<SandboxPlanner.Prune> decisions = SandboxPlanner.prune(SEED, sandboxes, lastExec, id -> false, now);

      assertThat(decisions).extracting(p -> p.container().id() + ":" + p.remove().map(a -> a.reason().code()).orElse("keep"))
          .containsExactly("idle:sandbox.idle", "old:sandbox.max_age", "young:keep");
    }
  }

  @Test
  void breachesFromOpenClawsOwnConfigNameTheSettingThatProducesThem() {
    assertThat(Rule.SANDBOX_NETWORK.openClawKey()).contains("agents.defaults.sandbox.docker.network");
    assertThat(Rule.SANDBOX_MEMORY.openClawKey()).contains("agents.defaults.sandbox.docker.memory / memorySwap");
    assertThat(Rule.SANDBOX_UNCONFINED.openClawKey()).contains("agents.defaults.sandbox.docker.seccompProfile / apparmorProfile");
    assertThat(Rule.SANDBOX_HOST_NAMESPACES.openClawKey()).isEmpty();
  }
}
