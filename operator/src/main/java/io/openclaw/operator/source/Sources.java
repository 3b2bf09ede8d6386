package io.openclaw.operator.source;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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
    java.util.Set<ResourceKey> invalid = new java.util.HashSet<>();
    result.problems().stream().filter(Problem::isError).forEach(p -> p.key().ifPresent(invalid::add));
    List<Manifest> valid = result.manifests().stream().filter(m -> !invalid.contains(m.key())).toList();
    return new Snapshot(valid, result.problems());
  }

  /** Reads Secrets of the cluster for the resources that name them (secretRef). */
  public static SecretReader secrets(KubernetesClient client) { return new KubernetesSecrets(client); }

  /**
   * From a cluster (one namespace, or all when {@code namespace} is null): what the Kubernetes source would hold.
   * Objects being deleted are left out, as they are being torn down.
   */
  public static Snapshot fromKubernetes(KubernetesClient client, String namespace) {
    List<ClusterManifests.Checked> live = ClusterManifests.list(client, namespace).stream().filter(c -> !c.deleting())
        .sorted(Comparator.comparing(ClusterManifests.Checked::key)).toList();
    Map<ResourceKey, List<Problem>> setProblems = ClusterManifests.checkSet(live);
    List<Manifest> valid = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (ClusterManifests.Checked c : live) {
      List<Problem> own = new ArrayList<>(c.problems());
      own.addAll(setProblems.getOrDefault(c.key(), List.of()));
      problems.addAll(own);
      if (c.manifest() != null && own.stream().noneMatch(Problem::isError)) valid.add(c.manifest());
    }
    return new Snapshot(valid, problems);
  }
}
