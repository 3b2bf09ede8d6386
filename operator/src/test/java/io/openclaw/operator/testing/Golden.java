package io.openclaw.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under operator/src/test/resources/golden/, compared byte for byte. To regenerate them after an
 * intended change, run the tests with -Dgolden.update=true (or UPDATE_GOLDEN=1 in the environment): the files are
 * rewritten in the source tree and the diff is reviewed like any other change.
 */
public final class Golden {
  private Golden() {}

  public static boolean updating() {
    return Boolean.getBoolean("golden.update") || "1".equals(System.getenv("UPDATE_GOLDEN"));
  }

  public static Path file(String name) {
    return Fixtures.repoRoot().resolve("operator/src/test/resources/golden").resolve(name);
  }

  public static void assertMatches(String name, String actual) {
    Path golden = file(name);
    try {
      if (updating()) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(golden).as("golden file %s is missing; run with -Dgolden.update=true to create it", golden).exists();
      assertThat(actual).as("rendered output differs from golden file %s (-Dgolden.update=true regenerates it)", golden)
          .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
