package io.openclaw.operator.cli;

import io.openclaw.operator.audit.Audit;
import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.audit.HostFiles;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.host.OneShot;
import io.openclaw.operator.source.Sources;
import java.nio.file.Path;
import java.time.Instant;

/** What plan, audit and explain share: the desired state (optional for audit and explain), the host read once. */
final class AuditSupport {
  private AuditSupport() {}

  /** The declared resources, or none when none were asked for; IllegalArgumentException for a usage error. */
  static DesiredState desired(SourceOptions source) {
    if (!source.given()) return DesiredState.none();
    Path dir = source.directory();
    if (dir != null) return DesiredState.of(Sources.fromDirectory(dir), dir.toString(), io.openclaw.operator.source.SecretReader.LOCAL);
    // The client stays open for the command's life: plan reads Secrets through it. A one-shot command fails fast
    // rather than retrying a cluster that is not there.
    io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.autoConfigure(null))
        .withRequestRetryBackoffLimit(0).withConnectionTimeout(5_000).build();
    io.fabric8.kubernetes.client.KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
    try {
      return DesiredState.of(Sources.fromKubernetes(client, source.namespace), "cluster " + client.getMasterUrl(), Sources.secrets(client));
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      throw new Exit.Unavailable("cannot read the resources from the cluster at " + client.getMasterUrl() + ": " + e.getMessage()
          + "; check the kubeconfig (KUBECONFIG, ~/.kube/config) or run in-cluster");
    }
  }

  /** The host's files for the daemon's settings and --deep, where they are visible. */
  static Audit.Options options(boolean deep, Path hostRoot, DockerEndpoint endpoint) {
    if (hostRoot != null) {
      // On the host itself the live commands answer (ufw status, fail2ban-client status); through a mount, the files do.
      boolean onHost = hostRoot.toAbsolutePath().normalize().equals(java.nio.file.Path.of("/"));
      return new Audit.Options(deep, new HostFiles(hostRoot), null, onHost ? io.openclaw.operator.audit.HostHardening.Live.HOST
          : io.openclaw.operator.audit.HostHardening.Live.NONE);
    }
    return new Audit.Options(deep, null, "the Docker host (" + endpoint.host() + ") is remote and --host-root was not given: its files are out of sight");
  }

  /** The host read once, with what the running operator recorded in the state directory. */
  static HostView view(DockerApi docker, DesiredState desired, HostOptions host, DockerEndpoint endpoint, boolean prune) {
    return OneShot.read(docker, desired, host.stateDir(), host.hostRoot(endpoint), prune, Instant.now());
  }

  /** The same, with the daemon read ahead ({@link HostReadAhead}). */
  static HostView view(HostReadAhead.Read read, DockerApi docker, DesiredState desired, HostOptions host, DockerEndpoint endpoint, boolean prune) {
    return OneShot.read(read.host(), docker, desired, host.stateDir(), host.hostRoot(endpoint), prune, read.now());
  }
}
