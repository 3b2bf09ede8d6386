package io.openclaw.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.ResourceKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StartGateTest {
  private static final ResourceKey POLICY = new ResourceKey("SandboxPolicy", "default", "sandboxes");
  private final StartGate gate = new StartGate();

  private static Map<String, String> created(String... ids) {
    Map<String, String> states = new HashMap<>();
    for (String id : ids) states.put(id, "created");
    return states;
  }

  @Test
  void startsAllowedButNotYetRunningHoldTheirPlaces() {
    Map<String, String> states = created("a", "b", "c");
    assertThat(gate.allow(POLICY, "a", Set.of(), states, 2)).isTrue();
    assertThat(gate.allow(POLICY, "b", Set.of(), states, 2)).isTrue();
    assertThat(gate.allow(POLICY, "c", Set.of(), states, 2)).as("two starts on their way fill a cap of 2").isFalse();
  }

  @Test
  void aStartSeenRunningCountsOnceNotTwice() {
    assertThat(gate.allow(POLICY, "a", Set.of(), created("a", "b"), 2)).isTrue();
    Map<String, String> states = created("b");
    states.put("a", "running");
    assertThat(gate.allow(POLICY, "b", Set.of("a"), states, 2)).isTrue();
  }

  @Test
  void aStartTheDaemonRefusedFreesItsPlace() {
    assertThat(gate.allow(POLICY, "a", Set.of(), created("a", "b"), 1)).isTrue();
    gate.release("a");
    assertThat(gate.allow(POLICY, "b", Set.of(), created("a", "b"), 1)).isTrue();
  }

  @Test
  void aStartedSandboxRemovedBeforeTheHostShowedItRunningFreesItsPlace() {
    assertThat(gate.allow(POLICY, "a", Set.of(), created("a", "b"), 1)).isTrue();
    gate.started("a");
    assertThat(gate.allow(POLICY, "b", Set.of(), created("b"), 1)).as("a ran and is gone").isTrue();
  }

  @Test
  void aStartNotYetAnsweredKeepsItsPlaceEvenWhenTheHostDoesNotShowTheContainerYet() {
    assertThat(gate.allow(POLICY, "a", Set.of(), Map.of(), 1)).isTrue();
    assertThat(gate.allow(POLICY, "b", Set.of(), created("b"), 1)).isFalse();
  }

  @Test
  void anExitedSandboxHoldsNoPlace() {
    assertThat(gate.allow(POLICY, "a", Set.of(), created("a"), 1)).isTrue();
    Map<String, String> states = created("b");
    states.put("a", "exited");
    assertThat(gate.allow(POLICY, "b", Set.of(), states, 1)).isTrue();
  }
}
