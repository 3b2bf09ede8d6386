package io.openclaw.operator.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.ContainerView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnershipTest {
  private static final ResourceKey OWNER = new ResourceKey("GatewayDeployment", "ns", "gw");
  @TempDir Path state;

  private static ContainerView container(String id, Map<String, String> labels) {
    var body = Yaml.JSON.createObjectNode();
    body.set("Labels", Yaml.JSON.valueToTree(labels));
    return ContainerView.fromCreate(body, "c-" + id, id, Instant.now());
  }

  @Test
  void afterTheFirstListARestartedOperatorForgetsWhatAnEarlierRunRecordedAndTheHostNoLongerHas() throws Exception {
    Ownership earlier = Ownership.open(state);
    earlier.created(OWNER, "gw-cache", "kept", null);
    earlier.created(OWNER, "gw-gateway", "removed-while-down", null);
    String neverMade = earlier.beginCreate(OWNER, "gw-model-proxy");
    String answerLost = earlier.beginCreate(OWNER, "gw-socket-proxy");

    Ownership restarted = Ownership.open(state);
    restarted.created(OWNER, "gw-egress-proxy", "made-after-the-list", null);
    restarted.forgetVanished(List.of(container("kept", Map.of()), container("made-by-lost-create", Map.of(Ownership.CREATION_LABEL, answerLost))));

    assertThat(restarted.of(OWNER)).as("present, adopted by its nonce, and this run's own (newer than the list)")
        .containsExactlyInAnyOrder("kept", "made-by-lost-create", "made-after-the-list");
    assertThat(Ownership.open(state).of(OWNER)).as("written back").containsExactlyInAnyOrder("kept", "made-by-lost-create", "made-after-the-list");
    assertThat(java.nio.file.Files.readString(state.resolve("ownership.json"))).as("the create that never happened is no longer pending")
        .doesNotContain(neverMade).doesNotContain("nonce");
  }

  @Test
  void onlyTheFirstListSweeps() {
    Ownership earlier = Ownership.open(state);
    earlier.created(OWNER, "gw-cache", "a", null);
    Ownership restarted = Ownership.open(state);
    restarted.forgetVanished(List.of(container("a", Map.of())));
    restarted.created(OWNER, "gw-gateway", "b", null);
    restarted.forgetVanished(List.of(container("a", Map.of())));
    assertThat(restarted.of(OWNER)).as("this run's entries are removed by the events that say so, not by a later list").containsExactlyInAnyOrder("a", "b");
  }
}
