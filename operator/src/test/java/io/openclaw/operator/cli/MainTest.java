package io.openclaw.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** main builds only the subcommand its arguments name; what anyone sees must not change with it. */
class MainTest {
  private static final List<String> ALL = List.of("run", "admission", "plan", "validate", "audit", "explain", "review");
  private static final CommandSpec TOP = new CommandLine(new Main()).getCommandSpec();

  @Test
  void theSubcommandNamedIsFoundPastTheOptionsAndTheirValues() {
    assertThat(Main.namedSubcommand(TOP, "validate", "examples/")).contains("validate");
    assertThat(Main.namedSubcommand(TOP, "--log-level", "debug", "audit", "--json")).contains("audit");
    assertThat(Main.namedSubcommand(TOP, "--log-format=json", "plan")).contains("plan");
    assertThat(Main.namedSubcommand(TOP, "--help")).isEmpty();
    assertThat(Main.namedSubcommand(TOP, "valdate", "x")).isEmpty();
    assertThat(Main.namedSubcommand(TOP, "@args.txt")).isEmpty();
  }

  @Test
  void theValueOfEveryTopLevelOptionThatTakesOneIsNotTakenForTheSubcommand() {
    // Every such option of Main as it is, by each of its names: the value "plan" is skipped, "audit" is the subcommand.
    List<OptionSpec> withValue = TOP.options().stream().filter(o -> o.arity().max() > 0).toList();
    assertThat(withValue).extracting(OptionSpec::longestName).contains("--log-level", "--log-format");
    for (OptionSpec option : withValue) {
      for (String name : option.names()) {
        assertThat(Main.namedSubcommand(TOP, name, "plan", "audit")).as(name).contains("audit");
        assertThat(Main.commandLine(name, "plan", "audit").getSubcommands()).as(name).containsOnlyKeys("audit");
      }
    }
    // An option added later is read from the model too, with no list to keep beside it.
    CommandSpec withNewOption = new CommandLine(new Main()).getCommandSpec().addOption(OptionSpec.builder("--new-option").arity("1").build());
    assertThat(Main.namedSubcommand(withNewOption, "--new-option", "plan", "audit")).contains("audit");
    assertThat(Main.namedSubcommand(TOP, "--new-option", "plan", "audit")).as("unknown to Main: its value is taken for the subcommand").contains("plan");
  }

  @Test
  void aNamedSubcommandIsBuiltAloneAndAnythingElseGetsThemAll() {
    assertThat(Main.commandLine("validate", "examples/").getSubcommands()).containsOnlyKeys("validate");
    assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
    assertThat(Main.commandLine("--help").getSubcommands()).containsOnlyKeys(ALL.toArray(String[]::new));
    assertThat(Main.commandLine("valdate", "x").getSubcommands()).containsOnlyKeys(ALL.toArray(String[]::new));
    assertThat(Main.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(ALL);
  }

  @Test
  void helpAndUsageErrorsReadTheSameWithOneSubcommandAsWithAll() {
    for (String command : ALL) {
      for (String[] args : List.of(new String[] {command, "--help"}, new String[] {command, "--no-such-flag"}, new String[] {"--log-level", "warn", command, "-h"})) {
        assertThat(output(Main.commandLine(args), args)).as(String.join(" ", args)).isEqualTo(output(Main.commandLine(), args));
      }
    }
    String[] version = {"--version"};
    assertThat(output(Main.commandLine(version), version)).isEqualTo(output(Main.commandLine(), version)).startsWith("0\nopenclaw-docker-operator ");
  }

  @Test
  void theManifestReaderIsPreparedOnlyForCommandsThatReadManifests() {
    assertThat(Main.readsManifests("validate", "examples/")).isTrue();
    assertThat(Main.readsManifests("plan", "--manifests", "examples/local")).isTrue();
    assertThat(Main.readsManifests("--log-level", "warn", "audit", "--json", "--manifests", "examples/local")).isTrue();
    assertThat(Main.readsManifests("audit", "--manifests=examples/local")).isTrue();
    assertThat(Main.readsManifests("explain", "--kubernetes", "some-container")).isTrue();
    // audit and explain read the host alone when given no source
    assertThat(Main.readsManifests("audit", "--json")).isFalse();
    assertThat(Main.readsManifests("explain", "some-container")).isFalse();
    assertThat(Main.readsManifests("run", "examples/local")).as("run from a directory: its cold start waits for them").isTrue();
    assertThat(Main.readsManifests("run", "--kubernetes")).isFalse();
    assertThat(Main.readsManifests("validate", "--help")).isFalse();
    assertThat(Main.readsManifests("--version")).isFalse();
    assertThat(Main.readsManifests("valdate", "examples/")).isFalse();
  }

  private static String output(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    int exit = cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(out)).execute(args);
    return exit + "\n" + out;
  }
}
