package io.openclaw.operator.plan.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a host path into the form paths are compared in. On the Docker host itself symlinks are resolved (so a
 * link cannot smuggle a bind past the rules); over TCP the host's filesystem is out of sight and the comparison is
 * lexical only, which the status says.
 */
public interface PathCanon {
  String canonical(String hostPath);

  /** Whether symlinks were resolved. */
  boolean resolvesLinks();

  PathCanon LEXICAL = new PathCanon() {
    public String canonical(String hostPath) { return Path.of(hostPath).normalize().toString(); }
    public boolean resolvesLinks() { return false; }
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
  };

  static boolean under(String path, String dir) {
    return Path.of(path).startsWith(Path.of(dir));
  }
}
