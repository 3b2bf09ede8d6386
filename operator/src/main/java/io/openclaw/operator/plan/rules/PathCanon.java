package io.openclaw.operator.plan.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns a host path into the form paths are compared in. Where the Docker host's filesystem is visible symlinks are
 * resolved (so a link cannot smuggle a bind past the rules); over TCP the host's filesystem is out of sight and the
 * comparison is lexical only, which the status says.
 */
public interface PathCanon {
  String canonical(String hostPath);

  /** Whether symlinks were resolved. */
  boolean resolvesLinks();

  PathCanon LEXICAL = new PathCanon() {
    public String canonical(String hostPath) { return Path.of(hostPath).normalize().toString(); }
    public boolean resolvesLinks() { return false; }
  };

  /** On the Docker host itself. */
  PathCanon LOCAL = under(Path.of("/"));

  /**
   * The Docker host's filesystem seen at {@code hostRoot} ("/" on the host, e.g. /host when the operator runs in a
   * container with the host's root mounted there). Links are followed inside that root: an absolute target is a path
   * of the host, so it is looked up under the root again, never in the operator's own filesystem. A path whose tail
   * does not exist yet is judged by its real parent.
   */
  static PathCanon under(Path hostRoot) {
    return new PathCanon() {
      public String canonical(String hostPath) { return resolve(hostRoot, hostPath); }
      public boolean resolvesLinks() { return true; }
    };
  }

  private static String resolve(Path root, String hostPath) {
    Deque<String> pending = new ArrayDeque<>();
    for (Path part : Path.of(hostPath).normalize()) pending.addLast(part.toString());
    Deque<String> resolved = new ArrayDeque<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.removeFirst();
      if (part.equals(".") || part.isEmpty()) continue;
      if (part.equals("..")) {
        resolved.pollLast();
        continue;
      }
      resolved.addLast(part);
      Path seen = root.resolve(String.join("/", resolved));
      if (!Files.isSymbolicLink(seen)) continue;
      if (++links > 40) break; // a loop: judge the path as far as it got
      Path target;
      try {
        target = Files.readSymbolicLink(seen);
      } catch (IOException e) {
        continue;
      }
      resolved.removeLast();
      if (target.isAbsolute()) resolved.clear();
      Deque<String> next = new ArrayDeque<>();
      for (Path t : target) next.addLast(t.toString());
      next.addAll(pending);
      pending = next;
    }
    return "/" + String.join("/", resolved);
  }

  static boolean under(String path, String dir) { return io.openclaw.operator.api.HostPaths.under(path, dir); }
}
