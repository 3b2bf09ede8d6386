package io.openclaw.operator.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.cli.Main;
import io.openclaw.operator.source.ClusterManifests;
import io.openclaw.operator.testing.KubeApiServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CRDs' CEL rules on a real API server (1.31 from hack/kube-apiserver.sh, CRDs applied with {@code kubectl apply
 * --server-side}, so every rule compiled) against the operator's {@code validate}: for every x-kubernetes-validations
 * rule, the resource that breaks it (CelParityTest's input) is refused by the server, and the server's messages are
 * the ones validate prints for that resource, at the same field or at the rule's place above it. CelParityTest checks
 * the same inputs against the Java validation alone, without a server.
 */
class CelParityIT {
  /** Entries that break one rule and look like breaking others: one message each, from both. */
  private static final List<String[]> EDGE_INPUTS = List.of(
      new String[] {"EgressAllowlist", "[\"*.openai.com\"]", "[\"https://api.openai.com:443/v1\"]"},
      new String[] {"EgressAllowlist", "[\"*.openai.com\"]", "[\"*openai.com\"]"},
      new String[] {"EgressAllowlist", "[\"*.openai.com\"]", "[\"*\", \"api.openai.com:443\"]"},
      new String[] {"EgressAllowlist", "[\"*.openai.com\"]", "[\"**\"]"});
  /** What the server puts before a rule's message in a cause: {@code Invalid value: "array": }. */
  private static final Pattern SERVER_PREFIX = Pattern.compile("^Invalid value: \"[a-z]+\": ");
  /** A line of validate: {@code file:line: kind/name: field: message}. */
  private static final Pattern VALIDATE_LINE = Pattern.compile("^.+?:[0-9]+: ([A-Za-z]+)/[^:]+: ([^ :]+): (.+)$");

  private static KubeApiServer server;
  private static String namespace;

  @TempDir Path dir;

  @BeforeAll
  static void startApiServer() throws Exception {
    server = KubeApiServer.start();
    Assumptions.assumeTrue(server.enforcesCel(), "this server (" + server.client().getKubernetesVersion().getGitVersion()
        + ") drops CEL rules; run with the default KUBE_VERSION");
    namespace = "cel-" + UUID.randomUUID().toString().substring(0, 8);
    server.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
  }

  @AfterAll
  static void stopApiServer() throws Exception {
    if (server != null) server.close();
  }

  /** A problem as a field and a message. */
  record Said(String field, String message) {
    @Override
    public String toString() { return field + ": " + message; }
  }

  @Test
  void theValidSetIsAcceptedByTheServer() throws Exception {
    for (String document : CelParityTest.SET.split("(?m)^---\n")) {
      GenericKubernetesResource created = create(document);

      assertThat(created.getMetadata().getUid()).isNotBlank();
      server.client().genericKubernetesResources(ClusterManifests.KINDS.get(created.getKind())).inNamespace(namespace)
          .withName(created.getMetadata().getName()).delete();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCelRuleIsRefusedByTheServerWithTheMessageValidatePrints() throws Exception {
    return CelParityTest.celRulesInPackedCrds().stream().map(rule -> DynamicTest.dynamicTest(rule.key(), () -> {
      String[] change = CelParityTest.BREAKING_INPUTS.get(rule.key());
      assertThat(change).as("no input in CelParityTest breaks the CEL rule %s; add one", rule.key()).isNotNull();

      List<Said> server = serverRefuses(rule.kind(), change[1].strip(), CelParityTest.SET.replace(change[0], change[1]));

      assertThat(server).extracting(Said::message).as("the server names the rule").contains(rule.message());
    }));
  }

  @TestFactory
  Stream<DynamicTest> anEntryThatLooksLikeBreakingSeveralRulesGetsOneMessageFromBoth() {
    return EDGE_INPUTS.stream().map(edge -> DynamicTest.dynamicTest(edge[0] + " " + edge[2], () -> {
      serverRefuses(edge[0], edge[2], CelParityTest.SET.replace(edge[1], edge[2]));
    }));
  }

  /**
   * Creates {@code kind}'s document of {@code set} on the server and runs validate on the whole set; the server must
   * refuse it, and say what validate says: the same messages, each at validate's field or above it. Prints both,
   * under {@code change} (what was changed in the valid set). Returns what the server said.
   */
  private List<Said> serverRefuses(String kind, String change, String set) throws Exception {
    String document = Stream.of(set.split("(?m)^---\n")).filter(d -> d.contains("kind: " + kind + "\n")).findFirst().orElseThrow();
    List<Said> validate = validate(kind, set);
    List<Said> server = new ArrayList<>();
    assertThatThrownBy(() -> create(document)).as("the server refuses %s", kind).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
      for (StatusCause cause : e.getStatus().getDetails().getCauses()) {
        server.add(new Said(cause.getField(), SERVER_PREFIX.matcher(cause.getMessage()).replaceFirst("")));
      }
    });
    System.out.printf("%s %s%n  server:   %s%n  validate: %s%n", kind, change.strip().replaceAll("\\s+", " "), server, validate);

    assertThat(server).as("what the server says").isNotEmpty();
    // validate may name the offending entry after the rule's words: ... (got "https://api.openai.com").
    assertThat(validate).extracting(s -> s.message().replaceFirst(" \\(got \".*\"\\)$", "")).as("validate's messages, against the server's %s", server)
        .containsExactlyInAnyOrderElementsOf(server.stream().map(Said::message).toList());
    for (Said said : server) {
      assertThat(validate).as("validate says \"%s\" at %s or below it", said.message(), said.field()).anySatisfy(v -> {
        assertThat(v.message()).startsWith(said.message());
        assertThat(v.field()).matches(f -> f.equals(said.field()) || f.startsWith(said.field() + ".") || f.startsWith(said.field() + "["),
            "is " + said.field() + " or below it");
      });
    }
    return server;
  }

  /** What {@code validate FILE} prints for the resources of {@code kind}; it must exit 1. */
  private List<Said> validate(String kind, String set) throws Exception {
    Path file = Files.writeString(Files.createTempDirectory(dir, "set").resolve("set.yaml"), set);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("validate", file.toString());
    assertThat(exit).as("validate's exit code; it printed:\n%s%s", out, err).isEqualTo(1);
    List<Said> said = new ArrayList<>();
    for (String line : err.toString().lines().toList()) {
      Matcher m = VALIDATE_LINE.matcher(line);
      if (m.matches() && m.group(1).equals(kind)) said.add(new Said(m.group(2), m.group(3)));
    }
    if (said.isEmpty()) fail("validate printed no problem for " + kind + ":\n" + err);
    return said;
  }

  private static GenericKubernetesResource create(String document) {
    ObjectNode tree = (ObjectNode) Yaml.MAPPER.readTree(document);
    ((ObjectNode) tree.get("metadata")).put("namespace", namespace);
    GenericKubernetesResource o = Yaml.JSON.treeToValue(tree, GenericKubernetesResource.class);
    return server.client().genericKubernetesResources(ClusterManifests.KINDS.get(o.getKind())).inNamespace(namespace).resource(o).create();
  }
}
