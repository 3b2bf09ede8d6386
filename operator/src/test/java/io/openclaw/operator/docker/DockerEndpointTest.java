package io.openclaw.operator.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint read without docker-java where its configuration is plain gives docker-java's own answer, and every
 * input that could make the two differ (a config file, a context, TLS, a settings file) leaves it to docker-java.
 * docker-java is asked through its environment-taking builder, so no test depends on this machine's environment.
 */
class DockerEndpointTest {
  @TempDir Path home;

  private Properties properties(String... keyValues) {
    Properties p = new Properties();
    p.setProperty("user.home", home.toString());
    p.setProperty("user.name", "tester");
    p.setProperty("os.name", "Linux");
    for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
    return p;
  }

  private static Map<String, String> env(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) env.put(keyValues[i], keyValues[i + 1]);
    return env;
  }

  /** docker-java's configuration for this environment and these system properties (its own package-private entry). */
  private static DockerClientConfig dockerJava(Map<String, String> env, Properties properties) throws Exception {
    Method builder = DefaultDockerClientConfig.class.getDeclaredMethod("createDefaultConfigBuilder", Map.class, Properties.class);
    builder.setAccessible(true);
    return ((DefaultDockerClientConfig.Builder) builder.invoke(null, env, properties)).build();
  }

  private void assertSameAsDockerJava(Map<String, String> env, Properties properties) throws Exception {
    Optional<DockerEndpoint> plain = DockerEndpoint.plain(env, properties);
    assertThat(plain).as("read without docker-java: %s %s", env, properties).isPresent();
    DockerClientConfig expected = dockerJava(env, properties);
    assertThat(plain.get().host()).isEqualTo(expected.getDockerHost());
    assertThat(plain.get().configuredTls()).isNull();
    assertThat(expected.getSSLConfig()).isNull();
  }

  @Test
  void wherePlainTheHostIsDockerJavasOwn() throws Exception {
    assertSameAsDockerJava(env(), properties());
    assertSameAsDockerJava(env("DOCKER_HOST", "tcp://127.0.0.1:2375"), properties());
    assertSameAsDockerJava(env("DOCKER_HOST", "unix:///run/user/1000/docker.sock"), properties());
    assertSameAsDockerJava(env("DOCKER_HOST", "   "), properties());
    // a system property wins over the environment
    assertSameAsDockerJava(env("DOCKER_HOST", "tcp://10.0.0.1:2375"), properties("DOCKER_HOST", "unix:///tmp/other.sock"));
    assertSameAsDockerJava(env("DOCKER_TLS_VERIFY", "0"), properties());
    assertSameAsDockerJava(env("DOCKER_TLS_VERIFY", ""), properties());
    assertSameAsDockerJava(env(), properties("DOCKER_TLS_VERIFY", "false"));
    assertSameAsDockerJava(env("DOCKER_CONFIG", home.resolve("empty").toString()), properties());
    assertSameAsDockerJava(env("DOCKER_CONTEXT", " "), properties());
  }

  @Test
  void anythingThatCouldMakeThemDifferIsLeftToDockerJava() throws Exception {
    assertThat(DockerEndpoint.plain(env("DOCKER_TLS_VERIFY", "1"), properties())).isEmpty();
    assertThat(DockerEndpoint.plain(env(), properties("DOCKER_TLS_VERIFY", "TRUE"))).isEmpty();
    assertThat(DockerEndpoint.plain(env("DOCKER_CERT_PATH", "/certs"), properties())).isEmpty();
    assertThat(DockerEndpoint.plain(env("DOCKER_CONTEXT", "remote"), properties())).isEmpty();
    assertThat(DockerEndpoint.plain(env("api.version", "1.41"), properties())).isEmpty();
    assertThat(DockerEndpoint.plain(env(), properties("os.name", "Windows 11"))).isEmpty();
    assertThat(DockerEndpoint.plain(env(), properties("DOCKER_HOST", ""))).isEmpty();

    Path config = Files.createDirectories(home.resolve("config"));
    assertThat(DockerEndpoint.plain(env("DOCKER_CONFIG", config.toString()), properties())).isPresent();
    Files.writeString(config.resolve("config.json"), "{\"currentContext\": \"remote\"}");
    assertThat(DockerEndpoint.plain(env("DOCKER_CONFIG", config.toString()), properties())).isEmpty();

    Files.createDirectories(home.resolve(".docker"));
    assertThat(DockerEndpoint.plain(env(), properties())).isPresent();
    Files.writeString(home.resolve(".docker").resolve(".dockercfg"), "{}");
    assertThat(DockerEndpoint.plain(env(), properties())).isEmpty();
    Files.delete(home.resolve(".docker").resolve(".dockercfg"));

    Files.writeString(home.resolve(".docker-java.properties"), "DOCKER_HOST=tcp://elsewhere:2375\n");
    assertThat(DockerEndpoint.plain(env(), properties())).isEmpty();
    assertThat(dockerJava(env(), properties()).getDockerHost()).hasToString("tcp://elsewhere:2375");
  }
}
