package io.openclaw.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The validate command as CI runs it: what it prints on stdout and stderr, and its exit code. */
class ValidateCommandTest {
  private static final String SET = """
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: GatewayDeployment
      metadata:
        name: openclaw
      spec:
        gateway: {image: openclaw:1}
        socketProxy: {image: proxy:1}
        egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}}
      ---
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: EgressAllowlist
      metadata:
        name: llm
      spec:
        domains: ["*.openai.com"]
      """;

  @TempDir Path dir;

  /** Exit code, stdout and stderr of one run of the command line. */
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int exit = Main.execute(args);
      return new Run(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void validSetPrintsOneSummaryLineAndExitsZero() throws IOException {
    Files.writeString(dir.resolve("stack.yaml"), SET);
    Files.writeString(dir.resolve("policy.json"), """
        {"apiVersion": "hardening.openclaw.io/v1alpha1", "kind": "SandboxPolicy",
         "metadata": {"name": "sandboxes"}, "spec": {"gatewayRef": {"name": "openclaw"}}}
        """);

    Run run = run("validate", dir.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("valid: 1 EgressAllowlist, 1 GatewayDeployment, 1 SandboxPolicy in 2 file(s)\n");
    assertThat(run.exit()).isZero();
  }

  @Test
  void brokenSetPrintsEveryProblemAndACountOnStderrAndExitsOne() throws IOException {
    Path file = Files.writeString(dir.resolve("stack.yaml"), SET.replace("{image: openclaw:1}", "{image: openclaw:1, user: node}")
        .replace("*.openai.com", "*"));

    Run run = run("validate", file.toString());

    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo(
        file + ":6: GatewayDeployment/openclaw: spec.gateway.user: must be a numeric uid or uid:gid, like 1000 or 1000:1000 (got \"node\")\n"
        + file + ":15: EgressAllowlist/llm: spec.domains[0]: a bare * would allow every domain; list the domains the stack needs (got \"*\")\n"
        + "2 problems in 1 file(s)\n");
    assertThat(run.exit()).isEqualTo(1);
  }

  @Test
  void warningsArePrintedOnStdoutAndDoNotFailTheSet() throws IOException {
    String eleven = String.join(", ", java.util.stream.IntStream.rangeClosed(1, 11).mapToObj(i -> "api" + i + ".example.com").toList());
    Path file = Files.writeString(dir.resolve("stack.yaml"), SET.replace("[\"*.openai.com\"]", "[" + eleven + "]"));

    Run run = run("validate", file.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo(file + ":15: EgressAllowlist/llm: warning: spec.domains: 11 domains allowed; every domain is an"
        + " exfiltration channel, keep the list short (10 or fewer)\nvalid: 1 EgressAllowlist, 1 GatewayDeployment in 1 file(s)\n");
    assertThat(run.exit()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "*                      | a bare * would allow every domain; list the domains the stack needs",
      "*.com                  | *.com is a wildcard over the public suffix .com: anyone can register a name under it; list the registered domain instead (like *.example.com)",
      "https://api.openai.com | a domain has no scheme: write the hostname only (api.openai.com, not https://api.openai.com)",
      "api.openai.com:443     | a domain has no port: the proxy allows HTTPS CONNECT to the hostname (write api.openai.com, not api.openai.com:443)",
  })
  void rejectsABadAllowlistEntryWithItsOwnMessage(String domain, String message) throws IOException {
    Path file = Files.writeString(dir.resolve("stack.yaml"), SET.replace("*.openai.com", domain));

    Run run = run("validate", file.toString());

    assertThat(run.err()).isEqualTo(file + ":15: EgressAllowlist/llm: spec.domains[0]: " + message + " (got \"" + domain + "\")\n"
        + "1 problem in 1 file(s)\n");
    assertThat(run.exit()).isEqualTo(1);
  }

  @Test
  void pathThatDoesNotExistIsAUsageError() {
    Path missing = dir.resolve("missing");

    Run run = run("validate", missing.toString());

    assertThat(run.err()).isEqualTo(missing + " does not exist: give manifest files or directories\n");
    assertThat(run.exit()).isEqualTo(64);
  }

  @Test
  void jsonOutputListsEveryProblemWithItsPlace() throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), "apiVersion: hardening.openclaw.io/v1alpha1\nkind: EgressAllowlist\nmetadata: {name: x}\nspec: {domains: [\"*\"]}\n");

    Run run = run("validate", "-o", "json", dir.toString());

    var json = io.openclaw.operator.api.Yaml.JSON.readTree(run.out());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(json.path("valid").asBoolean()).isFalse();
    assertThat(json.path("files").asInt()).isEqualTo(1);
    assertThat(json.path("problems").get(0).path("file").asString()).endsWith("bad.yaml");
    assertThat(json.path("problems").get(0).path("line").asInt()).isPositive();
    assertThat(json.path("problems").get(0).path("severity").asString()).isEqualTo("error");
    assertThat(json.path("problems").get(0).path("code").asString()).isEqualTo("invalid");
    assertThat(json.path("problems").get(0).path("message").asString()).contains("bare *");
  }

  @Test
  void theSeedExamplesValidate() {
    Run run = run("validate", Fixtures.examples().toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("valid: 1 EgressAllowlist, 1 GatewayDeployment, 1 SandboxPolicy in 3 file(s)\n");
    assertThat(run.exit()).isZero();
  }

  @Test
  void theLocalExamplesValidate() {
    Run run = run("validate", Fixtures.examples().resolve("local").toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("valid: 1 EgressAllowlist, 1 GatewayDeployment, 1 SandboxPolicy in 3 file(s)\n");
    assertThat(run.exit()).isZero();
  }
}
