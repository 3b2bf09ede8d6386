package io.openclaw.operator.plan.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the egress proxy is given, against golden files; SmokescreenIT runs the same files in the real Smokescreen. */
class SmokescreenConfigTest {
  private static EgressAllowlist allowlist(String spec) {
    return Fixtures.resource(EgressAllowlist.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: EgressAllowlist
        metadata: {name: llm, namespace: team-a}
        spec:
        """ + spec.indent(2));
  }

  @Test
  void seedAllowlistRendersTheGoldenAcl() {
    Golden.assertMatches("smokescreen/acl-seed.yaml", SmokescreenConfig.acl(Fixtures.seed(EgressAllowlist.class)));
  }

  @Test
  void modelDomainsAreTheModelProxyRolesAloneAndTheProxyIsToldToFindRolesByAddress() {
    EgressAllowlist split = allowlist("domains: [\"*.slack.com\"]\nmodelDomains: [\"api.anthropic.com\"]\naction: report");

    assertThat(SmokescreenConfig.acl(split)).isEqualTo("""
        # Rendered by openclaw-docker-operator from EgressAllowlist team-a/llm; do not edit.
        version: v1
        services:
          - name: "model-proxy"
            project: "llm"
            action: report
            allowed_domains:
              - "api.anthropic.com"
        default:
          project: "llm"
          action: report
          allowed_domains:
            - "*.slack.com"
        """);
    assertThat(SmokescreenConfig.env(split)).containsExactly("SMOKESCREEN_ROLE_FROM_ADDRESS=model-proxy");
    EgressAllowlist noSplit = allowlist("domains: [\"*.slack.com\"]");
    assertThat(SmokescreenConfig.acl(noSplit)).contains("services: []\n");
    assertThat(SmokescreenConfig.env(noSplit)).as("no roles, nothing for the proxy to find").isEmpty();
    assertThat(SmokescreenConfig.env(null)).isEmpty();
  }

  @Test
  void sameSpecRendersTheSameBytesAndHash() {
    String spec = "domains: [\"*.anthropic.com\", \"*.openai.com\"]\ndenyRanges: [10.0.0.0/8]";

    assertThat(SmokescreenConfig.acl(allowlist(spec))).isEqualTo(SmokescreenConfig.acl(allowlist(spec)));
    assertThat(SmokescreenConfig.aclHash(allowlist(spec))).isEqualTo(SmokescreenConfig.aclHash(allowlist(spec))).hasSize(64);
  }

  @Test
  void changedDomainsChangeTheHash() {
    assertThat(SmokescreenConfig.aclHash(allowlist("domains: [\"*.openai.com\"]")))
        .isNotEqualTo(SmokescreenConfig.aclHash(allowlist("domains: [\"*.openai.com\", \"*.anthropic.com\"]")));
  }

  @Test
  void aclNamesItsSourceUsesTheProjectAndActionAndQuotesEveryDomain() {
    assertThat(SmokescreenConfig.acl(allowlist("domains: [\"api.openai.com\"]\naction: report\nproject: \"say \\\"hi\\\"\""))).isEqualTo("""
        # Rendered by openclaw-docker-operator from EgressAllowlist team-a/llm; do not edit.
        version: v1
        services: []
        default:
          project: "say \\"hi\\""
          action: report
          allowed_domains:
            - "api.openai.com"
        """);
  }

  @Test
  void emptyDomainListAllowsNothing() {
    assertThat(SmokescreenConfig.acl(allowlist("domains: []\naction: open"))).endsWith("""
        default:
          project: "llm"
          action: open
          allowed_domains: []
        """);
  }

  @Test
  void withoutAnAllowlistTheAclAllowsNothingRatherThanBeingLeftOut() {
    Golden.assertMatches("smokescreen/acl-none.yaml", SmokescreenConfig.acl(null));
    assertThat(SmokescreenConfig.acl(null)).contains("services: []", "action: enforce", "allowed_domains: []");
  }

  @Test
  void configFileAllowsRequestsWithoutAClientCertificateRole() {
    Golden.assertMatches("smokescreen/config.yaml", SmokescreenConfig.CONFIG);
  }

  @Test
  void argsPointAtTheFilesListenOnThePortAndAddEveryDenyRange() {
    assertThat(SmokescreenConfig.args(Fixtures.seed(EgressAllowlist.class), 4750)).containsExactly(
        "--config-file=/etc/smokescreen/config.yaml", "--egress-acl-file=/etc/smokescreen/acl.yaml", "--listen-ip=0.0.0.0",
        "--listen-port=4750", "--deny-range=10.0.0.0/8", "--deny-range=172.16.0.0/12", "--deny-range=192.168.0.0/16");
  }

  @Test
  void argsAddEveryAllowRangeAfterTheDenyRanges() {
    assertThat(SmokescreenConfig.args(allowlist("domains: [\"api.allowed.test\"]\ndenyRanges: [203.0.113.0/24]\n"
        + "allowRanges: [172.30.0.0/16, 10.1.2.3/32]"), 4750)).endsWith("--deny-range=203.0.113.0/24", "--allow-range=172.30.0.0/16",
        "--allow-range=10.1.2.3/32");
  }

  @Test
  void argsWithoutDenyRangesOrWithoutAnAllowlistAddNone() {
    List<String> base = List.of("--config-file=/etc/smokescreen/config.yaml", "--egress-acl-file=/etc/smokescreen/acl.yaml",
        "--listen-ip=0.0.0.0", "--listen-port=3128");

    assertThat(SmokescreenConfig.args(allowlist("domains: [\"*.openai.com\"]"), 3128)).isEqualTo(base);
    assertThat(SmokescreenConfig.args(null, 3128)).isEqualTo(base);
  }
}
