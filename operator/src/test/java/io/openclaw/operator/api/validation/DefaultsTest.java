package io.openclaw.operator.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.EgressAllowlistSpec;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.GatewayDeploymentSpec.ForeignContainers;
import io.openclaw.operator.api.PortMapping;
import io.openclaw.operator.api.Resources;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicySpec;
import io.openclaw.operator.api.SocketProxyGrant;
import io.openclaw.operator.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A minimal manifest of each kind gets every default of DESIGN.md §2, from the CRD schema packed into the jar. */
class DefaultsTest {
  private static final List<String> AGENT_DENIALS = List.of("process", "browser", "nodes", "gateway", "sessions_spawn", "sessions_send",
      "elevated", "host_exec", "docker", "camera", "canvas", "cron");
  /** The agent-level list less process, browser and nodes. */
  private static final List<String> GATEWAY_DENIALS = List.of("gateway", "sessions_spawn", "sessions_send", "elevated", "host_exec",
      "docker", "camera", "canvas", "cron");

  private static GatewayDeploymentSpec minimalGateway(String extra) {
    return Fixtures.resource(GatewayDeployment.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: GatewayDeployment
        metadata: {name: openclaw}
        spec:
          gateway: {image: openclaw:1}
          socketProxy: {image: proxy:1}
          egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}}
        """ + extra).getSpec();
  }

  private static void assertSeedResources(Resources r) {
    assertThat(r.memory()).isEqualTo("1Gi");
    assertThat(r.cpus()).isEqualTo("1.0");
    assertThat(r.pidsLimit()).isEqualTo(512L);
    assertThat(r.memorySwap()).as("no memorySwap default in the schema").isNull();
    assertThat(r.memorySwapBytes()).as("swap is counted: memorySwap defaults to memory").isEqualTo(1L << 30);
  }

  @Test
  void minimalGatewayDeploymentGetsNetworksStateDirListenPortDenialsAndForeignContainerHandling() {
    GatewayDeploymentSpec spec = minimalGateway("");

    assertThat(spec.networks()).isEqualTo(new GatewayDeploymentSpec.Networks("openclaw-net", "egress-net", "ingress-net"));
    assertThat(spec.gateway().stateDir()).isEqualTo("/var/lib/openclaw");
    assertThat(spec.egressProxy().listenPort()).isEqualTo(4750);
    assertThat(spec.toolDenials().gateway()).isEqualTo(GATEWAY_DENIALS);
    assertThat(spec.foreignContainers()).isEqualTo(ForeignContainers.DISCONNECT);
    assertThat(spec.ingressProxy()).isNull();
    assertThat(spec.modelProxy()).isNull();
    assertThat(spec.cache()).isNull();
  }

  @Test
  void minimalSocketProxyAllowsExactlyWhatOpenClawsSandboxLifecycleNeeds() {
    assertThat(minimalGateway("").socketProxy().allow()).containsExactly(
        SocketProxyGrant.CONTAINERS, SocketProxyGrant.IMAGES, SocketProxyGrant.EXEC, SocketProxyGrant.PING, SocketProxyGrant.POST);
  }

  @Test
  void everyComponentGetsTheSeedResources() {
    GatewayDeploymentSpec spec = minimalGateway("""
          ingressProxy: {image: caddy:2, ports: [{containerPort: 8443, hostPort: 443}]}
          modelProxy: {image: litellm:1}
          cache: {image: redis:7}
        """);

    for (Resources r : List.of(spec.gateway().resources(), spec.socketProxy().resources(), spec.egressProxy().resources(),
        spec.ingressProxy().resources(), spec.modelProxy().resources(), spec.cache().resources())) {
      assertSeedResources(r);
    }
  }

  @Test
  void publishedPortDefaultsToLoopbackTcp() {
    PortMapping port = minimalGateway("  ingressProxy: {image: caddy:2, ports: [{containerPort: 8443, hostPort: 443}]}\n")
        .ingressProxy().ports().get(0);

    assertThat(port.hostIP()).isEqualTo("127.0.0.1");
    assertThat(port.protocol()).isEqualTo(PortMapping.Protocol.TCP);
  }

  @Test
  void partlyGivenObjectKeepsItsValuesAndGetsTheRestDefaulted() {
    GatewayDeploymentSpec spec = minimalGateway("  networks: {internal: private-net}\n  cache: {image: redis:7, resources: {memory: 256Mi}}\n");

    assertThat(spec.networks()).isEqualTo(new GatewayDeploymentSpec.Networks("private-net", "egress-net", "ingress-net"));
    assertThat(spec.cache().resources()).isEqualTo(new Resources("256Mi", null, "1.0", 512L));
  }

  @Test
  void explicitNullIsTreatedAsAbsentAndDefaulted() {
    assertThat(minimalGateway("  foreignContainers: null\n").foreignContainers()).isEqualTo(ForeignContainers.DISCONNECT);
  }

  @Test
  void minimalSandboxPolicyGetsTheSeedPolicy() {
    SandboxPolicySpec spec = Fixtures.resource(SandboxPolicy.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata: {name: sandboxes}
        spec:
          gatewayRef: {name: openclaw}
        """).getSpec();

    assertThat(spec.selector().matchLabels()).isEqualTo(Map.of("openclaw.sandbox", "1"));
    assertThat(spec.enforcement()).isEqualTo(SandboxPolicySpec.Enforcement.ENFORCE);
    assertThat(spec.capDrop()).containsExactly("ALL");
    assertThat(spec.network()).isEqualTo("none");
    assertThat(spec.workspaceAccess()).isEqualTo(SandboxPolicySpec.WorkspaceAccess.NONE);
    assertThat(spec.mounts()).isEqualTo(new SandboxPolicySpec.Mounts(null, null));
    assertSeedResources(spec.resources());
    assertThat(spec.prune()).isEqualTo(new SandboxPolicySpec.Prune(12.0, 3.0, "10m"));
    assertThat(spec.maxConcurrent()).isEqualTo(8);
    assertThat(spec.toolDenials()).isEqualTo(AGENT_DENIALS);
    assertThat(spec.hostSelector()).isNull();
  }

  @Test
  void minimalEgressAllowlistEnforces() {
    EgressAllowlistSpec spec = Fixtures.resource(EgressAllowlist.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: EgressAllowlist
        metadata: {name: llm}
        spec:
          domains: ["*.openai.com"]
        """).getSpec();

    assertThat(spec.action()).isEqualTo(EgressAllowlistSpec.Action.ENFORCE);
    assertThat(spec.denyRanges()).as("Smokescreen denies private ranges by itself; denyRanges only adds").isNull();
    assertThat(spec.project()).isNull();
  }
}
