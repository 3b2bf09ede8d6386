package io.openclaw.operator.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

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
    return new ApacheDockerHttpClient.Builder().dockerHost(host()).sslConfig(sslConfig())
        .maxConnections(32).connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build();
  }

  /** The events stream: no response timeout (a quiet host sends nothing for hours); a watchdog guards it instead. */
  public DockerHttpClient streamClient() {
    return new ApacheDockerHttpClient.Builder().dockerHost(host()).sslConfig(sslConfig())
        .maxConnections(2).connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ZERO).build();
  }

  /**
   * The configured TLS settings; for a unix socket without any, a context that nothing uses. Given none, docker-java
   * builds a TLS strategy from Java's default SSL context even for a unix socket, whose requests are plain HTTP: that
   * loads the JDK's trust store, about a tenth of a one-shot command's time, for nothing.
   */
  private SSLConfig sslConfig() {
    SSLConfig configured = config.getSSLConfig();
    return configured != null || !local() ? configured : () -> UNUSED_TLS;
  }

  /** Never initialised: plain HTTP over a unix socket reaches no TLS code. */
  private static final SSLContext UNUSED_TLS = new SSLContext(null, null, "none") {};
}
