package io.openclaw.operator.plan.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Turns a host path into the form paths are compared in. Where the Docker host's filesystem is visible (on the host
 * itself, or in a container that sees the host's root at a mount point) symlinks are resolved, so a link cannot
 * smuggle a bind past the rules; over TCP the host's filesystem is out of sight and the comparison is lexical only,
 * which the status says.
 */
public interface PathCanon {
  String canonical(String hostPath);

  /** Whether symlinks were resolved. */
  boolean resolvesLinks();

  /** Linux's limit on links followed in one lookup (MAXSYMLINKS). */
  int MAX_LINKS = 40;

  PathCanon LEXICAL = new PathCanon() {
    public String canonical(String hostPath) { return Path.of(hostPath).normalize().toString(); }

    public boolean resolvesLinks() { return false; }

    @Override
    public String toString() { return "compared lexically (the host's filesystem is out of sight)"; }
  };

  /** On the Docker host itself. */
  PathCanon LOCAL = within(Path.of("/"));

  /** Resolved where the host's filesystem is seen, lexical where it is not. */
  static PathCanon of(java.util.Optional<Path> hostRoot) { return hostRoot.map(PathCanon::within).orElse(LEXICAL); }

  /**
   * Symlinks resolved inside {@code hostRoot}, where the host's root filesystem is seen ("/" on the host, e.g. /host
   * for the operator in a container with {@code -v /:/host:ro}). A link's absolute target is a path of the host, so it
   * is looked up under hostRoot again, never followed into this process's own filesystem, and ".." stops at hostRoot as
   * it stops at "/" on the host. "." and ".." of the path itself go first (as Docker cleans a bind source), a tail that
   * does not exist yet is kept as written, and a path that cannot be resolved (a link loop, an unreadable link) stays
   * lexical. Returns the host path, without the hostRoot prefix.
   */
  static PathCanon within(Path hostRoot) {
    Path root = hostRoot.toAbsolutePath().normalize();
    return new PathCanon() {
      public String canonical(String hostPath) {
        Path lexical = Path.of("/").resolve(hostPath).normalize();
        Deque<String> todo = new ArrayDeque<>();
        lexical.forEach(name -> todo.addLast(name.toString()));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
          String name = todo.removeFirst();
          if (name.isEmpty() || name.equals(".")) continue;
          if (name.equals("..")) {
            if (!resolved.isEmpty()) resolved.remove(resolved.size() - 1);
            continue;
          }
          resolved.add(name);
          Path seen = root.resolve(String.join("/", resolved));
          if (!Files.isSymbolicLink(seen)) continue;
          if (++links > MAX_LINKS) return lexical.toString();
          Path target;
          try {
            target = Files.readSymbolicLink(seen);
          } catch (IOException e) {
            return lexical.toString();
          }
          resolved.remove(resolved.size() - 1);
          if (target.isAbsolute()) resolved.clear();
          List<String> names = new ArrayList<>();
          target.forEach(n -> names.add(n.toString()));
          for (int i = names.size() - 1; i >= 0; i--) todo.addFirst(names.get(i));
        }
        return "/" + String.join("/", resolved);
      }

      public boolean resolvesLinks() { return true; }

      @Override
      public String toString() { return root.equals(Path.of("/")) ? "symlinks resolved on this host" : "symlinks resolved inside " + root; }
    };
  }

  static boolean under(String path, String dir) { return io.openclaw.operator.api.HostPaths.under(path, dir); }
}
