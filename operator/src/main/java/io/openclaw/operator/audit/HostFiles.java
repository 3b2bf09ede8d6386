package io.openclaw.operator.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Docker host's filesystem, where the audit can see it: "/" when it runs on the host itself, or wherever the host's
 * root is mounted (--host-root). Reads never guess: a file that cannot be read is reported as not checked.
 */
public record HostFiles(Path root) {
  public Path path(String absolute) { return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute); }

  public boolean exists(String absolute) { return Files.exists(path(absolute)); }

  /** The file's text; empty when it does not exist; an exception when it exists but cannot be read. */
  public Optional<String> read(String absolute) throws IOException {
    Path p = path(absolute);
    if (!Files.exists(p)) return Optional.empty();
    return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
  }

  public Optional<String> readQuietly(String absolute) {
    try {
      return read(absolute);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Shown in details: the host path, with the mount point when the host's root is not "/". */
  public String show(String absolute) { return root.toString().equals("/") ? absolute : absolute + " (under " + root + ")"; }
}
