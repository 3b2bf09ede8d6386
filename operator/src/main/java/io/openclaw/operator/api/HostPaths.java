package io.openclaw.operator.api;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Host paths no container may be given, written once: the Docker socket (whoever reaches it controls the host) and
 * the sensitive directories of the host baseline. {@code validate} refuses a spec that would bind them, the
 * planners and {@code audit} judge live containers by the same predicates.
 */
public final class HostPaths {
  public static final List<String> DOCKER_SOCKETS = List.of("/var/run/docker.sock", "/run/docker.sock");
  /** The host's configuration, homes, Docker's state and the kernel's views. */
  public static final List<String> SENSITIVE = List.of("/", "/etc", "/root", "/home", "/var/lib/docker", "/run", "/var/run", "/proc",
      "/sys", "/dev", "/boot", "/lib/modules");

  private HostPaths() {}

  /** Whether binding this host path gives the Docker socket: the socket or a directory holding it. */
  public static boolean exposesDockerSocket(String hostPath, UnaryOperator<String> canonical) {
    String source = canonical.apply(hostPath);
    for (String socket : DOCKER_SOCKETS) {
      if (under(canonical.apply(socket), source) || under(socket, source)) return true;
    }
    return false;
  }

  /** The sensitive path this host path is, lies under or holds, if any ("/" for the root itself). */
  public static java.util.Optional<String> sensitive(String hostPath, UnaryOperator<String> canonical) {
    String source = canonical.apply(hostPath);
    if (source.equals("/")) return java.util.Optional.of("/");
    for (String p : SENSITIVE) {
      // Every path lies under "/": only the root itself counts, the others count under or above.
      if (!p.equals("/") && (under(source, p) || under(p, source))) return java.util.Optional.of(p);
    }
    return java.util.Optional.empty();
  }

  /** Whether {@code path} equals or lies under {@code dir}, component by component. */
  public static boolean under(String path, String dir) {
    if (path == null || dir == null) return false;
    return Path.of(path).normalize().startsWith(Path.of(dir).normalize());
  }

  /** Lexical normalisation only: what can be said of a path without the host's filesystem. */
  public static String lexical(String hostPath) { return Path.of(hostPath).normalize().toString(); }
}
