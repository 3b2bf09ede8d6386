package io.openclaw.operator.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.validation.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStoreTest {
  @TempDir Path dir;
  private static final ResourceKey KEY = new ResourceKey("EgressAllowlist", "default", "llm");

  private Manifest allowlist(String hostSelector) throws Exception {
    Path file = dir.resolve("a" + System.nanoTime() + ".yaml");
    Files.writeString(file, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: EgressAllowlist
        metadata: {name: llm}
        spec:
          domains: ["*.openai.com"]
        %s""".formatted(hostSelector.isEmpty() ? "" : "  hostSelector: {matchLabels: " + hostSelector + "}"));
    ManifestLoader.Result r = ManifestLoader.load(List.of(file));
    assertThat(r.problems()).isEmpty();
    return r.manifests().get(0);
  }

  @Test
  void theSameManifestReadAgainChangesNothingAndWakesNobody() throws Exception {
    DesiredStore store = new DesiredStore(Map.of("zone", "a"));
    store.put(KEY, allowlist(""), 1, List.of());
    List<ResourceKey> heard = new ArrayList<>();
    store.addListener((key, before, after) -> heard.add(key));
    store.put(KEY, allowlist(""), 1, List.of());
    assertThat(heard).as("a re-read of an unchanged file").isEmpty();
    store.put(KEY, allowlist("{zone: a}"), 2, List.of());
    assertThat(heard).as("a changed spec").containsExactly(KEY);
  }

  @Test
  void aResourceWithoutHostSelectorIsForEveryHost() throws Exception {
    DesiredStore store = new DesiredStore(Map.of("zone", "a"));
    store.put(KEY, allowlist(""), 1, List.of());
    assertThat(store.get(KEY, EgressAllowlist.class)).isPresent();
  }

  @Test
  void aResourceSelectingOtherHostsIsNotThisHostsBusiness() throws Exception {
    DesiredStore store = new DesiredStore(Map.of("zone", "a"));
    List<ResourceKey> heard = new ArrayList<>();
    store.addListener((key, before, after) -> heard.add(key));
    store.put(KEY, allowlist("{zone: b}"), 1, List.of());
    assertThat(store.entry(KEY)).isEmpty();
    assertThat(heard).isEmpty();
  }

  @Test
  void aResourceThatStopsSelectingThisHostIsTornDownHere() throws Exception {
    DesiredStore store = new DesiredStore(Map.of("zone", "a"));
    store.put(KEY, allowlist("{zone: a}"), 1, List.of());
    List<Manifest> afterChange = new ArrayList<>();
    store.addListener((key, before, after) -> afterChange.add(after));
    store.put(KEY, allowlist("{zone: b}"), 2, List.of());
    assertThat(store.entry(KEY)).get().matches(DesiredStore.Entry::deleting);
    assertThat(afterChange).containsExactly((Manifest) null);
  }

  @Test
  void aBatchIsSeenWholeOrNotAtAll() throws Exception {
    DesiredStore store = new DesiredStore();
    Manifest m = allowlist("");
    List<Integer> seenSizes = new ArrayList<>();
    store.addListener((key, before, after) -> seenSizes.add(store.keys().size()));
    store.batch(b -> {
      b.put(KEY, m, 1, List.of());
      b.put(new ResourceKey("EgressAllowlist", "default", "other"), m, 1, List.of());
      assertThat(store.keys()).as("not visible before the batch ends").isEmpty();
    });
    assertThat(seenSizes).as("listeners hear after the whole batch is in").containsExactly(2, 2);
  }
}
