package io.openclaw.operator.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
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
}
