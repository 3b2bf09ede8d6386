package io.openclaw.operator.cli;

import static io.openclaw.operator.testing.Checks.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openclaw.operator.testing.DockerHost;
import io.openclaw.operator.testing.OperatorHarness;
import io.openclaw.operator.testing.TestManifests;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The `plan` and `run` commands as a user runs them. */
class RunAndPlanIT {
  @RegisterExtension static DockerHost docker = new DockerHost();
  @TempDir Path manifests;
  @TempDir Path state;
  @TempDir Path logs;
  private final TestManifests m = new TestManifests(docker.runId());

  private void writeManifests() throws Exception {
    Files.writeString(manifests.resolve("gateway.yaml"), m.gateway(""));
    Files.writeString(manifests.resolve("egress.yaml"), m.allowlist("*.openai.com"));
    Files.writeString(manifests.resolve("policy.yaml"), m.policy(""));
  }

  private String plan() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int exit = cli.execute("plan", manifests.toString(), "--state-dir", state.toString(), "--detailed-exitcode");
    return exit + "\n" + out;
  }

  @Test
  void planShowsEveryActionAndItsReasonAndChangesNothing() throws Exception {
    writeManifests();
    List<String> before = docker.containerNames();
    String empty = plan();
    assertThat(empty).startsWith("2\n").contains(m.gatewayKey().toString()).contains("+ create_network       " + m.internal())
        .contains("because network.missing: network " + m.internal() + " does not exist").contains("+ create_container     " + m.container("gateway"))
        .contains("Plan: 7 to add, 0 to change, 0 to remove or kill");
    assertThat(docker.containerNames()).as("plan changed nothing").isEqualTo(before);

    try (OperatorHarness op = OperatorHarness.start(docker, manifests, state)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> op.ready(m.gatewayKey()) && op.ready(m.policyKey()));
    }
    assertThat(plan()).as("other runs share this engine: what they breach is only reported").startsWith("0\n").contains("No changes: the Docker host matches the declared state");

    exec("docker", "update", "--memory", "32m", "--memory-swap", "32m", m.container("cache"));
    String sandbox = docker.runId() + "-sbx-plan";
    exec("docker", "create", "--name", sandbox, "--label", "openclaw.sandbox=1", "--label", DockerHost.TEST_LABEL + "=" + docker.runId(),
        "-v", "/var/run/docker.sock:/var/run/docker.sock", DockerHost.SANDBOX_IMAGE);
    String drift = plan();
    assertThat(drift).startsWith("2\n").contains("~ update_limits        " + m.container("cache")).contains("because component.limits")
        .contains("- kill_container       " + sandbox).contains("sandbox.mounts").contains("Plan: 0 to add, 1 to change, 1 to remove or kill");
    assertThat(docker.api().inspectContainer(m.container("cache")).orElseThrow().memory()).as("plan changed nothing").isEqualTo(32L << 20);
    assertThat(docker.api().inspectContainer(sandbox)).isPresent();
  }

  @Test
  void planExitsOneForAnInvalidManifestAndNeverSaysTheHostMatches() throws Exception {
    writeManifests();
    Files.writeString(manifests.resolve("gateway.yaml"), "apiVersion: [unclosed\n");
    String out = plan();
    assertThat(out).as("validate's problems found, before any changes pending").startsWith("1\n").contains("skipped, invalid")
        .contains("invalid resource(s) or file(s) skipped").doesNotContain("matches the declared state");
  }

  @Test
  void runStopsCleanlyOnSigterm() throws Exception {
    writeManifests();
    Path log = logs.resolve("run.log");
    Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        "io.openclaw.operator.cli.Main", "run", manifests.toString(), "--state-dir", state.toString(), "--http-address", "127.0.0.1:0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("http on"));
      Matcher port = Pattern.compile("http on 127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(log));
      assertThat(port.find()).isTrue();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      var readyz = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port.group(1) + "/readyz")).build();
      await().atMost(Duration.ofSeconds(60)).until(() -> http.send(readyz, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200
          && Files.exists(state.resolve("status/GatewayDeployment/" + docker.runId() + "/" + docker.runId() + ".yaml"))
          && Files.readString(state.resolve("status/GatewayDeployment/" + docker.runId() + "/" + docker.runId() + ".yaml")).contains("componentsReady: 5/5"));
      long t = System.nanoTime();
      new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      System.out.printf("[timing] run stopped %d ms after SIGTERM%n", (System.nanoTime() - t) / 1_000_000);
      String text = Files.readString(log);
      assertThat(text).contains("stopping: finishing in-flight reconciles").contains("controller stopped");
      assertThat(run.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
      assertThat(docker.api().inspectContainer(m.container("gateway")).orElseThrow().running()).as("the stack keeps running").isTrue();
    } finally {
      run.destroyForcibly();
    }
  }

  @Test
  void jsonLogFormatFromTheShippedJarPrintsEveryLineAsOneJsonObjectAtTheGivenLevel() throws Exception {
    // The shaded jar once dropped the JSON layout's plugin and printed nothing: only the jar as users start it shows that.
    Path log = logs.resolve("run-json.log");
    List<String> command = new java.util.ArrayList<>(io.openclaw.operator.testing.JarLaunch.command(io.openclaw.operator.testing.OperatorProcess.jar()));
    // An empty manifest directory: nothing is declared, so nothing is created on the shared engine.
    command.addAll(List.of("--log-level", "debug", "--log-format", "json", "run", manifests.toString(), "--state-dir", state.toString(),
        "--http-address", "127.0.0.1:0"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("DOCKER_HOST", docker.endpoint().host().toString());
    Process run = pb.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("http on"));
      new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    } finally {
      run.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(log);
    List<tools.jackson.databind.JsonNode> events = new java.util.ArrayList<>();
    for (String line : lines) {
      tools.jackson.databind.JsonNode event;
      try {
        event = io.openclaw.operator.api.Yaml.JSON.readTree(line);
      } catch (tools.jackson.core.JacksonException e) {
        throw new AssertionError("a log line that is not JSON: " + line, e);
      }
      assertThat(event.isObject()).as("one JSON object per line: %s", line).isTrue();
      assertThat(event.path("level").asText()).as("level of %s", line).isNotEmpty();
      assertThat(event.path("loggerName").asText()).as("logger of %s", line).isNotEmpty();
      events.add(event);
    }
    assertThat(events).as("the start, as JSON").anySatisfy(e -> assertThat(e.path("message").asText()).contains("started").contains("http on"));
    assertThat(events).as("--log-level debug applied after --log-format json reconfigured log4j")
        .anySatisfy(e -> assertThat(e.path("level").asText()).isEqualTo("DEBUG"));
  }
}
