package io.openclaw.operator.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounds on what a manifest file may hold, each a named constant and each reported as a problem of that file that
 * names the limit (found by ManifestFuzzTest: before them a huge scalar cost seconds, an alias was silently read as
 * its own name, and a list for a kind or a number past int32 threw out of validate).
 */
class ManifestLimitsTest {
  @TempDir Path dir;

  private List<String> problems(String text) throws IOException {
    Path file = dir.resolve("m.yaml");
    Files.writeString(file, text);
    ManifestLoader.Result r = ManifestLoader.load(List.of(file));
    r.problems().forEach(p -> assertThat(p.file()).isEqualTo(file));
    return r.errors().stream().map(Problem::toString).map(s -> s.substring(file.toString().length())).toList();
  }

  @Test
  void aFileOverTheSizeLimitIsRefusedUnread() throws IOException {
    assertThat(problems("x: " + "y".repeat((int) ManifestLoader.MAX_FILE_BYTES))).containsExactly(
        ":0: too large: " + (ManifestLoader.MAX_FILE_BYTES + 3) + " bytes, over the limit of 1048576 bytes for a manifest file");
  }

  @Test
  void nestingPastTheDepthLimitIsAnErrorAtItsLine() throws IOException {
    assertThat(problems("spec: " + "[".repeat(Yaml.MAX_NESTING_DEPTH + 1) + "]".repeat(Yaml.MAX_NESTING_DEPTH + 1))).containsExactly(
        ":1: not valid YAML: nested deeper than the limit of 100 levels of maps and lists");
  }

  @Test
  void anAliasIsRefusedSoNoAliasBombCanGrow() throws IOException {
    assertThat(problems(ManifestFuzzTest.billionLaughs())).containsExactly(
        ":2: not valid YAML: the alias *a is not supported (YAML anchors and aliases are not expanded): write the value out");
  }

  @Test
  void aKindGivenAsAListIsAnUnknownKindNotAnException() throws IOException {
    assertThat(problems("apiVersion: hardening.openclaw.io/v1alpha1\nkind: [SandboxPolicy]\nmetadata: {name: p}\nspec: {}\n")).singleElement()
        .asString().startsWith(":2: [\"SandboxPolicy\"]/p: kind: unknown kind");
  }

  @Test
  void aNumberPastItsIntegerFormatIsASchemaError() throws IOException {
    assertThat(problems("apiVersion: hardening.openclaw.io/v1alpha1\nkind: SandboxPolicy\nmetadata: {name: p}\n"
        + "spec: {gatewayRef: {name: g}, maxConcurrent: 3666415962275067333}\n")).contains(
        ":4: SandboxPolicy/p: spec.maxConcurrent: must be a 32-bit whole number (-2147483648 to 2147483647), got 3666415962275067333");
  }
}
