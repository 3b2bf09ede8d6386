package io.openclaw.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.validation.LocatedYaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.StructuralSchema;
import io.openclaw.operator.source.ManifestLoader;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed API objects for pure tests, read the way validate and run read them: schema-checked and defaulted from the
 * packed CRDs. The seed manifests are the real files in examples/.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path repoRoot() {
    String root = System.getProperty("repo.root");
    if (root == null) throw new IllegalStateException("system property repo.root is not set (the surefire configuration sets it)");
    return Path.of(root).toAbsolutePath().normalize();
  }

  public static Path examples() { return repoRoot().resolve("examples"); }

  /** Removes a directory and everything under it, if it exists (a test's work directory, even after a failure). */
  public static void deleteTree(Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) return;
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One manifest from YAML text; fails the test when the text is not schema-valid. */
  public static <T extends HasMetadata> T resource(Class<T> type, String yaml) {
    try {
      List<LocatedYaml.Document> docs = LocatedYaml.read(yaml);
      if (docs.size() != 1) throw new IllegalArgumentException("expected one document, got " + docs.size());
      ObjectNode object = (ObjectNode) docs.get(0).root();
      String kind = object.path("kind").asString();
      List<StructuralSchema.Violation> violations = StructuralSchema.packed().validateAndDefault(kind, object);
      if (!violations.isEmpty()) throw new IllegalArgumentException("fixture is not schema-valid: " + violations);
      HasMetadata resource = ManifestLoader.toResource(kind, object);
      if (resource.getMetadata().getNamespace() == null) resource.getMetadata().setNamespace(ResourceKey.DEFAULT_NAMESPACE);
      return type.cast(resource);
    } catch (LocatedYaml.SyntaxError e) {
      throw new IllegalArgumentException("fixture is not YAML: " + e.getMessage(), e);
    }
  }

  /** The seed manifest of a kind from examples/ (the cluster flavour), loaded as validate loads it. */
  public static <T extends HasMetadata> T seed(Class<T> type) {
    ManifestLoader.Result result = ManifestLoader.load(List.of(examples()));
    if (result.hasErrors()) throw new IllegalStateException("examples/ does not validate: " + result.problems());
    return result.manifests().stream().map(Manifest::resource).filter(type::isInstance).map(type::cast).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + type.getSimpleName() + " in examples/"));
  }
}
