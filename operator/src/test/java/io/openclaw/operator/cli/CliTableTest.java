package io.openclaw.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command against --help, a bad flag, missing input and an unreachable Docker daemon: the exit code and the first
 * line, never a stack trace. No engine is needed: the daemon is one nobody listens on.
 */
class CliTableTest {
  private static final String NOBODY = "tcp://127.0.0.1:1";
  @TempDir static Path dir;
  private static String dockerHostBefore;

  @BeforeAll
  static void unreachableDaemon() {
    dockerHostBefore = System.getProperty("DOCKER_HOST");
    System.setProperty("DOCKER_HOST", NOBODY); // docker-java reads it before the environment
  }

  @AfterAll
  static void restore() {
    if (dockerHostBefore == null) System.clearProperty("DOCKER_HOST");
    else System.setProperty("DOCKER_HOST", dockerHostBefore);
  }

  private record Row(String command, String input, int exit, String first) {}

  private static Row run(String input, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // As main builds it: only the subcommand the arguments name.
    int exit = Main.commandLine(args).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    String text = !err.toString().isBlank() ? err.toString() : out.toString();
    String first = text.lines().findFirst().orElse("");
    assertThat(text).as("%s %s: no stack trace", String.join(" ", args), input).doesNotContain("\tat ").doesNotContain("Exception:");
    return new Row(args[0], input, exit, first);
  }

  @Test
  void everyCommandAnswersHelpABadFlagMissingInputAndAnUnreachableDaemonWithACodeAndOneLine() {
    String manifests = Path.of(System.getProperty("repo.root"), "examples", "local").toString();
    String missing = dir.resolve("missing").toString();
    List<Row> rows = new ArrayList<>();
    for (String command : List.of("run", "admission", "plan", "validate", "audit", "explain", "review")) {
      rows.add(run("--help", command, "--help"));
      // Commands that need a positional get one, so that the flag is what is wrong.
      rows.add(List.of("validate", "explain", "review").contains(command) ? run("bad flag", command, "x", "--no-such-flag")
          : run("bad flag", command, "--no-such-flag"));
    }
    rows.add(run("missing input", "run", "--state-dir", dir.resolve("state").toString()));
    rows.add(run("missing input", "admission", "--operator-user", "operator"));
    rows.add(run("missing input", "plan"));
    rows.add(run("missing input", "validate", missing));
    rows.add(run("missing input", "audit", missing));
    rows.add(run("missing input", "explain"));
    rows.add(run("missing input", "review", missing));
    rows.add(run("unreachable daemon", "plan", manifests));
    rows.add(run("unreachable daemon", "audit"));
    rows.add(run("unreachable daemon", "explain", "some-container"));

    System.out.println("[cli] command   input               exit  first line");
    rows.forEach(r -> System.out.printf("[cli] %-9s %-19s %4d  %s%n", r.command(), r.input(), r.exit(), r.first()));

    for (Row r : rows) {
      switch (r.input()) {
        case "--help" -> {
          assertThat(r.exit()).as(r.toString()).isZero();
          assertThat(r.first()).as(r.toString()).startsWith("Usage: openclaw-docker-operator " + r.command());
        }
        case "bad flag" -> {
          assertThat(r.exit()).as(r.toString()).isEqualTo(64);
          assertThat(r.first()).as(r.toString()).startsWith("Unknown option: '--no-such-flag'").endsWith("--help)");
        }
        case "missing input" -> assertThat(r.exit()).as(r.toString()).isEqualTo(64);
        case "unreachable daemon" -> {
          assertThat(r.exit()).as(r.toString()).isEqualTo(69);
          assertThat(r.first()).as(r.toString()).startsWith("cannot reach the Docker daemon").contains(NOBODY);
        }
        default -> throw new AssertionError(r);
      }
    }
  }

  @Test
  void auditReportsTheFirstOfSeveralFailuresInTheOrderOfItsSteps() {
    // The daemon is read on a thread of its own while the manifests are read; what is reported stays the first
    // failure in the command's order: the output format, then the manifests, then the daemon.
    String manifests = Path.of(System.getProperty("repo.root"), "examples", "local").toString();
    String missing = dir.resolve("missing").toString();
    assertThat(run("bad output", "audit", "-o", "yaml", "--manifests", missing)).isEqualTo(new Row("audit", "bad output", 64, "-o must be text or json, not yaml"));
    assertThat(run("missing input", "audit", "--manifests", missing)).isEqualTo(new Row("audit", "missing input", 64, missing + " is not a directory"));
    Row unreachable = run("unreachable daemon", "audit", "--json", "--manifests", manifests);
    assertThat(unreachable.exit()).isEqualTo(69);
    assertThat(unreachable.first()).startsWith("cannot reach the Docker daemon").contains(NOBODY);
  }

  @Test
  void aMisspeltCommandIsAnsweredWithTheOneMeantAndARefusedOptionValueWithItsOwnReason() {
    StringWriter err = new StringWriter();
    int exit = Main.commandLine("valdiate", "x").setErr(new PrintWriter(err, true)).execute("valdiate", "x");
    assertThat(exit).isEqualTo(64);
    assertThat(err.toString()).contains("Did you mean").contains("validate");

    assertThat(run("bad value", "--log-level=loud", "validate", "x")).isEqualTo(new Row("--log-level=loud", "bad value", 64,
        "--log-level must be one of error, warn, info, debug, trace, not loud (see openclaw-docker-operator --help)"));
  }

  @Test
  void anHttpAddressAlreadyTakenIsAUsageErrorThatNamesItAndRunStopsAtOnce() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("empty"));
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      Row row = run("port taken", "run", "--state-dir", dir.resolve("state-port").toString(), "--http-address", address, dir.resolve("empty").toString());
      assertThat(row.exit()).isEqualTo(64);
      assertThat(row.first()).startsWith("cannot serve /healthz, /readyz and /metrics on " + address + ": ").contains("--http-address");
    }
  }

  @Test
  void theVersionComesFromTheBuild() {
    Row version = run("--version", "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.first()).startsWith("openclaw-docker-operator ").doesNotContain("dev").doesNotContain("unknown");
  }

  @Test
  void planSaysChangesAndErrorsWithDifferentCodes() {
    Row unreachable = run("unreachable daemon", "plan", "--detailed-exitcode", Path.of(System.getProperty("repo.root"), "examples", "local").toString());
    Row usage = run("bad flag", "plan", "--detailed-exitcode", "--no-such-flag");
    assertThat(unreachable.exit()).as("not 2, which means changes pending").isEqualTo(69);
    assertThat(usage.exit()).as("not 2, which means changes pending").isEqualTo(64);
  }
}
