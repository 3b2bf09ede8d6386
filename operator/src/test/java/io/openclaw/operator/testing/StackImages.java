package io.openclaw.operator.testing;

import java.time.Duration;
import java.util.List;

/** The images of the full local stack, as hack/stack-images.sh names them (hack/test.sh builds them). */
public final class StackImages {
  public static final List<String> NAMES = List.of("gateway", "socket-proxy", "model-proxy", "cache", "egress-proxy", "fake-llm", "sandbox");

  private StackImages() {}

  /** What {@code hack/stack-images.sh ref NAME} prints. */
  public static String reference(String name) {
    if (!NAMES.contains(name)) throw new IllegalArgumentException("no stack image " + name + " (one of " + NAMES + ")");
    return "openclaw-stack/" + name + ":local";
  }

  /** Fails with what to run when one is missing. */
  public static void requireAll() {
    List<String> missing = NAMES.stream().map(StackImages::reference)
        .filter(ref -> Checks.run(Duration.ofSeconds(30), List.of("docker", "image", "inspect", ref)).exit() != 0).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("stack images missing: " + missing + ": run hack/stack-images.sh all (hack/test.sh does)");
    }
  }
}
