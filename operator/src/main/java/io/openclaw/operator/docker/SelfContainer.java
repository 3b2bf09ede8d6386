package io.openclaw.operator.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker container the operator runs in, if any: Docker bind-mounts {@code /etc/hostname} from the container's
 * own directory ({@code .../containers/<id>/hostname}), which holds under cgroup v1 and v2 alike. The id comes from the
 * kernel's mount table, never from anything a container could claim about itself.
 */
public final class SelfContainer {
  private static final Pattern HOSTNAME_SOURCE = Pattern.compile("/containers/([0-9a-f]{64})/hostname$");

  private SelfContainer() {}

  public static Optional<String> id() { return id(Path.of("/proc/self/mountinfo")); }

  static Optional<String> id(Path mountinfo) {
    try {
      return fromMountinfo(Files.readAllLines(mountinfo));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** From the lines of a mountinfo: the one mounted at /etc/hostname, whose root names the container. */
  static Optional<String> fromMountinfo(List<String> lines) {
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].equals("/etc/hostname")) {
        Matcher m = HOSTNAME_SOURCE.matcher(f[3]);
        if (m.find()) return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}
