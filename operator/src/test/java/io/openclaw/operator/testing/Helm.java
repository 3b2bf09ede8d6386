package io.openclaw.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.validation.LocatedYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** Helm 3 through hack/helm.sh (fetched into the cache on first use), and the chart it renders. */
public final class Helm {
  public static final Path CHART = Fixtures.repoRoot().resolve("charts/openclaw-docker-operator");

  private Helm() {}

  /** What a command printed, stdout and stderr apart. */
  public record Run(int code, String out, String err) {}

  /** One rendering: its documents, found by kind and name. */
  public record Rendered(List<JsonNode> documents) {
    public List<String> kinds() { return documents.stream().map(d -> d.path("kind").asString()).toList(); }

    public List<JsonNode> all(String kind) { return documents.stream().filter(d -> d.path("kind").asString().equals(kind)).toList(); }

    public JsonNode one(String kind, String name) {
      List<JsonNode> matching = all(kind).stream().filter(d -> d.path("metadata").path("name").asString().equals(name)).toList();
      assertThat(matching).as("%s %s in the rendering (it has %s)", kind, name, kinds()).hasSize(1);
      return matching.get(0);
    }
  }

  /** {@code helm template RELEASE CHART -n NAMESPACE EXTRA...}, read back; fails the test when Helm does. */
  public static Rendered template(String release, String namespace, String... extra) {
    List<String> args = new ArrayList<>(List.of("template", release, CHART.toString(), "-n", namespace));
    args.addAll(List.of(extra));
    long t = System.nanoTime();
    Run run = helm(args.toArray(String[]::new));
    assertThat(run.code()).as("helm %s failed: %s", args, run.err()).isZero();
    List<String> shown = args.stream().map(a -> a.equals(CHART.toString()) ? "CHART" : a.startsWith("/") ? Path.of(a).getFileName().toString() : a).toList();
    System.out.printf("helm %s: %d ms%n", String.join(" ", shown), (System.nanoTime() - t) / 1_000_000);
    try {
      return new Rendered(LocatedYaml.read(run.out()).stream().map(LocatedYaml.Document::root).toList());
    } catch (LocatedYaml.SyntaxError e) {
      throw new AssertionError("helm template printed no YAML (line " + e.line + "): " + e.getMessage());
    }
  }

  public static Run helm(String... args) {
    List<String> command = new ArrayList<>(List.of(Fixtures.repoRoot().resolve("hack/helm.sh").toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs a command to its end (10 min at most: a first run fetches Helm or installs a package). */
  public static Run run(List<String> command) {
    try {
      Path err = Files.createTempFile("helm-", ".err");
      try {
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish within 10 min");
        }
        return new Run(p.exitValue(), out, Files.readString(err));
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
