package io.openclaw.operator.plan.rules;

import static io.openclaw.operator.testing.Containers.GIB;
import static io.openclaw.operator.testing.Containers.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.testing.Containers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks behind every rule, one by one, including the spellings Docker accepts. */
class ContainerChecksTest {
  private static Containers.Builder hardened() {
    return Containers.container("c1", "c").memory(GIB).memorySwap(GIB).nanoCpus(1_000_000_000L).pidsLimit(512);
  }

  private static ContainerView c(java.util.function.UnaryOperator<Containers.Builder> how) { return how.apply(hardened()).build(); }

  @Test
  void hardenedContainerPassesEveryCheck() {
    ContainerView c = hardened().build();

    assertThat(ContainerChecks.privileged(c)).isEmpty();
    assertThat(ContainerChecks.addedCapabilities(c)).isEmpty();
    assertThat(ContainerChecks.capabilitiesKept(c, List.of("ALL"))).isEmpty();
    assertThat(ContainerChecks.noNewPrivileges(c)).isEmpty();
    assertThat(ContainerChecks.hostNamespaces(c, false)).isEmpty();
    assertThat(ContainerChecks.unconfined(c)).isEmpty();
    assertThat(ContainerChecks.devices(c)).isEmpty();
    assertThat(ContainerChecks.sensitiveMounts(c.mounts(), PathCanon.LEXICAL, java.util.Map.of())).isEmpty();
    assertThat(ContainerChecks.dockerSocketMounts(c.mounts(), PathCanon.LEXICAL)).isEmpty();
    assertThat(ContainerChecks.memory(c, GIB, GIB)).isEmpty();
    assertThat(ContainerChecks.cpus(c, 1_000_000_000L)).isEmpty();
    assertThat(ContainerChecks.pids(c, 512)).isEmpty();
  }

  @Test
  void privilegedIsNamed() {
    assertThat(ContainerChecks.privileged(c(b -> b.privileged(true)))).contains("runs privileged: every capability and every device of the host");
  }

  @Test
  void addedCapabilitiesAreNamedInDockersCanonicalSpelling() {
    assertThat(ContainerChecks.addedCapabilities(c(b -> b.capAdd("CAP_SYS_ADMIN", "net_admin")))).contains("adds SYS_ADMIN, NET_ADMIN");
  }

  @Test
  void droppingAllInAnySpellingKeepsNoCapability() {
    for (String all : List.of("ALL", "all")) {
      assertThat(ContainerChecks.capabilitiesKept(c(b -> b.capDrop(all)), List.of("ALL", "NET_RAW"))).as(all).isEmpty();
    }
  }

  @Test
  void capabilitiesThePolicyWantsDroppedButAreKeptAreNamed() {
    assertThat(ContainerChecks.capabilitiesKept(c(b -> b.capDrop("cap_net_raw")), List.of("NET_RAW", "SYS_ADMIN")))
        .contains("does not drop SYS_ADMIN (drops only NET_RAW)");
    assertThat(ContainerChecks.capabilitiesKept(c(b -> b.capDrop("CAP_NET_RAW", "SYS_ADMIN")), List.of("net_raw", "CAP_SYS_ADMIN"))).isEmpty();
    assertThat(ContainerChecks.capabilitiesKept(c(b -> b.capDrop()), List.of("ALL"))).contains("does not drop ALL (drops nothing)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"})
  void noNewPrivilegesIsRecognisedInEverySpelling(String option) {
    assertThat(ContainerChecks.noNewPrivileges(c(b -> b.securityOpt("label=disable", option)))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-new-privileges:false", "no-new-privileges=false", "seccomp=unconfined"})
  void noNewPrivilegesOffOrAbsentIsABreach(String option) {
    assertThat(ContainerChecks.noNewPrivileges(c(b -> b.securityOpt(option))))
        .contains("no-new-privileges is not set: setuid binaries can raise privileges");
  }

  @Test
  void everySharedHostNamespaceIsNamed() {
    assertThat(ContainerChecks.hostNamespaces(c(b -> b.pidMode("host").ipcMode("host").utsMode("host").usernsMode("host").networkMode("host")
        .cgroupnsMode("host")), false)).contains("shares the host's PID namespace, the host's network namespace, the host's IPC namespace,"
        + " the host's UTS namespace, the host's cgroup namespace, the host's user namespace");
  }

  @Test
  void namespacesOfAnotherContainerAreNamed() {
    assertThat(ContainerChecks.hostNamespaces(c(b -> b.pidMode("container:abc").networkMode("container:def").ipcMode("container:ghi")), false))
        .contains("shares the PID namespace of container abc, the network namespace of container def, the IPC namespace of container ghi");
  }

  @Test
  void devicesAndDeviceCgroupRulesAreNamed() {
    assertThat(ContainerChecks.devices(c(b -> b.devices(2).deviceCgroupRules("c 1:3 rwm", "b 8:* rmw"))))
        .contains("has 2 host device(s); device cgroup rules c 1:3 rwm, b 8:* rmw");
  }

  @ParameterizedTest
  @ValueSource(strings = {"seccomp=unconfined", "seccomp:unconfined", "apparmor=unconfined", "apparmor:unconfined", "systempaths=unconfined",
      "SECCOMP=UNCONFINED"})
  void confinementSwitchedOffInAnySpellingIsNamed(String option) {
    assertThat(ContainerChecks.unconfined(c(b -> b.securityOpt("no-new-privileges", option)))).contains("security-opt " + option
        + ": the kernel's confinement (syscall filter, MAC profile, masked /proc and /sys paths) is off");
  }

  @ParameterizedTest
  @ValueSource(strings = {"seccomp=/etc/docker/seccomp.json", "apparmor=docker-default", "label=type:container_t"})
  void aConfinementProfileIsNoBreach(String option) {
    assertThat(ContainerChecks.unconfined(c(b -> b.securityOpt("no-new-privileges", option)))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc", "/etc/ssh", "/usr/../etc", "/root", "/home/alice", "/var/lib/docker", "/var/lib/docker/volumes", "/proc", "/sys/fs",
      "/dev", "/var/lib", "/boot"})
  void sensitiveHostPathsUnderOrAboveOneAreNamed(String source) {
    assertThat(ContainerChecks.sensitiveMounts(c(b -> b.bind(source, "/mnt", false)).mounts(), PathCanon.LEXICAL, java.util.Map.of()))
        .hasSize(1).first().asString().startsWith(source + " -> /mnt (");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/srv/data", "/opt/app", "/tmp/cache", "/var/lib/openclaw/sandboxes/s1", "/var/cache/app"})
  void ordinaryHostPathsAreNoSensitiveMount(String source) {
    assertThat(ContainerChecks.sensitiveMounts(c(b -> b.bind(source, "/mnt", false)).mounts(), PathCanon.LEXICAL,
        java.util.Map.of("/var/lib/openclaw", "/var/lib/openclaw/sandboxes"))).isEmpty();
  }

  @Test
  void theGatewaysStateDirectoryIsSensitiveOutsideItsSandboxRoot() {
    var protectedDirs = java.util.Map.of("/var/lib/openclaw", "/var/lib/openclaw/sandboxes");
    for (String source : List.of("/var/lib/openclaw", "/var/lib/openclaw/credentials", "/var/lib/openclaw/sandboxes")) {
      assertThat(ContainerChecks.sensitiveMounts(c(b -> b.bind(source, "/mnt", true)).mounts(), PathCanon.LEXICAL, protectedDirs)).as(source)
          .containsExactly(source + " -> /mnt (the gateway's state directory /var/lib/openclaw)");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/var", "/run"})
  void aDirectoryHoldingTheDockerSocketIsTheSocketRulesNotNamedTwice(String source) {
    assertThat(ContainerChecks.dockerSocketMounts(c(b -> b.bind(source, "/mnt", false)).mounts(), PathCanon.LEXICAL)).hasSize(1);
    assertThat(ContainerChecks.sensitiveMounts(c(b -> b.bind(source, "/mnt", false)).mounts(), PathCanon.LEXICAL, java.util.Map.of())).isEmpty();
  }

  @Test
  void theDockerSocketIsNotNamedTwice() {
    assertThat(ContainerChecks.sensitiveMounts(c(b -> b.bind("/var/run/docker.sock", "/s", true)).mounts(), PathCanon.LEXICAL, java.util.Map.of()))
        .isEmpty();
  }

  @Test
  void privateNamespacesAreFine() {
    assertThat(ContainerChecks.hostNamespaces(c(b -> b.ipcMode("shareable").networkMode("bridge").pidMode("")), false)).isEmpty();
  }

  @Test
  void theHostsCgroupNamespaceIsNoBreachWhereItIsTheDaemonsDefault() {
    ContainerView c = c(b -> b.cgroupnsMode("host"));

    assertThat(ContainerChecks.hostNamespaces(c, true)).as("cgroup v1: every container shows host").isEmpty();
    assertThat(ContainerChecks.hostNamespaces(c, false)).contains("shares the host's cgroup namespace");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run", "/var", "/", "/var/run/../run/docker.sock"})
  void bindOfTheDockerSocketOrADirectoryAboveItExposesTheSocket(String source) {
    assertThat(ContainerChecks.dockerSocketMounts(c(b -> b.bind(source, "/mnt", false)).mounts(), PathCanon.LEXICAL)).containsExactly(source + " -> /mnt");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/var/lib/docker", "/var/run/docker", "/run/user/1000", "/var/run/docker.sock.bak"})
  void bindBesideTheDockerSocketDoesNotExposeIt(String source) {
    assertThat(ContainerChecks.dockerSocketMounts(c(b -> b.bind(source, "/mnt", false)).mounts(), PathCanon.LEXICAL)).isEmpty();
  }

  @Test
  void volumeIsNoDockerSocketMount() {
    assertThat(ContainerChecks.dockerSocketMounts(c(b -> b.volume("docker.sock", "/var/run/docker.sock", true)).mounts(), PathCanon.LEXICAL)).isEmpty();
  }

  @Test
  void memoryLimitMissingOrAboveTheCapIsNamed() {
    assertThat(ContainerChecks.memory(c(b -> b.memory(0)), GIB, GIB)).contains("has no memory limit");
    assertThat(ContainerChecks.memory(c(b -> b.memory(1536 * MIB).memorySwap(1536 * MIB)), GIB, GIB)).contains("memory 1536m above the cap 1g");
  }

  @Test
  void swapIsCountedUnlimitedDefaultOrExplicit() {
    assertThat(ContainerChecks.memory(c(b -> b.memorySwap(-1)), GIB, GIB)).contains("memory+swap unlimited above the cap 1g");
    assertThat(ContainerChecks.memory(c(b -> b.memorySwap(0)), GIB, GIB)).contains("memory+swap 2g above the cap 1g");
    assertThat(ContainerChecks.memory(c(b -> b.memorySwap(3 * GIB)), GIB, 2 * GIB)).contains("memory+swap 3g above the cap 2g");
    assertThat(ContainerChecks.memory(c(b -> b.memorySwap(2 * GIB)), GIB, 2 * GIB)).isEmpty();
  }

  @Test
  void zeroCapsOnlyAskForALimit() {
    ContainerView c = c(b -> b.memory(64 * GIB).memorySwap(-1).nanoCpus(64_000_000_000L).pidsLimit(1 << 20));

    assertThat(ContainerChecks.memory(c, 0, 0)).isEmpty();
    assertThat(ContainerChecks.cpus(c, 0)).isEmpty();
    assertThat(ContainerChecks.pids(c, 0)).isEmpty();
  }

  @Test
  void effectiveSwapFollowsTheDaemonsRules() {
    assertThat(ContainerChecks.effectiveSwap(c(b -> b.memory(GIB).memorySwap(-1)))).isEqualTo(-1);
    assertThat(ContainerChecks.effectiveSwap(c(b -> b.memory(GIB).memorySwap(0)))).isEqualTo(2 * GIB);
    assertThat(ContainerChecks.effectiveSwap(c(b -> b.memory(GIB).memorySwap(GIB)))).isEqualTo(GIB);
  }

  @Test
  void cpuLimitMissingOrAboveTheCapIsNamedWhicheverWayItWasSet() {
    assertThat(ContainerChecks.cpus(c(b -> b.nanoCpus(0)), 1_000_000_000L)).contains("has no CPU limit");
    assertThat(ContainerChecks.cpus(c(b -> b.nanoCpus(2_500_000_000L)), 1_000_000_000L)).contains("cpus 2.5 above the cap 1");
    assertThat(ContainerChecks.cpus(c(b -> b.nanoCpus(0).cpuQuota(200_000, 100_000)), 1_000_000_000L)).contains("cpus 2 above the cap 1");
    assertThat(ContainerChecks.cpus(c(b -> b.nanoCpus(0).cpuQuota(100_000, 100_000)), 1_000_000_000L)).isEmpty();
    assertThat(ContainerChecks.cpus(c(b -> b.nanoCpus(0).cpuQuota(-1, 100_000)), 1_000_000_000L)).contains("has no CPU limit");
  }

  @Test
  void pidsLimitMissingOrAboveTheCapIsNamed() {
    assertThat(ContainerChecks.pids(c(b -> b.pidsLimit(0)), 512)).contains("has no PIDs limit");
    assertThat(ContainerChecks.pids(c(b -> b.pidsLimit(-1)), 512)).contains("has no PIDs limit");
    assertThat(ContainerChecks.pids(c(b -> b.pidsLimit(513)), 512)).contains("pids limit 513 above the cap 512");
  }

  @Test
  void capabilityNamesAreNormalised() {
    assertThat(ContainerChecks.normalized(List.of("CAP_CHOWN", "net_raw", "Sys_Admin"))).containsExactly("CHOWN", "NET_RAW", "SYS_ADMIN");
  }

  @Test
  void symlinksAreResolvedInsideTheHostRootAndAbsoluteTargetsStayInIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) throws Exception {
    java.nio.file.Files.createDirectories(root.resolve("var/lib/openclaw/sandboxes"));
    java.nio.file.Files.createDirectories(root.resolve("etc"));
    // An absolute link target is a path of the host: it must resolve under the root, not in this machine's own /etc.
    java.nio.file.Files.createSymbolicLink(root.resolve("var/lib/openclaw/sandboxes/evil"), java.nio.file.Path.of("/etc"));
    java.nio.file.Files.createSymbolicLink(root.resolve("var/lib/openclaw/sandboxes/rel"), java.nio.file.Path.of("../../../../etc"));
    java.nio.file.Files.createSymbolicLink(root.resolve("loop"), java.nio.file.Path.of("/loop"));
    PathCanon canon = PathCanon.within(root);

    assertThat(canon.canonical("/var/lib/openclaw/sandboxes/evil/passwd")).isEqualTo("/etc/passwd");
    assertThat(canon.canonical("/var/lib/openclaw/sandboxes/rel")).isEqualTo("/etc");
    assertThat(canon.canonical("/var/lib/openclaw/sandboxes/new/dir")).isEqualTo("/var/lib/openclaw/sandboxes/new/dir");
    assertThat(canon.canonical("/loop/x")).as("a link loop ends, judged as far as it got").isNotNull();
    assertThat(canon.resolvesLinks()).isTrue();
  }

  @Test
  void lexicalCanonNormalisesWithoutTouchingTheFilesystem() {
    assertThat(PathCanon.LEXICAL.canonical("/var/lib/openclaw/sandboxes/../../../etc/./passwd")).isEqualTo("/var/etc/passwd");
    assertThat(PathCanon.LEXICAL.resolvesLinks()).isFalse();
    assertThat(PathCanon.under("/var/lib/openclaw/sandboxes/a", "/var/lib/openclaw/sandboxes")).isTrue();
    assertThat(PathCanon.under("/var/lib/openclaw/sandboxes-x", "/var/lib/openclaw/sandboxes")).isFalse();
  }
}
