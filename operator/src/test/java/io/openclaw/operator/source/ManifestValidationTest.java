package io.openclaw.operator.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.validation.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * validate's verdict on bad manifests, each asserted as the exact line it prints:
 * {@code file:line: kind/name: field: message}. Every case starts from a valid set (a gateway, and a second file
 * holding the allowlist and the policy as two documents) and breaks one thing.
 */
class ManifestValidationTest {
  /** Lines 1-12; {@link #gatewayWith} inserts its lines after line 7, so they start at line 8. */
  private static final String GATEWAY = """
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: GatewayDeployment
      metadata:
        name: openclaw
      spec:
        gateway:
          image: openclaw:1
        socketProxy:
          image: proxy:1
        egressProxy:
          image: smokescreen:1
          allowlistRef: {name: llm}
      """;
  /** Two documents: the allowlist on lines 1-6, the policy on lines 8-13. */
  private static final String ALLOWLIST_AND_POLICY = """
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: EgressAllowlist
      metadata:
        name: llm
      spec:
        domains: ["*.openai.com"]
      ---
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: SandboxPolicy
      metadata:
        name: sandboxes
      spec:
        gatewayRef: {name: openclaw}
      """;
  private static final String GATEWAY_FIELDS = "args, command, configFrom, env, image, resources, secrets, stateDir, user, volumes, workspaceFiles";

  @TempDir Path dir;
  private Path gateway;
  private Path rest;

  @BeforeEach
  void restOfTheSet() throws IOException {
    gateway = dir.resolve("gateway.yaml");
    rest = write("rest.yaml", ALLOWLIST_AND_POLICY);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  /** The gateway with {@code lines} (indented as fields of spec.gateway) inserted from line 8 on. */
  private static String gatewayWith(String lines) {
    return GATEWAY.replace("    image: openclaw:1\n", "    image: openclaw:1\n" + lines.stripTrailing().indent(4));
  }

  /** Everything validate prints for the gateway file and the rest of the set. */
  private List<String> printed(String gatewayText) throws IOException {
    Files.writeString(gateway, gatewayText);
    return printed(gateway, rest);
  }

  /** Everything validate prints for the gateway file and the rest of the set, both given. */
  private List<String> printed(String gatewayText, String restText) throws IOException {
    Files.writeString(rest, restText);
    return printed(gatewayText);
  }

  private static List<String> printed(Path... files) {
    return ManifestLoader.load(List.of(files)).problems().stream().map(Problem::toString).toList();
  }

  @Test
  void aValidSetOfMultiDocumentFilesHasNoProblemAndYieldsEveryResource() throws IOException {
    Files.writeString(gateway, GATEWAY);
    ManifestLoader.Result result = ManifestLoader.load(List.of(gateway, rest));

    assertThat(result.problems()).isEmpty();
    assertThat(result.manifests()).extracting(m -> m.key().toString())
        .containsExactlyInAnyOrder("GatewayDeployment/default/openclaw", "EgressAllowlist/default/llm", "SandboxPolicy/default/sandboxes");
  }

  @Test
  void statusInAManifestIsIgnoredEvenWhenItBreaksTheConditionSchema() throws IOException {
    // Users never write status (the API server ignores it on the main endpoint); the CRD's strict condition schema
    // (required fields, enum, pattern, date-time) must not turn a copied status into a validation error.
    String withStatus = GATEWAY + """
        status:
          conditions:
          - {type: Ready, status: maybe, reason: "not a reason", lastTransitionTime: yesterday, observedGeneration: -1}
          hosts: [{observedGeneration: 1}]
        """;
    assertThat(printed(withStatus)).isEmpty();
  }

  @Test
  void unknownFieldIsNamedWithTheLikelyMeantFieldAndTheKnownOnes() throws IOException {
    assertThat(printed(GATEWAY.replace("image: openclaw:1", "imagee: openclaw:1"))).containsExactly(
        gateway + ":6: GatewayDeployment/openclaw: spec.gateway.image: required field missing",
        gateway + ":7: GatewayDeployment/openclaw: spec.gateway.imagee: unknown field; did you mean \"image\"? (known here: "
            + GATEWAY_FIELDS + ")");
  }

  @Test
  void publishedPortsAnywhereButTheIngressProxyAreAnUnknownField() throws IOException {
    assertThat(printed(gatewayWith("ports: [{containerPort: 18789, hostPort: 18789}]"))).containsExactly(
        gateway + ":8: GatewayDeployment/openclaw: spec.gateway.ports: unknown field (known here: " + GATEWAY_FIELDS + ")");
  }

  @Test
  void unknownKindNamesTheKindsThisOperatorReads() throws IOException {
    Path other = write("other.yaml", """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: GatewayDeploy
        metadata:
          name: other
        spec: {}
        """);
    Files.writeString(gateway, GATEWAY);

    assertThat(printed(gateway, rest, other)).containsExactly(
        other + ":2: GatewayDeploy/other: kind: unknown kind (this operator reads GatewayDeployment, SandboxPolicy, EgressAllowlist)");
  }

  @Test
  void anotherApisObjectsAreSkippedWithAWarningAndFailNothing() throws IOException {
    Path gitops = write("gitops.yaml", """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: openclaw
        spec: {project: default}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: openclaw-secrets
        """);
    Files.writeString(gateway, GATEWAY);

    ManifestLoader.Result result = ManifestLoader.load(List.of(gateway, rest, gitops));
    assertThat(result.hasErrors()).isFalse();
    assertThat(result.problems()).extracting(Problem::toString).containsExactly(
        gitops + ":1: warning: Application/openclaw (argoproj.io/v1alpha1) is not a hardening.openclaw.io resource: skipped",
        gitops + ":7: warning: Secret/openclaw-secrets (v1) is not a hardening.openclaw.io resource: skipped");
    assertThat(result.manifests()).extracting(m -> m.key().kind()).doesNotContain("Application", "Secret");
  }

  @Test
  void wrongApiVersionSaysTheRightOneAndWhatWasGiven() throws IOException {
    assertThat(printed(GATEWAY.replace("hardening.openclaw.io/v1alpha1", "hardening.openclaw.io/v1"))).containsExactly(
        gateway + ":1: GatewayDeployment/openclaw: apiVersion: must be hardening.openclaw.io/v1alpha1 (got \"hardening.openclaw.io/v1\")");
  }

  @Test
  void missingApiVersionSaysTheRightOne() throws IOException {
    assertThat(printed(GATEWAY.replace("apiVersion: hardening.openclaw.io/v1alpha1\n", ""))).containsExactly(
        gateway + ":1: GatewayDeployment/openclaw: apiVersion: must be hardening.openclaw.io/v1alpha1");
  }

  @Test
  void missingKindIsARequiredField() throws IOException {
    // A resource without a kind is not a GatewayDeployment: the policy's reference to it finds nothing.
    assertThat(printed(GATEWAY.replace("kind: GatewayDeployment\n", ""))).containsExactly(
        gateway + ":1: openclaw: kind: required field missing",
        rest + ":13: SandboxPolicy/sandboxes: spec.gatewayRef.name: no GatewayDeployment \"openclaw\" in namespace \"default\"");
  }

  @Test
  void missingRequiredFieldIsReportedAtItsParent() throws IOException {
    assertThat(printed(GATEWAY.replace("    allowlistRef: {name: llm}\n", ""))).containsExactly(
        gateway + ":10: GatewayDeployment/openclaw: spec.egressProxy.allowlistRef: required field missing");
  }

  @Test
  void numberWhereAQuotedStringBelongsSaysToQuoteIt() throws IOException {
    assertThat(printed(gatewayWith("user: 1000\nresources: {cpus: 1.0}"))).containsExactly(
        gateway + ":8: GatewayDeployment/openclaw: spec.gateway.user: must be a string, not a number (quote it: \"1000\")",
        gateway + ":9: GatewayDeployment/openclaw: spec.gateway.resources.cpus: must be a string, not a number (quote it: \"1.0\")");
  }

  @Test
  void quotedNumberWhereANumberBelongsSaysToRemoveTheQuotes() throws IOException {
    assertThat(printed(gatewayWith("resources: {pidsLimit: \"512\"}"))).containsExactly(
        gateway + ":8: GatewayDeployment/openclaw: spec.gateway.resources.pidsLimit: must be a whole number, not a string (remove the quotes)");
  }

  @Test
  void wordWhereANumberBelongsShowsTheWordInsteadOfSayingToRemoveQuotes() throws IOException {
    assertThat(printed(gatewayWith("resources: {pidsLimit: lots}"))).containsExactly(
        gateway + ":8: GatewayDeployment/openclaw: spec.gateway.resources.pidsLimit: must be a whole number, not a string (got \"lots\")");
  }

  @Test
  void enumViolationListsTheAllowedValues() throws IOException {
    assertThat(printed(GATEWAY + "  foreignContainers: delete\n")).containsExactly(
        gateway + ":13: GatewayDeployment/openclaw: spec.foreignContainers: must be one of disconnect, kill, report (got \"delete\")");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "resources: {memory: 1GB}     | spec.gateway.resources.memory: must be a memory quantity like 1Gi, 512Mi or 1073741824 (got \"1GB\")",
      "resources: {memorySwap: 2gb} | spec.gateway.resources.memorySwap: must be a memory quantity like 1Gi, 512Mi or 1073741824 (got \"2gb\")",
      "resources: {cpus: one}       | spec.gateway.resources.cpus: must be a number of CPUs like \"1.0\" or \"0.5\", or millicores like \"500m\" (got \"one\")",
      "resources: {cpus: '1.5m'}    | spec.gateway.resources.cpus: must be a number of CPUs like \"1.0\" or \"0.5\", or millicores like \"500m\" (got \"1.5m\")",
      "user: node                   | spec.gateway.user: must be a numeric uid or uid:gid, like 1000 or 1000:1000 (got \"node\")",
      "user: '1000:'                | spec.gateway.user: must be a numeric uid or uid:gid, like 1000 or 1000:1000 (got \"1000:\")",
      "stateDir: var/lib/openclaw   | spec.gateway.stateDir: must be an absolute path (got \"var/lib/openclaw\")",
      "stateDir: /                  | spec.gateway.stateDir: must be an absolute path (got \"/\")",
  })
  void patternViolationSaysInWordsWhatIsExpected(String field, String printed) throws IOException {
    assertThat(printed(gatewayWith(field))).containsExactly(gateway + ":8: GatewayDeployment/openclaw: " + printed);
  }

  @Test
  void durationPatternAndMinimumAreCheckedOnThePolicy() throws IOException {
    String policy = ALLOWLIST_AND_POLICY + "  maxConcurrent: 0\n  prune: {idleHours: 0, execGracePeriod: 10min}\n";

    assertThat(printed(GATEWAY, policy)).containsExactlyInAnyOrder(
        rest + ":14: SandboxPolicy/sandboxes: spec.maxConcurrent: must be at least 1 (got 0)",
        rest + ":15: SandboxPolicy/sandboxes: spec.prune.execGracePeriod: must be a duration like 30s, 10m or 1h (got \"10min\")",
        rest + ":15: SandboxPolicy/sandboxes: spec.prune.idleHours: must be greater than 0 (got 0)");
  }

  @Test
  void portAboveTheRangeIsRejectedWithTheMaximum() throws IOException {
    assertThat(printed(GATEWAY.replace("allowlistRef: {name: llm}", "allowlistRef: {name: llm}\n    listenPort: 70000"))).containsExactly(
        gateway + ":13: GatewayDeployment/openclaw: spec.egressProxy.listenPort: must be at most 65535 (got 70000)");
  }

  @Test
  void socketProxyMayNotAllowBuildSecretsOrSwarm() throws IOException {
    assertThat(printed(GATEWAY.replace("image: proxy:1", "image: proxy:1\n    allow: [CONTAINERS, BUILD, EXEC, SWARM]"))).containsExactly(
        gateway + ":10: GatewayDeployment/openclaw: spec.socketProxy.allow[1]: socketProxy.allow must not contain BUILD, SECRETS or SWARM",
        gateway + ":10: GatewayDeployment/openclaw: spec.socketProxy.allow[3]: socketProxy.allow must not contain BUILD, SECRETS or SWARM");
  }

  @Test
  void socketProxyGrantThatDoesNotExistIsAnEnumViolation() throws IOException {
    assertThat(printed(GATEWAY.replace("image: proxy:1", "image: proxy:1\n    allow: [CONTAINER]"))).containsExactly(
        gateway + ":10: GatewayDeployment/openclaw: spec.socketProxy.allow[0]: must be one of ALLOW_DELETE, ALLOW_KILL, ALLOW_RESTARTS,"
            + " ALLOW_START, ALLOW_STOP, AUTH, BUILD, COMMIT, CONFIGS, CONTAINERS, DISTRIBUTION, EVENTS, EXEC, GRPC, IMAGES, INFO, NETWORKS,"
            + " NODES, PING, PLUGINS, POST, SECRETS, SERVICES, SESSION, SWARM, SYSTEM, TASKS, VERSION, VOLUMES (got \"CONTAINER\")");
  }

  @Test
  void gatewayRefToNothingNamesTheMissingGatewayAndNamespace() throws IOException {
    assertThat(printed(GATEWAY, ALLOWLIST_AND_POLICY.replace("gatewayRef: {name: openclaw}", "gatewayRef: {name: nothing}"))).containsExactly(
        rest + ":13: SandboxPolicy/sandboxes: spec.gatewayRef.name: no GatewayDeployment \"nothing\" in namespace \"default\"");
  }

  @Test
  void allowlistRefToNothingNamesTheMissingAllowlistAndNamespace() throws IOException {
    assertThat(printed(GATEWAY.replace("{name: llm}", "{name: llm-providers}"))).containsExactly(
        gateway + ":12: GatewayDeployment/openclaw: spec.egressProxy.allowlistRef.name: no EgressAllowlist \"llm-providers\" in namespace \"default\"");
  }

  @Test
  void referenceToAResourceInAnotherNamespaceIsAReferenceToNothing() throws IOException {
    assertThat(printed(GATEWAY.replace("  name: openclaw\n", "  name: openclaw\n  namespace: team-a\n"))).containsExactly(
        gateway + ":13: GatewayDeployment/openclaw: spec.egressProxy.allowlistRef.name: no EgressAllowlist \"llm\" in namespace \"team-a\"",
        rest + ":13: SandboxPolicy/sandboxes: spec.gatewayRef.name: no GatewayDeployment \"openclaw\" in namespace \"default\"");
  }

  @Test
  void referenceToAnInvalidResourceIsNotReportedAgainAsAReferenceToNothing() throws IOException {
    assertThat(printed(GATEWAY, ALLOWLIST_AND_POLICY.replace("[\"*.openai.com\"]", "\"*.openai.com\""))).containsExactly(
        rest + ":6: EgressAllowlist/llm: spec.domains: must be a list, not a string");
  }

  @Test
  void sameNameTwiceAcrossFilesPointsAtTheFirstDefinition() throws IOException {
    Files.writeString(gateway, GATEWAY);
    Path again = write("again.yaml", "# the same gateway once more\n" + GATEWAY);

    assertThat(printed(again, gateway, rest)).containsExactly(
        gateway + ":4: GatewayDeployment/openclaw: metadata.name: defined twice; also at " + again + ":2");
  }

  @Test
  void duplicateYamlKeyIsRejectedBecauseTheLaterValueWouldSilentlyWin() throws IOException {
    assertThat(printed(gatewayWith("image: openclaw:2"))).containsExactly(
        gateway + ":8: GatewayDeployment/openclaw: spec.gateway.image: given twice; the later value would silently win");
  }

  @Test
  void invalidYamlSyntaxGivesTheLineAndWhatTheParserExpected() throws IOException {
    // Nothing of an unreadable file is declared: the policy's reference to its gateway finds nothing.
    assertThat(printed(GATEWAY.replace("  socketProxy:", " socketProxy:"))).containsExactly(
        gateway + ":8: not valid YAML: while parsing a block mapping: expected <block end>, but found '<block mapping start>'",
        rest + ":13: SandboxPolicy/sandboxes: spec.gatewayRef.name: no GatewayDeployment \"openclaw\" in namespace \"default\"");
  }

  @Test
  void invalidJsonSyntaxGivesTheLine() throws IOException {
    Path json = write("broken.json", "{\"apiVersion\": \"hardening.openclaw.io/v1alpha1\",\n \"kind\": \"EgressAllowlist\",,\n \"spec\": {}}\n");

    assertThat(printed(json)).containsExactly(
        json + ":2: not valid YAML: while parsing a flow node: expected the node content, but found ','");
  }

  @Test
  void documentThatIsNotAMapSaysWhatAManifestIs() throws IOException {
    Path list = write("list.yaml", "- apiVersion: hardening.openclaw.io/v1alpha1\n- kind: EgressAllowlist\n");

    assertThat(printed(list)).containsExactly(list + ":1: a manifest must be a map with apiVersion, kind, metadata and spec");
  }

  @Test
  void nameThatIsNoDnsLabelIsRejected() throws IOException {
    assertThat(printed(GATEWAY.replace("name: openclaw", "name: OpenClaw_1"), ALLOWLIST_AND_POLICY.replace("{name: openclaw}", "{name: OpenClaw_1}")))
        .containsExactly(gateway + ":4: GatewayDeployment/OpenClaw_1: metadata.name: must be a DNS-1123 label (lower-case letters, digits"
            + " and '-', at most 63 characters), got \"OpenClaw_1\"");
  }

  @Test
  void secretLookingEnvNameIsRejectedWithoutPrintingTheValue() throws IOException {
    List<String> out = printed(gatewayWith("env: {TZ: UTC, OPENAI_API_KEY: abc123verysecret}"));

    assertThat(out).containsExactly(
        gateway + ":8: GatewayDeployment/openclaw: spec.gateway.env.OPENAI_API_KEY: looks like a secret (its name contains API_KEY);"
            + " secrets never travel as environment variables: deliver it as a file with secrets[]");
    assertThat(String.join("\n", out)).doesNotContain("abc123verysecret");
  }

  @Test
  void credentialShapedEnvValueIsRejectedWhateverItsNameWithoutPrintingIt() throws IOException {
    String token = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0K1l2";
    List<String> out = printed(gatewayWith("env:\n  NOTE: " + token));

    assertThat(out).containsExactly(
        gateway + ":9: GatewayDeployment/openclaw: spec.gateway.env.NOTE: looks like a secret (its value has the shape of a credential);"
            + " secrets never travel as environment variables: deliver it as a file with secrets[]");
    assertThat(String.join("\n", out)).doesNotContain(token);
  }

  @Test
  void secretMountPathUnderStateDirIsRejectedBecauseItWouldLandOnTheHostDisk() throws IOException {
    assertThat(printed(gatewayWith("""
        stateDir: /srv/openclaw
        secrets:
          - {name: token, mountPath: /srv/openclaw/credentials/token, secretRef: {name: s, key: k}}"""))).containsExactly(
        gateway + ":10: GatewayDeployment/openclaw: spec.gateway.secrets[0].mountPath: lies under stateDir /srv/openclaw, which is"
            + " bind-mounted from the host: the secret would land on the host's disk; choose a path outside it");
  }

  @Test
  void secretWithBothSecretRefAndFileOrNeitherIsRejected() throws IOException {
    write("token.txt", "t0ken");
    assertThat(printed(gatewayWith("""
        secrets:
          - {name: both, mountPath: /run/a, secretRef: {name: s, key: k}, file: token.txt}
          - {name: neither, mountPath: /run/b}"""))).containsExactly(
        gateway + ":9: GatewayDeployment/openclaw: spec.gateway.secrets[0]: set exactly one of secretRef and file",
        gateway + ":10: GatewayDeployment/openclaw: spec.gateway.secrets[1]: set exactly one of secretRef and file");
  }

  @Test
  void secretFileThatDoesNotExistIsReportedWithItsResolvedPath() throws IOException {
    assertThat(printed(gatewayWith("secrets:\n  - {name: token, mountPath: /run/token, file: secrets/token}"))).containsExactly(
        gateway + ":9: GatewayDeployment/openclaw: spec.gateway.secrets[0].file: file not found: " + dir.toAbsolutePath().resolve("secrets/token"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/var/run/docker.sock", "/run/docker.sock", "/var/run", "/var/run/../run/docker.sock", "/"})
  void gatewayVolumeExposingTheDockerSocketIsRejected(String source) throws IOException {
    assertThat(printed(gatewayWith("volumes:\n  - {source: " + source + ", target: /var/run/docker.sock}"))).containsExactly(
        gateway + ":9: GatewayDeployment/openclaw: spec.gateway.volumes[0].source: would give the gateway the Docker socket;"
            + " only the socket proxy mounts it");
  }

  @Test
  void memorySwapBelowMemoryIsRejectedBecauseItCountsMemoryPlusSwap() throws IOException {
    assertThat(printed(gatewayWith("resources: {memory: 1Gi, memorySwap: 512Mi}"))).containsExactly(
        gateway + ":8: GatewayDeployment/openclaw: spec.gateway.resources.memorySwap: must be at least memory (1Gi): it counts memory plus swap");
  }

  @Test
  void memoryBelowDockersSmallestLimitIsRejected() throws IOException {
    assertThat(printed(gatewayWith("resources: {memory: 4Mi}"))).containsExactly(
        gateway + ":8: GatewayDeployment/openclaw: spec.gateway.resources.memory: must be at least 6Mi, Docker's smallest memory limit (got 4Mi)");
  }

  @Test
  void twoGatewayDeploymentsClaimingOneNetworkAreAConflict() throws IOException {
    Files.writeString(gateway, GATEWAY);
    Path second = write("second.yaml", GATEWAY.replace("name: openclaw", "name: second") + "  networks: {egress: second-egress}\n");

    assertThat(printed(gateway, rest, second)).containsExactly(
        second + ":13: GatewayDeployment/second: spec.networks: Conflict: network openclaw-net is already claimed by"
            + " GatewayDeployment/default/openclaw (" + gateway + ":1)");
  }

  @Test
  void twoSandboxPoliciesWithOverlappingSelectorsAreAConflict() throws IOException {
    Files.writeString(gateway, GATEWAY);
    Path second = write("second.yaml", GATEWAY.replace("name: openclaw", "name: second")
        + "  networks: {internal: second-internal, egress: second-egress}\n"
        + """
        ---
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata:
          name: second-sandboxes
        spec:
          gatewayRef: {name: second}
          selector: {matchLabels: {openclaw.sandbox: "1", team: b}}
        """);

    assertThat(printed(gateway, rest, second)).containsExactly(
        second + ":21: SandboxPolicy/second-sandboxes: spec.selector: Conflict: a container could match both this selector and the one"
            + " of SandboxPolicy/default/sandboxes; make them exclusive (a label with different values)");
  }

  @Test
  void sandboxPoliciesWithExclusiveSelectorsDoNotConflict() throws IOException {
    Files.writeString(gateway, GATEWAY);
    Path second = write("second.yaml", GATEWAY.replace("name: openclaw", "name: second")
        + "  networks: {internal: second-internal, egress: second-egress}\n"
        + """
        ---
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata:
          name: second-sandboxes
        spec:
          gatewayRef: {name: second}
          selector: {matchLabels: {openclaw.sandbox: "2"}}
        """);

    assertThat(printed(gateway, rest, second)).isEmpty();
  }

  @Test
  void twoSandboxPoliciesForOneGatewayAreAConflict() throws IOException {
    Files.writeString(gateway, GATEWAY);
    Path second = write("second.yaml", """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata:
          name: more-sandboxes
        spec:
          gatewayRef: {name: openclaw}
          selector: {matchLabels: {openclaw.sandbox: "2"}}
        """);

    assertThat(printed(gateway, rest, second)).containsExactly(
        second + ":6: SandboxPolicy/more-sandboxes: spec.gatewayRef.name: Conflict: SandboxPolicy/default/sandboxes already governs the"
            + " sandboxes of GatewayDeployment/default/openclaw");
  }

  @Test
  void egressDomainRulesArePrintedPerEntryWithTheOffendingValue() throws IOException {
    String domains = "[\"*\", \"*.com\", \"https://api.openai.com\", \"api.openai.com:443\", \"*.openai.com\", \"*.openai.com\"]";

    assertThat(printed(GATEWAY, ALLOWLIST_AND_POLICY.replace("[\"*.openai.com\"]", domains))).containsExactly(
        rest + ":6: EgressAllowlist/llm: spec.domains[0]: a bare * would allow every domain; list the domains the stack needs (got \"*\")",
        rest + ":6: EgressAllowlist/llm: spec.domains[1]: *.com is a wildcard over the public suffix .com: anyone can register a name under"
            + " it; list the registered domain instead (like *.example.com) (got \"*.com\")",
        rest + ":6: EgressAllowlist/llm: spec.domains[2]: a domain has no scheme: write the hostname only (api.openai.com, not"
            + " https://api.openai.com) (got \"https://api.openai.com\")",
        rest + ":6: EgressAllowlist/llm: spec.domains[3]: a domain has no port: the proxy allows HTTPS CONNECT to the hostname (write"
            + " api.openai.com, not api.openai.com:443) (got \"api.openai.com:443\")",
        rest + ":6: EgressAllowlist/llm: spec.domains[5]: listed twice (got \"*.openai.com\")");
  }

  @Test
  void longAllowlistIsAWarningAndTheSetStaysValid() throws IOException {
    String eleven = String.join(", ", java.util.stream.IntStream.rangeClosed(1, 11).mapToObj(i -> "api" + i + ".example.com").toList());
    Files.writeString(gateway, GATEWAY);
    Files.writeString(rest, ALLOWLIST_AND_POLICY.replace("[\"*.openai.com\"]", "[" + eleven + "]"));

    ManifestLoader.Result result = ManifestLoader.load(List.of(gateway, rest));

    assertThat(result.hasErrors()).isFalse();
    assertThat(result.problems()).extracting(Problem::toString).containsExactly(
        rest + ":6: EgressAllowlist/llm: warning: spec.domains: 11 domains allowed; every domain is an exfiltration channel, keep the list"
            + " short (10 or fewer)");
  }

  @Test
  void denyRangeThatIsNoCidrIsRejected() throws IOException {
    assertThat(printed(GATEWAY, ALLOWLIST_AND_POLICY.replace("domains: [\"*.openai.com\"]",
        "domains: [\"*.openai.com\"]\n  denyRanges: [10.0.0.0/8, 10.0.0.0/33, 300.1.1.1/8]"))).containsExactly(
        rest + ":7: EgressAllowlist/llm: spec.denyRanges[1]: must be a CIDR range like 10.0.0.0/8 (got \"10.0.0.0/33\")",
        rest + ":7: EgressAllowlist/llm: spec.denyRanges[2]: must be a CIDR range like 10.0.0.0/8 (got \"300.1.1.1/8\")");
  }

  @Test
  void allowRangesMustBeCidrsAndAreAlwaysAWarning() throws IOException {
    Files.writeString(gateway, GATEWAY);
    Files.writeString(rest, ALLOWLIST_AND_POLICY.replace("domains: [\"*.openai.com\"]",
        "domains: [\"*.openai.com\"]\n  allowRanges: [172.30.0.0/16, 172.30.0.0]"));

    ManifestLoader.Result result = ManifestLoader.load(List.of(gateway, rest));

    assertThat(result.problems()).extracting(Problem::toString).containsExactly(
        rest + ":7: EgressAllowlist/llm: spec.allowRanges[1]: must be a CIDR range like 10.0.0.0/8 (got \"172.30.0.0\")",
        rest + ":7: EgressAllowlist/llm: warning: spec.allowRanges: allowRanges 172.30.0.0/16, 172.30.0.0 are reachable through the"
            + " proxy although private or denied (they win over denyRanges and the private-range default): an allowed name that"
            + " resolves there reaches them");
  }

  @Test
  void jsonManifestsAreValidatedWithLineNumbers() throws IOException {
    Files.writeString(gateway, GATEWAY);
    Files.writeString(rest, ALLOWLIST_AND_POLICY.substring(ALLOWLIST_AND_POLICY.indexOf("---\n") + 4));
    Path json = write("allowlist.json", """
        {
          "apiVersion": "hardening.openclaw.io/v1alpha1",
          "kind": "EgressAllowlist",
          "metadata": {"name": "llm"},
          "spec": {
            "domains": ["*.openai.com"],
            "action": "block"
          }
        }
        """);

    assertThat(printed(gateway, rest, json)).containsExactly(
        json + ":7: EgressAllowlist/llm: spec.action: must be one of enforce, open, report (got \"block\")");
  }

  @Test
  void problemInTheSecondDocumentOfAFileIsReportedAtItsOwnLine() throws IOException {
    assertThat(printed(GATEWAY, ALLOWLIST_AND_POLICY + "  enforcement: audit\n")).containsExactly(
        rest + ":14: SandboxPolicy/sandboxes: spec.enforcement: must be one of enforce, report (got \"audit\")");
  }

  @Test
  void sandboxPolicyWithHostNetworkOrWithoutCapDropAllIsRejected() throws IOException {
    assertThat(printed(GATEWAY, ALLOWLIST_AND_POLICY + "  network: host\n  capDrop: [NET_RAW]\n")).containsExactly(
        rest + ":14: SandboxPolicy/sandboxes: spec.network: network must not be host: a sandbox must never share the host's network",
        rest + ":15: SandboxPolicy/sandboxes: spec.capDrop: must contain ALL: a sandbox keeps no capability (got [NET_RAW])");
  }

  @Test
  void sandboxPolicyWithAnEmptySelectorIsRejected() throws IOException {
    assertThat(printed(GATEWAY, ALLOWLIST_AND_POLICY + "  selector: {matchLabels: {}}\n")).containsExactly(
        rest + ":14: SandboxPolicy/sandboxes: spec.selector.matchLabels: must name at least one label: an empty selector would treat"
            + " every container as a sandbox");
  }

  @Test
  void problemsAreSortedByFileThenLine() throws IOException {
    List<String> out = printed(gatewayWith("user: node\nresources: {memory: 1GB}"),
        ALLOWLIST_AND_POLICY.replace("[\"*.openai.com\"]", "[\"*\"]") + "  maxConcurrent: 0\n");

    assertThat(out).extracting(line -> line.substring(0, line.indexOf(": "))).containsExactly(
        gateway + ":8", gateway + ":9", rest + ":6", rest + ":14");
  }

  @Test
  void missingFileIsReported() {
    Path missing = dir.resolve("nope.yaml");

    assertThat(printed(missing)).containsExactly(missing + ":0: no such file or directory");
  }
}
