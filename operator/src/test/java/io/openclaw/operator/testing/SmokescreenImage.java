package io.openclaw.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Smokescreen the integration tests run as the egress proxy: the image hack/smokescreen.sh builds from the
 * Go module proxy. Its version is the one hack/smokescreen/go.mod requires (the script refuses to build otherwise).
 */
public final class SmokescreenImage {
  /** The entry point: Smokescreen with the HTTPS-only policy of hack/smokescreen/main.go. */
  public static final String ENTRYPOINT = "/usr/local/bin/smokescreen";
  /** Stock Smokescreen of the same version, unchanged, for tests that show what it lets through. */
  public static final String STOCK = "/usr/local/bin/smokescreen-stock";
  private static final Pattern REQUIRE = Pattern.compile("(?m)^\\s*(?:require\\s+)?github\\.com/stripe/smokescreen\\s+(v\\S+)");

  private SmokescreenImage() {}

  public static String version() {
    Path goMod = Fixtures.repoRoot().resolve("hack/smokescreen/go.mod");
    try {
      Matcher m = REQUIRE.matcher(Files.readString(goMod));
      if (!m.find()) throw new IllegalStateException(goMod + " does not require github.com/stripe/smokescreen");
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String reference() { return "openclaw-test/smokescreen:" + version(); }
}
