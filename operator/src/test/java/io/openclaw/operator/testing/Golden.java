package io.openclaw.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under operator/src/test/resources/golden/, compared byte for byte. To regenerate them after an
 * intended change, run the tests with -Dgolden.update=true: the files that differ are rewritten in the source tree and
 * the test still fails, naming each, so a regeneration is never mistaken for a pass; review the diff, then run again.
 */
public final class Golden {
  private Golden() {}

  public static boolean updating() {
    return Boolean.getBoolean("golden.update");
  }

  public static Path file(String name) {
    return Fixtures.repoRoot().resolve("operator/src/test/resources/golden").resolve(name);
  }

  public static void assertMatches(String name, String actual) {
    Path golden = file(name);
    try {
      if (updating()) {
        boolean same = Files.exists(golden) && Files.readString(golden, StandardCharsets.UTF_8).equals(actual);
        if (same) return;
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, actual, StandardCharsets.UTF_8);
        throw new AssertionError("golden file " + golden + " rewritten (-Dgolden.update=true): review the diff and run the tests again without it");
      }
      assertThat(golden).as("golden file %s is missing; run with -Dgolden.update=true to create it", golden).exists();
      assertThat(actual).as("rendered output differs from golden file %s (-Dgolden.update=true regenerates it)", golden)
          .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
