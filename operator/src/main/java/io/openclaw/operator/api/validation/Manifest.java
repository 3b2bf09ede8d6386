package io.openclaw.operator.api.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.openclaw.operator.api.ResourceKey;
import java.nio.file.Path;

/**
 * A resource as declared, with where it came from: a file and its document (directory mode), or neither (a
 * cluster). Problems point at {@code file:line} when there is a file.
 */
public record Manifest(ResourceKey key, HasMetadata resource, Path file, LocatedYaml.Document document) {
  public static Manifest fromCluster(HasMetadata resource) {
    return new Manifest(ResourceKey.of(resource), resource, null, null);
  }

  public int line() { return document == null ? 0 : document.line(); }

  public int lineOf(String path) { return document == null ? 0 : document.lineOf(path); }

  public Problem problem(String path, String message) {
    return Problem.error(file, lineOf(path), key.kind(), key.namespace(), key.name(), path, message);
  }

  public Problem warning(String path, String message) {
    return new Problem(file, lineOf(path), key.kind(), key.namespace(), key.name(), path, message, Problem.Severity.WARNING, Problem.Code.INVALID);
  }

  /** This resource collides with another on the same host (networks, names, governed sandboxes). */
  public Problem conflict(String path, String message) {
    return new Problem(file, lineOf(path), key.kind(), key.namespace(), key.name(), path, "Conflict: " + message, Problem.Severity.ERROR,
        Problem.Code.CONFLICT);
  }

  public <T extends HasMetadata> T as(Class<T> type) { return type.cast(resource); }

  /** {@link #resolve}, or empty when the text is no path this host's filesystem can name (a NUL, unmappable characters). */
  public java.util.Optional<Path> resolvable(String file) {
    try {
      return java.util.Optional.of(resolve(file));
    } catch (java.nio.file.InvalidPathException e) {
      return java.util.Optional.empty();
    }
  }

  /** Where the file named in a field lives: relative paths are relative to the manifest's directory. */
  public Path resolve(String file) {
    Path p = Path.of(file);
    if (p.isAbsolute() || this.file == null) return p.normalize();
    Path dir = this.file.toAbsolutePath().getParent();
    return dir.resolve(p).normalize();
  }
}
