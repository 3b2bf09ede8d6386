package io.openclaw.operator.source;

import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import java.nio.file.Path;
import java.util.List;

/**
 * One-shot reads of the desired state for the commands that do not run the loop (plan, audit, explain): the same
 * resources `run` would see, from a manifest directory or a cluster.
 */
public final class Sources {
  private Sources() {}

  /** The valid resources and the problems of the rest. */
  public record Snapshot(List<Manifest> manifests, List<Problem> problems) {}

  /** From a manifest directory: what the directory source would load. */
  public static Snapshot fromDirectory(Path dir) {
    ManifestLoader.Result result = ManifestLoader.load(List.of(dir));
    java.util.Set<io.openclaw.operator.api.ResourceKey> invalid = new java.util.HashSet<>();
    result.problems().stream().filter(Problem::isError).forEach(p -> p.key().ifPresent(invalid::add));
    List<Manifest> valid = result.manifests().stream().filter(m -> !invalid.contains(m.key())).toList();
    return new Snapshot(valid, result.problems());
  }
}
