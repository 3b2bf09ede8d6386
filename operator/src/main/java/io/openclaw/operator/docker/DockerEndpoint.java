package io.openclaw.operator.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Where the Docker API is, read the way the docker CLI reads it (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH),
 * through docker-java's configuration: its host and TLS settings (null without TLS). Every client is docker-java's
 * httpclient5 transport; the events stream gets a client of its own.
 */
public record DockerEndpoint(URI host, SSLConfig configuredTls) {
  public static DockerEndpoint of(DockerClientConfig config) {
    return new DockerEndpoint(config.getDockerHost(), config.getSSLConfig());
  }

  public static DockerEndpoint fromEnvironment() {
    return plain(System.getenv(), System.getProperties()).orElseGet(() -> of(DefaultDockerClientConfig.createDefaultConfigBuilder().build()));
  }

  static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  /**
   * docker-java's answer where it is plain without asking it: no docker CLI config file or context to read, no TLS, no
   * settings file of docker-java's own, on Linux. Then docker-java's configuration is DOCKER_HOST (a system property
   * before the environment; a blank one in the environment does not count) or the default socket, and nothing else
   * this uses; building it would still set up a Jackson 2 ObjectMapper (for the config file that is not there) and
   * load some 360 classes for it, a good part of a one-shot command's Docker side. Anything else: empty, and docker-java
   * reads it all (DockerEndpointTest holds the two to the same answers).
   */
  static Optional<DockerEndpoint> plain(Map<String, String> env, Properties properties) {
    if (properties.getProperty("os.name", "").startsWith("Windows")) return Optional.empty();
    String home = properties.getProperty("user.home", "");
    if (Files.exists(Path.of(home, ".docker-java.properties"))) return Optional.empty();
    if (!blank(env.get("DOCKER_CONTEXT"))) return Optional.empty();
    // docker-java's other settings, as a system property or in the environment: set, they go the whole way.
    for (String key : new String[] {"DOCKER_CERT_PATH", "api.version", "registry.url", "registry.username", "registry.password", "registry.email"}) {
      if (properties.containsKey(key) || !blank(env.get(key))) return Optional.empty();
    }
    String tls = setting("DOCKER_TLS_VERIFY", env, properties);
    if (tls != null && (blank(tls) || tls.trim().equalsIgnoreCase("true") || tls.trim().equals("1"))) return Optional.empty();
    String config = setting("DOCKER_CONFIG", env, properties);
    Path configDir = config == null ? Path.of(home, ".docker") : blank(config) ? null : Path.of(config);
    if (configDir == null || Stream.of("config.json", ".dockercfg").anyMatch(f -> Files.exists(configDir.resolve(f)))) return Optional.empty();
    String host = setting("DOCKER_HOST", env, properties);
    if (host != null && blank(host)) return Optional.empty();
    return Optional.of(new DockerEndpoint(URI.create(host == null ? DEFAULT_HOST : host), null));
  }

  /** A setting as docker-java reads it: the system property when there is one, else the environment's when not blank. */
  private static String setting(String key, Map<String, String> env, Properties properties) {
    if (properties.containsKey(key)) return properties.getProperty(key);
    String value = env.get(key);
    return blank(value) ? null : value;
  }

  private static boolean blank(String s) { return s == null || s.trim().isEmpty(); }

  /** A unix socket means the operator shares the host's filesystem; over TCP it does not. */
  public boolean local() { return "unix".equals(host.getScheme()); }

  /** Request/response calls: bounded so that a hung daemon cannot hold a worker forever. */
  public DockerHttpClient requestClient() {
    return new ApacheDockerHttpClient.Builder().dockerHost(host).sslConfig(sslConfig())
        .maxConnections(32).connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build();
  }

  /** The events stream: no response timeout (a quiet host sends nothing for hours); a watchdog guards it instead. */
  public DockerHttpClient streamClient() {
    return new ApacheDockerHttpClient.Builder().dockerHost(host).sslConfig(sslConfig())
        .maxConnections(2).connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ZERO).build();
  }

  /**
   * The configured TLS settings; for a unix socket without any, a context that nothing uses. Given none, docker-java
   * builds a TLS strategy from Java's default SSL context even for a unix socket, whose requests are plain HTTP: that
   * loads the JDK's trust store, about a tenth of a one-shot command's time, for nothing.
   */
  private SSLConfig sslConfig() {
    return configuredTls != null || !local() ? configuredTls : () -> UNUSED_TLS;
  }

  /** Never initialised: plain HTTP over a unix socket reaches no TLS code. */
  private static final SSLContext UNUSED_TLS = new SSLContext(null, null, "none") {};
}
