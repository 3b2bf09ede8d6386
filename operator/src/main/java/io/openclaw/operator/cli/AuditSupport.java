package io.openclaw.operator.cli;

import io.openclaw.operator.audit.Audit;
import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.audit.HostFiles;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.Sources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** What audit and explain share: the desired state (optional for them), the host's filesystem, the exit codes. */
final class AuditSupport {
  static final int OK = 0;
  static final int CRITICAL = 1;
  static final int USAGE = 2;
  static final int UNREADABLE_HOST = 3;

  /**
   * Where the Docker host's root filesystem is visible: for the daemon's settings, --deep, and resolving bind sources'
   * symlinks as the host resolves them; "/" when the Docker endpoint is a local socket.
   */
  static final class HostRootOption {
    @Option(names = "--host-root", paramLabel = "DIR",
        description = "Where the Docker host's root filesystem is visible (default / when DOCKER_HOST is a unix socket; e.g. /host in a container).")
    Path hostRoot;

    /** The endpoint with the host root, checked; IllegalArgumentException when it is no directory. */
    DockerEndpoint apply(DockerEndpoint endpoint) {
      if (hostRoot == null) return endpoint;
      if (!Files.isDirectory(hostRoot)) throw new IllegalArgumentException("--host-root " + hostRoot + " is not a directory");
      return endpoint.withHostRoot(hostRoot.toAbsolutePath().normalize());
    }
  }

  /** Bind sources compared as the host resolves them where its filesystem is visible, lexically where it is not. */
  static PathCanon canon(DockerEndpoint endpoint) {
    return PathCanon.of(endpoint.hostFilesystem());
  }

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
      throw new IllegalArgumentException("cannot read the resources from the cluster at " + client.getMasterUrl() + ": " + e.getMessage());
    }
  }

  static Audit.Options options(boolean deep, Path hostRoot, DockerEndpoint endpoint) {
    if (hostRoot != null) {
      if (!Files.isDirectory(hostRoot)) throw new IllegalArgumentException("--host-root " + hostRoot + " is not a directory");
      return new Audit.Options(deep, new HostFiles(hostRoot), null, canon(endpoint.withHostRoot(hostRoot)), Clock.systemUTC());
    }
    PathCanon canon = canon(endpoint);
    if (endpoint.local()) return new Audit.Options(deep, new HostFiles(Path.of("/")), null, canon, Clock.systemUTC());
    return new Audit.Options(deep, null, "the Docker host (" + endpoint.host() + ") is remote and --host-root was not given: its files are out of sight",
        canon, Clock.systemUTC());
  }
}
