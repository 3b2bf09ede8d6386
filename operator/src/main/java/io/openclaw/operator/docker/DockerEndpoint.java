package io.openclaw.operator.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.net.URI;
import java.time.Duration;

/**
 * Where the Docker API is, read the way the docker CLI reads it (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH).
 * Every client is docker-java's httpclient5 transport; the events stream gets a client of its own.
 */
public record DockerEndpoint(DockerClientConfig config) {
  public static DockerEndpoint fromEnvironment() {
    return new DockerEndpoint(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
  }

  public URI host() { return config.getDockerHost(); }

  /** A unix socket means the operator shares the host's filesystem; over TCP it does not. */
  public boolean local() { return "unix".equals(host().getScheme()); }

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
