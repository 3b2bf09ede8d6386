package io.openclaw.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The operator image, built offline by hack/operator-image.sh from the jar `package` made (failsafe tests only). */
public final class OperatorImage {
  /** Debian's docker client, the engine's version. */
  public static final String DOCKER = "/usr/bin/docker";

  private OperatorImage() {}

  /** Builds (or reuses: the script caches by its inputs) the image and returns its immutable reference. */
  public static String build() {
    String jar = System.getProperty("operator.jar", Fixtures.repoRoot().resolve("operator/target/openclaw-docker-operator.jar").toString());
    if (!Files.isRegularFile(Path.of(jar))) fail("no jar at " + jar + ": this test runs after `mvn package` (failsafe)");
    long t = System.nanoTime();
    Helm.Run build = Helm.run(List.of(Fixtures.repoRoot().resolve("hack/operator-image.sh").toString(), "--jar", jar));
    assertThat(build.code()).as("hack/operator-image.sh:\n%s", build.err()).isZero();
    String[] lines = build.out().strip().split("\n");
    System.out.printf("hack/operator-image.sh: %d ms%n%s", (System.nanoTime() - t) / 1_000_000, build.err());
    return lines[lines.length - 1];
  }

  /** `docker ARGS`, to its end. */
  public static Helm.Run docker(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(DOCKER));
    command.addAll(List.of(args));
    return Helm.run(command);
  }

  public static String logs(String container) {
    Helm.Run logs = docker("logs", container);
    return logs.out() + logs.err();
  }

  public static String inspect(String container, String format) { return docker("inspect", "-f", format, container).out().strip(); }

  public static boolean running(String container) { return "true".equals(inspect(container, "{{.State.Running}}")); }
}
