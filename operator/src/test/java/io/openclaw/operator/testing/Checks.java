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
