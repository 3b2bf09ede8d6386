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

  @Test
  void aRecordedContainerIsAnOrphanOnlyAgainstADeclaredStateReadInFull() {
    Ownership ownership = Ownership.none();
    ownership.created(OWNER, "gw-cache", "cache-id", null);
    ContainerView cache = container("cache-id", Map.of());
    io.openclaw.operator.source.DesiredStore store = new io.openclaw.operator.source.DesiredStore();
    java.util.function.Supplier<HostView> view = () -> new HostView(store, io.openclaw.operator.source.SecretReader.LOCAL,
        new io.openclaw.operator.docker.HostSnapshot(Map.of(cache.id(), cache), Map.of()), (id, path) -> java.util.Optional.empty(), ownership,
        io.openclaw.operator.plan.SandboxPlanner.ExecActivity.NONE, java.util.Set.of(), new Admitted(java.util.Set.of(), java.util.Set.of()),
        io.openclaw.operator.plan.HostCapabilities.FULL, io.openclaw.operator.plan.rules.PathCanon.LEXICAL, p -> true, true, Instant.now());

    // `audit` with no manifests, or a store still loading: nothing is known to be undeclared.
    var unknown = HostPlans.baseline(view.get());
    assertThat(unknown.actions()).as("nothing removed").isEmpty();
    assertThat(unknown.reported()).as("nothing reported as no longer declared").isEmpty();

    store.markSynced(); // read in full, and its GatewayDeployment is not in it
    assertThat(HostPlans.baseline(view.get()).actions()).singleElement()
        .satisfies(a -> assertThat(a.reason().detail()).contains(cache.name() + " was created for " + OWNER + ", which is no longer declared"));
  }
}
