package io.openclaw.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.DomainRules;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.cli.ValidateCommandTest.Run;
import io.openclaw.operator.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The review command as a gate runs it: exit codes, the table, the JSON of `audit --json`, --manifests. */
class ReviewCommandTest {
  static final Path SKILLS = Fixtures.repoRoot().resolve("operator/src/test/resources/review");

  @TempDir Path tmp;

  @Test
  void cleanSkillExitsZeroAndPrintsTheTable() {
    Run run = ValidateCommandTest.run("review", SKILLS.resolve("clean").toString());

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("SEVERITY  CHECK").contains("info      review.binary_required  SKILL.md:4").endsWith("0 critical, 0 warn, 3 info\n");
  }

  @Test
  void everyHostileSkillExitsOne() {
    for (String skill : List.of("hidden-exec", "injection", "exfiltration", "zero-width", "base64-payload", "agent-workspace")) {
      assertThat(ValidateCommandTest.run("review", SKILLS.resolve(skill).toString()).exit()).as(skill).isEqualTo(1);
    }
  }

  @Test
  void warningsAloneExitZero() {
    Run run = ValidateCommandTest.run("review", SKILLS.resolve("undeclared-domain").toString());

    assertThat(run.out()).contains("0 critical, 6 warn");
    assertThat(run.exit()).isZero();
  }

  @Test
  void jsonHasTheShapeOfAuditJson() {
    Run run = ValidateCommandTest.run("review", "--json", SKILLS.resolve("exfiltration").toString());

    assertThat(run.exit()).isEqualTo(1);
    JsonNode report = Yaml.JSON.readTree(run.out());
    assertThat(report.path("ts").isIntegralNumber()).isTrue();
    assertThat(report.at("/summary/critical").asInt()).isEqualTo(5);
    assertThat(report.at("/summary/warn").asInt()).isEqualTo(7);
    assertThat(report.at("/summary/info").asInt()).isEqualTo(3);
    List<String> fields = new ArrayList<>();
    report.path("findings").get(0).propertyNames().forEach(fields::add);
    assertThat(fields).containsExactly("checkId", "severity", "title", "detail", "remediation", "object", "source");
    assertThat(report.at("/findings/0/checkId").asString()).isEqualTo("review.secret_access");
    assertThat(report.at("/findings/0/object").asString()).isEqualTo("SKILL.md:11");
    assertThat(report.at("/findings/0/source").asString()).isEqualTo("operator");
  }

  @Test
  void usageErrorsExitSixtyFour() throws IOException {
    Path file = Files.writeString(tmp.resolve("SKILL.md"), "---\nname: x\ndescription: y\n---\n");
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    Run missing = ValidateCommandTest.run("review");
    Run notADirectory = ValidateCommandTest.run("review", file.toString());
    Run nothingToLoad = ValidateCommandTest.run("review", empty.toString());
    Run badManifests = ValidateCommandTest.run("review", "--manifests", file.toString(), tmp.toString());
    Run unknownOption = ValidateCommandTest.run("review", "--bogus", tmp.toString());

    assertThat(missing.exit()).isEqualTo(64);
    assertThat(missing.err()).contains("Missing required parameter: 'DIR'");
    assertThat(notADirectory.exit()).isEqualTo(64);
    assertThat(notADirectory.err()).contains("is not a directory");
    assertThat(nothingToLoad.exit()).isEqualTo(64);
    assertThat(nothingToLoad.err()).contains("nothing OpenClaw would load");
    assertThat(badManifests.exit()).isEqualTo(64);
    assertThat(badManifests.err()).contains("--manifests " + file + " is not a directory");
    assertThat(unknownOption.exit()).isEqualTo(64);
  }

  @Test
  void manifestsOfTheSeedAreNamedInThePolicyFinding() {
    Run run = ValidateCommandTest.run("review", "--json", "--manifests", Fixtures.examples().toString(), SKILLS.resolve("clean").toString());

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode policy = Yaml.JSON.readTree(run.out()).path("findings").get(0);
    assertThat(policy.path("checkId").asString()).isEqualTo("review.policy");
    assertThat(policy.path("detail").asString())
        .startsWith("agent denials: SandboxPolicy openclaw-sandboxes; gateway denials: GatewayDeployment openclaw; domains: EgressAllowlist llm-providers");
  }

  @Test
  void invalidManifestsAreAUsageErrorNotAHalfPolicy() throws IOException {
    Files.writeString(tmp.resolve("allowlist.yaml"), """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: EgressAllowlist
        metadata: {name: open}
        spec: {domains: ["*"]}
        """);

    Run run = ValidateCommandTest.run("review", "--manifests", tmp.toString(), SKILLS.resolve("clean").toString());

    assertThat(run.exit()).isEqualTo(64);
    assertThat(run.err()).contains("has invalid resources").contains(DomainRules.BARE_WILDCARD);
    assertThat(run.out()).isEmpty();
  }
}
