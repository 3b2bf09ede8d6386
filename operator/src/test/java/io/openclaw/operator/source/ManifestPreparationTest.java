package io.openclaw.operator.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.validation.StructuralSchema;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a one-shot command builds on a thread of its own as it starts, ahead of its own read of manifests: the
 * deserializers of every kind the packed schemas know, and nothing a read returns changes with it.
 */
class ManifestPreparationTest {
  @Test
  void everyKindTheSchemasKnowIsPreparedAndAReadAfterwardsIsUnchanged() {
    Path examples = Path.of(System.getProperty("repo.root"), "examples", "local");
    ManifestLoader.Result before = ManifestLoader.load(List.of(examples));

    assertThat(ManifestLoader.prepare()).containsExactlyInAnyOrderElementsOf(StructuralSchema.packed().kinds());

    ManifestLoader.Result after = ManifestLoader.load(List.of(examples));
    assertThat(after.problems()).isEqualTo(before.problems());
    assertThat(after.manifests()).map(m -> m.resource()).isEqualTo(before.manifests().stream().map(m -> m.resource()).toList());
  }
}
