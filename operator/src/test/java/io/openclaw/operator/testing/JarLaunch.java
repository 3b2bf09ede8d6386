package io.openclaw.operator.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts the operator's jar as the image, the systemd unit and hack/run-local.sh start it: the
 * Java options `mvn package` puts beside the jar ({@code @JAR.jvm-options}, the one source of them) and the
 * class-data archive beside it when there is one. Tests and benchmarks that run the jar start it this way, so their
 * figures are those of the operator as shipped.
 */
public final class JarLaunch {
  private JarLaunch() {}

  /** {@code java @JAR.jvm-options [-XX:SharedArchiveFile=JAR.jsa] JAVA-OPTIONS... -jar JAR}; arguments follow. */
  public static List<String> command(Path jar, String... javaOptions) {
    Path absolute = jar.toAbsolutePath();
    Path options = sibling(absolute, ".jvm-options");
    if (!Files.exists(options)) throw new IllegalStateException("no " + options + " beside the jar: run `mvn package`");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + options));
    Path archive = sibling(absolute, ".jsa");
    if (Files.exists(archive)) command.add("-XX:SharedArchiveFile=" + archive);
    command.addAll(List.of(javaOptions));
    command.addAll(List.of("-jar", absolute.toString()));
    return command;
  }

  private static Path sibling(Path jar, String suffix) {
    return jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", "") + suffix);
  }
}
