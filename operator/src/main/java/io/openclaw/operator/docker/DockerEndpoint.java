package io.openclaw.operator.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the Docker API is, read the way the docker CLI reads it (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH).
 * Every client is docker-java's httpclient5 transport; the events stream gets a client of its own. {@code hostRoot},
 * when given, is where this process sees the Docker host's root filesystem (--host-root, e.g. /host in a container).
 */
public record DockerEndpoint(DockerClientConfig config, Path hostRoot) {
  public static DockerEndpoint fromEnvironment() {
    return new DockerEndpoint(DefaultDockerClientConfig.createDefaultConfigBuilder().build(), null);
  }

  /** The same endpoint, with the host's root filesystem seen at {@code root} (null: not given). */
  public DockerEndpoint withHostRoot(Path root) { return new DockerEndpoint(config, root); }

  public URI host() { return config.getDockerHost(); }

  /** A unix socket means the operator shares the host's filesystem; over TCP it does not. */
  public boolean local() { return "unix".equals(host().getScheme()); }

  /**
   * Where the Docker host's root filesystem is visible to this process: --host-root when given, "/" on a local socket
   * (the operator runs on the host itself), nothing over TCP. A container on the host that mounts the socket but not
   * the host's root sees "/" of its own image: give it --host-root.
   */
  public Optional<Path> hostFilesystem() {
    if (hostRoot != null) return Optional.of(hostRoot);
    return local() ? Optional.of(Path.of("/")) : Optional.empty();
  }

  /** Request/response calls: bounded so that a hung daemon cannot hold a worker forever. */
  public DockerHttpClient requestClient() {
    return new ApacheDockerHttpClient.Builder().dockerHost(host()).sslConfig(config.getSSLConfig())
        .maxConnections(32).connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build();
  }

  /** The events stream: no response timeout (a quiet host sends nothing for hours); a watchdog guards it instead. */
  public DockerHttpClient streamClient() {
    return new ApacheDockerHttpClient.Builder().dockerHost(host()).sslConfig(config.getSSLConfig())
        .maxConnections(2).connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ZERO).build();
  }
}
