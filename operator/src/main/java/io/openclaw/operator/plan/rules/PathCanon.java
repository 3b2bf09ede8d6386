package io.openclaw.operator.plan.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a host path into the form paths are compared in. On the Docker host itself symlinks are resolved (so a
 * link cannot smuggle a bind past the rules), and so they are in a container that sees the host's root at a mount
 * point ({@link #within}); over TCP the host's filesystem is out of sight and the comparison is lexical only, which
 * the status says.
 */
public interface PathCanon {
  String canonical(String hostPath);

  /** Whether symlinks were resolved. */
  boolean resolvesLinks();

  PathCanon LEXICAL = new PathCanon() {
    public String canonical(String hostPath) { return Path.of(hostPath).normalize().toString(); }
    public boolean resolvesLinks() { return false; }
    @Override public String toString() { return "compared lexically (the host's filesystem is out of sight)"; }
  };

  PathCanon LOCAL = new PathCanon() {
    public String canonical(String hostPath) {
      Path p = Path.of(hostPath).normalize();
      // Resolve the longest existing prefix: a path whose tail does not exist yet is still judged by its real parent.
      Path existing = p;
      while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
      if (existing == null) return p.toString();
      try {
        return existing.toRealPath().resolve(existing.relativize(p)).normalize().toString();
      } catch (IOException e) {
        return p.toString();
      }
    }
    public boolean resolvesLinks() { return true; }
    @Override public String toString() { return "symlinks resolved on this host"; }
  };

  /**
   * Symlinks resolved inside {@code hostRoot}, where the host's root filesystem is mounted (the operator in a container
   * on the host, e.g. {@code -v /:/host:ro}). A link's absolute target is the host's path, so it is re-rooted under
   * hostRoot rather than followed into this process's own filesystem, and ".." stops at hostRoot as it stops at "/" on
   * the host. Like {@link #LOCAL}: "." and ".." of the path itself are removed lexically first (as Docker cleans a bind
   * source), a tail that does not exist is kept as written, and a path that cannot be resolved (a link loop, an
   * unreadable link) stays lexical. Returns the host path, without the hostRoot prefix.
   */
  static PathCanon within(Path hostRoot) {
    Path root = hostRoot.toAbsolutePath().normalize();
    return new PathCanon() {
      public String canonical(String hostPath) {
        Path lexical = Path.of("/").resolve(hostPath).normalize();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>();
        lexical.forEach(name -> todo.addLast(name.toString()));
        java.util.List<String> resolved = new java.util.ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
          String name = todo.removeFirst();
          if (name.isEmpty() || name.equals(".")) continue;
          if (name.equals("..")) {
            if (!resolved.isEmpty()) resolved.remove(resolved.size() - 1);
            continue;
          }
          resolved.add(name);
          Path onHost = root.resolve(String.join("/", resolved));
          if (!Files.isSymbolicLink(onHost)) continue;
          if (++links > MAX_LINKS) return lexical.toString();
          Path target;
          try {
            target = Files.readSymbolicLink(onHost);
          } catch (IOException e) {
            return lexical.toString();
          }
          resolved.remove(resolved.size() - 1);
          if (target.isAbsolute()) resolved.clear();
          java.util.List<String> names = new java.util.ArrayList<>();
          target.forEach(n -> names.add(n.toString()));
          for (int i = names.size() - 1; i >= 0; i--) todo.addFirst(names.get(i));
        }
        return "/" + String.join("/", resolved);
      }

      public boolean resolvesLinks() { return true; }

      @Override
      public String toString() { return "symlinks resolved inside " + root; }
    };
  }

  /** For a host whose root filesystem this process sees at {@code hostFilesystem} ("/": it runs there), if anywhere. */
  static PathCanon of(java.util.Optional<Path> hostFilesystem) {
    return hostFilesystem.map(root -> root.equals(Path.of("/")) ? LOCAL : within(root)).orElse(LEXICAL);
  }

  /** Linux's limit on links followed in one lookup (MAXSYMLINKS). */
  int MAX_LINKS = 40;

  static boolean under(String path, String dir) {
    return Path.of(path).startsWith(Path.of(dir));
  }
}
