package io.openclaw.operator.plan.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.SocketProxyGrant;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Golden;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The socket proxy's environment, proven against golden files (no socket-proxy image exists offline). */
class SocketProxyEnvTest {
  private static String lines(List<String> env) { return String.join("\n", env) + "\n"; }

  @Test
  void defaultGrantsRenderTheGoldenEnvironment() {
    List<SocketProxyGrant> defaults = List.of(SocketProxyGrant.CONTAINERS, SocketProxyGrant.IMAGES, SocketProxyGrant.EXEC,
        SocketProxyGrant.PING, SocketProxyGrant.POST);

    Golden.assertMatches("socket-proxy/env-default.env", lines(SocketProxyEnv.render(defaults)));
  }

  @Test
  void seedGrantsRenderTheGoldenEnvironment() {
    List<SocketProxyGrant> seed = Fixtures.seed(GatewayDeployment.class).getSpec().socketProxy().allow();

    Golden.assertMatches("socket-proxy/env-seed.env", lines(SocketProxyEnv.render(seed)));
  }

  @Test
  void everyVariableTheImageKnowsIsSetExactlyOnceToOneOrZero() {
    List<String> env = SocketProxyEnv.render(List.of(SocketProxyGrant.EXEC));

    assertThat(env).extracting(kv -> kv.substring(0, kv.indexOf('=')))
        .containsExactlyElementsOf(Arrays.stream(SocketProxyGrant.values()).map(Enum::name).toList());
    assertThat(env).allMatch(kv -> kv.endsWith("=1") || kv.endsWith("=0"));
    assertThat(env).filteredOn(kv -> kv.endsWith("=1")).containsExactly("EXEC=1");
  }

  @Test
  void imageDefaultsAreOverriddenWithZeroWhenNotGranted() {
    // Tecnativa's image enables EVENTS, PING and VERSION unless told otherwise.
    assertThat(SocketProxyEnv.render(List.of(SocketProxyGrant.POST))).contains("EVENTS=0", "PING=0", "VERSION=0", "POST=1");
  }

  @Test
  void forbiddenGrantsRenderZeroEvenWhenListed() {
    assertThat(SocketProxyEnv.render(List.of(SocketProxyGrant.BUILD, SocketProxyGrant.SECRETS, SocketProxyGrant.SWARM)))
        .contains("BUILD=0", "SECRETS=0", "SWARM=0").noneMatch(kv -> kv.endsWith("=1"));
  }

  @Test
  void noGrantsRenderEveryVariableZero() {
    assertThat(SocketProxyEnv.render(List.of())).hasSize(SocketProxyGrant.values().length).allMatch(kv -> kv.endsWith("=0"));
  }
}
