package io.openclaw.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PolicyMemoryTest {
  private static final Instant T0 = Instant.parse("2026-09-01T12:00:00Z");
  private static final String SESSION = "agent:main:workspace:0123456789abcdef0123456789abcdef";

  @Test
  void oneConfigsSandboxRemovedTwiceUnderDifferentRuleNamesRecurs() {
    // The same careless config: the first removal came from the container list at create (network is all it shows),
    // the second from the inspect at start (capabilities come first in the rule table).
    PolicyMemory memory = new PolicyMemory();
    memory.remediated("openclaw-sbx-a", "id1", "sandbox.network", "kill_container", T0, SESSION);
    memory.remediated("openclaw-sbx-a", "id2", "sandbox.capabilities", "kill_container", T0.plusSeconds(80), SESSION);

    String message = memory.recurrence(T0.plusSeconds(90)).orElseThrow();

    assertThat(message).contains("\"" + SESSION + "\"").contains("2 times").contains("sandbox.capabilities, sandbox.network")
        .contains("agents.defaults.sandbox.docker.capDrop, agents.defaults.sandbox.docker.network");
  }

  @Test
  void oneRemovalIsNoRecurrence() {
    PolicyMemory memory = new PolicyMemory();
    memory.remediated("openclaw-sbx-a", "id1", "sandbox.network", "kill_container", T0, SESSION);

    assertThat(memory.recurrence(T0.plusSeconds(10))).isEmpty();
  }

  @Test
  void aCapRemovalDoesNotAddUpWithABreach() {
    PolicyMemory memory = new PolicyMemory();
    memory.remediated("openclaw-sbx-a", "id1", "sandbox.network", "kill_container", T0, SESSION);
    memory.remediated("openclaw-sbx-a", "id2", "sandbox.max_concurrent", "kill_container", T0.plusSeconds(10), SESSION);

    assertThat(memory.recurrence(T0.plusSeconds(20))).isEmpty();
  }

  @Test
  void removalsOutsideTheWindowAreForgotten() {
    PolicyMemory memory = new PolicyMemory();
    memory.remediated("openclaw-sbx-a", "id1", "sandbox.network", "kill_container", T0, SESSION);
    memory.remediated("openclaw-sbx-a", "id2", "sandbox.network", "kill_container", T0.plusSeconds(10), SESSION);

    assertThat(memory.recurrence(T0.plusSeconds(20))).isPresent();
    assertThat(memory.recurrence(T0.plus(PolicyMemory.RECURRENCE_WINDOW).plus(Duration.ofMinutes(1)))).isEmpty();
  }
}
