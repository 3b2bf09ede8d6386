package io.openclaw.operator.testing;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/** Small helpers the integration tests share: waiting generously, printing timings, running a command. */
public final class Checks {
  private Checks() {}

  public static void waitFor(String what, Duration timeout, Supplier<Boolean> condition) {
    await(what).atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::get);
  }

  /** As above, and on a timeout says what the operator reported. */
  public static void waitFor(String what, Duration timeout, Supplier<Boolean> condition, Supplier<String> diagnosis) {
    try {
      waitFor(what, timeout, condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(what + " did not happen within " + timeout + "; status: " + diagnosis.get(), e);
    }
  }

  public static void report(String what, long startedNanos) {
    System.out.printf("[timing] %-45s reverted in %5d ms%n", what, (System.nanoTime() - startedNanos) / 1_000_000);
  }

  /** How long something took, for timings that are not a reversion. */
  public static void timing(String what, long startedNanos) {
    System.out.printf("[timing] %-50s %6d ms%n", what, (System.nanoTime() - startedNanos) / 1_000_000);
  }

  /** A finished command: its exit code and its output, stdout and stderr apart. */
  public record Result(int exit, String stdout, String stderr) {
    /** Both outputs, for matching a message wherever the program printed it. */
    public String output() { return stdout + stderr; }
  }

  /**
   * Runs a command with its output in files (so a chatty or hung process cannot block the test), whatever its exit
   * code; a process still running after the timeout is killed and fails the test.
   */
  public static Result run(Duration timeout, java.util.List<String> command) {
    try {
      java.nio.file.Path out = java.nio.file.Files.createTempFile("command", ".out");
      java.nio.file.Path err = java.nio.file.Files.createTempFile("command", ".err");
      try {
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
        }
        // Bytes decoded leniently: a log may hold anything.
        return new Result(p.exitValue(), new String(java.nio.file.Files.readAllBytes(out), StandardCharsets.UTF_8),
            new String(java.nio.file.Files.readAllBytes(err), StandardCharsets.UTF_8));
      } finally {
        java.nio.file.Files.deleteIfExists(out);
        java.nio.file.Files.deleteIfExists(err);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs a command (the docker CLI, mostly) and returns its output; fails the test when it fails. */
  public static String exec(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) throw new AssertionError(String.join(" ", command) + " failed: " + out);
      return out;
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
