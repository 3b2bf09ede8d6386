package io.openclaw.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.source.Sources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan's summary never says the host matches a declared state that it could not read in full. */
class PlanSummaryTest {
  @TempDir Path dir;

  @Test
  void aFileThatIsNotYamlAndAResourceThatIsInvalidCountOnceEach() throws IOException {
    Path local = Path.of(System.getProperty("repo.root"), "examples", "local");
    for (String f : new String[] {"gateway.yaml", "sandbox-policy.yaml", "egress-allowlist.yaml"}) Files.copy(local.resolve(f), dir.resolve(f));
    // Not YAML at all: its resources are unknown, so the file counts. Then a policy with two wrong fields counts once.
    Files.writeString(dir.resolve("gateway.yaml"), Files.readString(dir.resolve("gateway.yaml")).replace("  networks:\n", "  networks: [\n"));
    Files.writeString(dir.resolve("sandbox-policy.yaml"), Files.readString(dir.resolve("sandbox-policy.yaml"))
        .replace("spec:\n", "spec:\n  colour: blue\n  flavour: red\n"));

    DesiredState desired = DesiredState.of(Sources.fromDirectory(dir), dir.toString(), SecretReader.LOCAL);

    assertThat(desired.problems().stream().filter(p -> p.isError()).count()).as("several problems").isGreaterThan(2);
    assertThat(PlanCommand.invalid(desired)).isEqualTo(2);
  }

  @Test
  void noChangesIsClaimedOnlyWhenNothingWasSkippedOrLeftUnplanned() {
    PlanOutput.Tally clean = new PlanOutput.Tally();
    assertThat(PlanOutput.summary(clean)).isEqualTo("No changes: the Docker host matches the declared state.");

    PlanOutput.Tally skipped = new PlanOutput.Tally();
    skipped.invalid = 2;
    assertThat(PlanOutput.summary(skipped))
        .isEqualTo("No changes for the resources that could be planned; 2 invalid resource(s) or file(s) skipped (see above).");
  }
}
