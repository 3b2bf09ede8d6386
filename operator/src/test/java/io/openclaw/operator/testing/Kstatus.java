package io.openclaw.operator.testing;

import static org.assertj.core.api.Assertions.fail;

import io.openclaw.operator.api.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * kstatus as Flux and kpt compute it: sigs.k8s.io/cli-utils' {@code status.Compute}, run by hack/kstatus.sh (a small
 * Go program, built into the cache on first use) on an object's JSON.
 */
public final class Kstatus {
  private Kstatus() {}

  /** kstatus's verdict: Current, InProgress, Failed, Terminating (or NotFound, Unknown), and its message. */
  public record Result(String status, String message) {
    @Override
    public String toString() { return status + (message.isEmpty() ? "" : ": " + message); }
  }

  /** The kstatus of one object, given as JSON (what the API server returns). */
  public static Result of(String objectJson) {
    Path script = Fixtures.repoRoot().resolve("hack/kstatus.sh");
    try {
      Path out = Files.createTempFile("kstatus-", ".out");
      Path err = Files.createTempFile("kstatus-", ".err");
      try {
        Process p = new ProcessBuilder(script.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var stdin = p.getOutputStream()) {
          stdin.write(objectJson.getBytes(StandardCharsets.UTF_8));
        }
        // The first call may build the program (a minute or two on a busy machine).
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          fail("hack/kstatus.sh did not finish within 10 min");
        }
        if (p.exitValue() != 0) fail("hack/kstatus.sh exited " + p.exitValue() + ": " + Files.readString(err));
        JsonNode line = Yaml.JSON.readTree(Files.readString(out).lines().findFirst().orElseThrow(() -> new AssertionError("hack/kstatus.sh printed nothing")));
        return new Result(line.path("status").asString(), line.path("message").asString());
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + script, e);
    }
  }
}
