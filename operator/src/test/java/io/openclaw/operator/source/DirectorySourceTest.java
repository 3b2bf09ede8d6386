package io.openclaw.operator.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.ResourceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DirectorySourceTest {
  private static WatchEvent<Path> created(String name) {
    return new WatchEvent<>() {
      public Kind<Path> kind() { return StandardWatchEventKinds.ENTRY_CREATE; }
      public int count() { return 1; }
      public Path context() { return Path.of(name); }
    };
  }

  @ParameterizedTest(name = "{0}: re-read {1}")
  @CsvSource({"gateway.yaml, true", "policy.yml, true", "allowlist.json, true", "notes.txt, false", ".gateway.yaml.swp, false",
      ".gateway.yaml.tmp, false", "gateway.yaml~, false", "operator.log, false", "#gateway.yaml#, false"})
  void onlyAFileTheLoaderReadsTriggersAReload(String file, boolean reload) {
    assertThat(DirectorySource.aboutManifests(created(file))).isEqualTo(reload);
  }

  @org.junit.jupiter.api.Test
  void lostEventsTriggerAReload() {
    WatchEvent<Object> overflow = new WatchEvent<>() {
      public Kind<Object> kind() { return StandardWatchEventKinds.OVERFLOW; }
      public int count() { return 1; }
      public Object context() { return null; }
    };
    assertThat(DirectorySource.aboutManifests(overflow)).isTrue();
  }

  private static String allowlist(String domain) {
    return """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: EgressAllowlist
        metadata: {name: providers}
        spec: {domains: ["%s"], action: enforce}
        """.formatted(domain);
  }

  private static Optional<List<String>> domains(DesiredStore store) {
    return store.get(new ResourceKey("EgressAllowlist", "default", "providers"), EgressAllowlist.class).map(a -> a.getSpec().domains());
  }

  @org.junit.jupiter.api.Test
  void aChangeMadeWhileTheDirectoryIsReadAheadIsReadAgainAfterStart(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("manifests"));
    Files.writeString(dir.resolve("allowlist.yaml"), allowlist("before.example.com"));
    DirectorySource source = new DirectorySource(dir, tmp.resolve("state"), Duration.ofMillis(20));
    try {
      source.readAhead();
      Files.writeString(dir.resolve("allowlist.yaml"), allowlist("after.example.com"));
      DesiredStore store = new DesiredStore();
      source.start(store);
      assertThat(store.synced()).isTrue();
      // The read-ahead may have seen the old file, the new one or a half-written one; the watch reads it again in any case.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      // (A half-written file leaves no allowlist at all until the watch reads it again.)
      while (!domains(store).equals(Optional.of(List.of("after.example.com"))) && System.nanoTime() < deadline) Thread.sleep(10);
      assertThat(domains(store)).contains(List.of("after.example.com"));
    } finally {
      source.close();
    }
  }
}
