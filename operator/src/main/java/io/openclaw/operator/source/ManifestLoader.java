package io.openclaw.operator.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.openclaw.operator.api.Api;
import io.openclaw.operator.api.CrdFinisher;
import io.openclaw.operator.api.DomainRules;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.LocatedYaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.api.validation.SemanticRules;
import io.openclaw.operator.api.validation.StructuralSchema;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loads manifests from files and directories (not recursively, like {@code kubectl apply -f DIR}): every
 * YAML/JSON document is checked against the packed CRD schema, defaulted, turned into its Java type, and the whole
 * set is checked for what only a set can show (references, duplicates, conflicts).
 */
public final class ManifestLoader {
  private static final Map<String, Class<? extends HasMetadata>> TYPES = typesByKind();
  /** The largest manifest file read: a file of these three kinds is kilobytes; a bigger one is refused unread. */
  public static final long MAX_FILE_BYTES = 1024 * 1024;

  private ManifestLoader() {}

  public record Result(List<Manifest> manifests, List<Problem> problems, List<Path> files) {
    public boolean hasErrors() { return problems.stream().anyMatch(Problem::isError); }

    public List<Problem> errors() { return problems.stream().filter(Problem::isError).toList(); }
  }

  public static Result load(List<Path> paths) {
    List<Path> files = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        files.addAll(manifestFiles(path));
      } else if (Files.exists(path)) {
        files.add(path);
      } else {
        problems.add(Problem.ofFile(path, 0, "no such file or directory"));
      }
    }
    List<Manifest> manifests = new ArrayList<>();
    for (Path file : files) readFile(file, manifests, problems);
    Set<ResourceKey> invalid = new HashSet<>();
    problems.forEach(p -> p.key().ifPresent(invalid::add));
    problems.addAll(SemanticRules.check(manifests, invalid, true));
    problems.sort(Comparator.comparing((Problem p) -> String.valueOf(p.file())).thenComparingInt(Problem::line));
    return new Result(manifests, problems, files);
  }

  /**
   * Builds what the first read of any manifests needs besides the manifests themselves: the YAML reader, the packed
   * schemas, Jackson's deserializers of the three kinds (and of every type under them: most of a one-shot command's own
   * work) and the rules' public-suffix list. A one-shot command starts this on a thread of its own as it starts, so
   * that it is built while picocli parses the arguments; the read that follows finds it built, or waits on what is
   * being built, and never builds anything twice. Reads no file and changes nothing a read returns.
   *
   * @return the kinds whose deserializers it built
   */
  public static Set<String> prepare() {
    // Jackson builds one deserializer at a time per mapper, under one lock: the tree reader's first, so that a read of
    // JSON trees meanwhile (the schemas, the Docker API's answers) need not wait for the three kinds'. Then those, the
    // longest part and the last a read needs (the read meanwhile parses its YAML and loads the schemas, or finds them
    // loaded). EAGER_DESERIALIZER_FETCH (on by default): a reader builds its type's deserializer, and caches it.
    Yaml.JSON.readTree("{}");
    TYPES.values().forEach(Yaml.JSON::readerFor);
    try {
      LocatedYaml.read("prepare: {}\n");
    } catch (LocatedYaml.SyntaxError e) {
      throw new IllegalStateException(e);
    }
    StructuralSchema.packed();
    DomainRules.check("*.example.com");
    return TYPES.keySet();
  }

  /** The files a directory contributes: *.yaml, *.yml, *.json, not hidden, not editor leftovers. */
  public static List<Path> manifestFiles(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isRegularFile).filter(ManifestLoader::isManifestName).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  public static boolean isManifestName(Path file) {
    String name = file.getFileName().toString();
    return !name.startsWith(".") && !name.startsWith("#") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  private static void readFile(Path file, List<Manifest> manifests, List<Problem> problems) {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        problems.add(Problem.ofFile(file, 0, "too large: " + size + " bytes, over the limit of " + MAX_FILE_BYTES + " bytes for a manifest file"));
        return;
      }
      text = Files.readString(file);
    } catch (MalformedInputException e) {
      problems.add(Problem.ofFile(file, 0, "not UTF-8 text"));
      return;
    } catch (IOException e) {
      problems.add(Problem.ofFile(file, 0, "cannot read: " + e.getMessage()));
      return;
    }
    List<LocatedYaml.Document> documents;
    try {
      documents = LocatedYaml.read(text);
    } catch (LocatedYaml.SyntaxError e) {
      problems.add(Problem.ofFile(file, e.line, "not valid YAML: " + e.getMessage()));
      return;
    }
    for (LocatedYaml.Document doc : documents) readDocument(file, doc, manifests, problems);
  }

  private static void readDocument(Path file, LocatedYaml.Document doc, List<Manifest> manifests, List<Problem> problems) {
    if (!(doc.root() instanceof ObjectNode object)) {
      problems.add(Problem.ofFile(file, doc.line(), "a manifest must be a map with apiVersion, kind, metadata and spec"));
      return;
    }
    String kind = scalar(object.path("kind"), "");
    String name = scalar(object.path("metadata").path("name"), "");
    String namespace = scalar(object.path("metadata").path("namespace"), ResourceKey.DEFAULT_NAMESPACE);
    String apiVersion = scalar(object.path("apiVersion"), "");
    if (!apiVersion.isEmpty() && !apiVersion.startsWith(Api.GROUP + "/")) {
      // Another API's object (a GitOps tool's Application, a Secret) beside ours, as in any kubectl directory: not ours
      // to judge. Said, not failed; keyless, so no resource of ours is marked invalid by it.
      problems.add(new Problem(file, doc.lineOf("apiVersion"), null, null, null, null, (kind.isEmpty() ? "?" : kind) + "/"
          + (name.isEmpty() ? "?" : name) + " (" + apiVersion + ") is not a " + Api.GROUP + " resource: skipped", Problem.Severity.WARNING,
          Problem.Code.INVALID));
      return;
    }
    List<Problem> own = new ArrayList<>();
    if (kind.isEmpty()) {
      own.add(Problem.error(file, doc.line(), null, namespace, name, "kind", "required field missing"));
    } else if (!TYPES.containsKey(kind)) {
      own.add(Problem.error(file, doc.lineOf("kind"), kind, namespace, name, "kind", "unknown kind (this operator reads "
          + String.join(", ", TYPES.keySet()) + ")"));
    } else if (!Api.API_VERSION.equals(apiVersion)) {
      own.add(Problem.error(file, doc.lineOf("apiVersion"), kind, namespace, name, "apiVersion", "must be " + Api.API_VERSION
          + (object.has("apiVersion") ? " (got \"" + apiVersion + "\")" : "")));
    }
    for (String duplicate : doc.duplicateKeys()) {
      own.add(Problem.error(file, doc.lineOf(duplicate), kind, namespace, name, duplicate, "given twice; the later value would silently win"));
    }
    if (!own.isEmpty()) {
      problems.addAll(own);
      return;
    }
    for (var v : StructuralSchema.packed().validateAndDefault(kind, object)) {
      own.add(Problem.error(file, doc.lineOf(v.path()), kind, namespace, name, v.path(), v.message()));
    }
    if (!own.isEmpty()) {
      problems.addAll(own);
      return;
    }
    HasMetadata resource;
    try {
      resource = toResource(kind, object);
    } catch (tools.jackson.core.JacksonException e) {
      // The schema let through what the Java type cannot hold: said at the field, never thrown.
      String field = String.join(".", e.getPath().stream().map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
          .toList()).replace(".[", "[");
      problems.add(Problem.error(file, doc.lineOf(field), kind, namespace, name, field, "cannot be read as its type: " + e.getOriginalMessage()));
      return;
    }
    if (resource.getMetadata().getNamespace() == null) resource.getMetadata().setNamespace(ResourceKey.DEFAULT_NAMESPACE);
    manifests.add(new Manifest(ResourceKey.of(resource), resource, file, doc));
  }

  /** A value's text: a scalar as written, a map or list as its JSON (so a message can show it), missing or null as {@code absent}. */
  private static String scalar(JsonNode n, String absent) {
    if (n.isMissingNode() || n.isNull()) return absent;
    return n.isValueNode() ? n.asString() : n.toString();
  }

  /** A schema-valid, defaulted tree as its Java type. */
  public static HasMetadata toResource(String kind, JsonNode tree) {
    return Yaml.JSON.treeToValue(tree, TYPES.get(kind));
  }

  private static Map<String, Class<? extends HasMetadata>> typesByKind() {
    Map<String, Class<? extends HasMetadata>> types = new java.util.LinkedHashMap<>();
    for (Class<?> kind : CrdFinisher.KINDS) {
      Class<? extends HasMetadata> type = kind.asSubclass(HasMetadata.class);
      types.put(HasMetadata.getKind(type), type);
    }
    return types;
  }
}
