package io.openclaw.operator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where desired state comes from, the same on run, plan, audit and explain: --manifests DIR (or a bare DIR) for
 * the embedded default, or --kubernetes. Kubernetes is chosen by itself only in-cluster (a service-account token is
 * present), never because some kubeconfig exists.
 */
final class SourceOptions {
  static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  @Option(names = "--manifests", paramLabel = "DIR", description = "A directory of manifests, not recursive (like kubectl apply -f DIR); --kubernetes reads a cluster instead.")
  Path manifests;

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "Same as --manifests DIR.")
  Path bareDirectory;

  @Option(names = "--kubernetes", description = "Read the resources from the cluster (kubeconfig or in-cluster).")
  boolean kubernetes;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Kubernetes mode: watch one namespace (default: all).")
  String namespace;

  /** The manifest directory, or null in Kubernetes mode; fails with a usage message when neither is given. */
  Path directory() {
    Path dir = manifests != null ? manifests : bareDirectory;
    if (kubernetes && dir != null) throw new IllegalArgumentException("give either --kubernetes or a manifest directory, not both");
    if (kubernetes) return null;
    if (dir == null) {
      if (Files.exists(SERVICE_ACCOUNT_TOKEN)) return null;
      throw new IllegalArgumentException("no desired state given: pass --manifests DIR (for example examples/local/) or --kubernetes");
    }
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a directory");
    return dir;
  }

  boolean useKubernetes() { return directory() == null; }

  /** Whether any desired state was asked for (a directory, --kubernetes, or running in a cluster): audit works without. */
  boolean given() {
    return manifests != null || bareDirectory != null || kubernetes || Files.exists(SERVICE_ACCOUNT_TOKEN);
  }
}
