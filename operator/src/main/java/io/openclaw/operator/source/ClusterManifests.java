package io.openclaw.operator.source;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.openclaw.operator.api.Api;
import io.openclaw.operator.api.CrdFinisher;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.api.validation.SemanticRules;
import io.openclaw.operator.api.validation.StructuralSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects read from a cluster go through the same pipeline as manifest files: to a tree, the CRD's structural schema
 * (defaults applied, every rule checked again, since a 1.20 server drops CEL rules and an older CRD may be
 * installed), the Java type, and the semantic rules over the whole set. Objects are read as generic resources, so
 * one the Java types could not even parse still arrives here and gets a precise problem instead of vanishing in the
 * informer.
 */
public final class ClusterManifests {
  /**
   * What the operator reads of an object's metadata. The rest (resourceVersion, managedFields, finalizers) changes
   * on every status write or finalizer edit without changing what is desired.
   */
  private static final List<String> DESIRED_METADATA = List.of("name", "namespace", "uid", "generation", "labels", "annotations",
      "creationTimestamp", "deletionTimestamp");

  /** The three kinds, by kind name, as the client addresses them (no discovery round trip). */
  public static final Map<String, ResourceDefinitionContext> KINDS = contexts();

  private ClusterManifests() {}

  /**
   * One object checked on its own. {@code manifest} is null when it failed the schema. {@code fingerprint} covers
   * exactly what the desired state depends on: equal fingerprints mean the same checked result can be reused.
   */
  public record Checked(ResourceKey key, String uid, long generation, boolean deleting, String fingerprint, Manifest manifest,
      List<Problem> problems) {}

  public static String fingerprint(String kind, GenericKubernetesResource object) {
    return Yaml.json(desiredPart(kind, object));
  }

  public static Checked check(String kind, GenericKubernetesResource object) {
    ObjectNode tree = desiredPart(kind, object);
    String fingerprint = Yaml.json(tree);
    var meta = object.getMetadata();
    ResourceKey key = new ResourceKey(kind, meta.getNamespace() == null ? ResourceKey.DEFAULT_NAMESPACE : meta.getNamespace(), meta.getName());
    // The server sets generation on every custom resource; 1 stands in for a server (or mock) that does not.
    long generation = meta.getGeneration() == null ? 1 : meta.getGeneration();
    boolean deleting = meta.getDeletionTimestamp() != null;
    List<Problem> problems = new ArrayList<>();
    for (StructuralSchema.Violation v : StructuralSchema.packed().validateAndDefault(kind, tree)) {
      problems.add(Problem.error(null, 0, kind, key.namespace(), key.name(), v.path(), v.message()));
    }
    Manifest manifest = null;
    if (problems.isEmpty()) {
      try {
        manifest = Manifest.fromCluster(ManifestLoader.toResource(kind, tree));
      } catch (RuntimeException e) {
        problems.add(Problem.error(null, 0, kind, key.namespace(), key.name(), "spec", "cannot be read: " + e.getMessage()));
      }
    }
    return new Checked(key, meta.getUid(), generation, deleting, fingerprint, manifest, List.copyOf(problems));
  }

  /** The problems only the whole set shows (references, conflicts, the CRDs' CEL rules), by resource. */
  public static Map<ResourceKey, List<Problem>> checkSet(Collection<Checked> objects) {
    List<Manifest> manifests = new ArrayList<>();
    Set<ResourceKey> invalid = new HashSet<>();
    for (Checked c : objects) {
      if (c.manifest() != null) manifests.add(c.manifest());
      else invalid.add(c.key());
    }
    Map<ResourceKey, List<Problem>> out = new HashMap<>();
    for (Problem p : SemanticRules.check(manifests, invalid, false)) {
      p.key().ifPresent(k -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(p));
    }
    return out;
  }

  /** Lists the three kinds once (one namespace, or all when {@code namespace} is null). */
  public static List<Checked> list(KubernetesClient client, String namespace) {
    List<Checked> out = new ArrayList<>();
    for (Map.Entry<String, ResourceDefinitionContext> kind : KINDS.entrySet()) {
      var resources = client.genericKubernetesResources(kind.getValue());
      var list = namespace == null ? resources.inAnyNamespace().list() : resources.inNamespace(namespace).list();
      list.getItems().forEach(o -> out.add(check(kind.getKey(), o)));
    }
    return out;
  }

  /** apiVersion, kind, the metadata listed above and spec: no status, which only the operator writes. */
  private static ObjectNode desiredPart(String kind, GenericKubernetesResource object) {
    JsonNode full = Yaml.tree(object);
    ObjectNode tree = Yaml.JSON.createObjectNode();
    tree.put("apiVersion", Api.API_VERSION);
    tree.put("kind", kind);
    ObjectNode metadata = tree.putObject("metadata");
    for (String field : DESIRED_METADATA) {
      JsonNode value = full.path("metadata").get(field);
      if (value != null && !value.isNull()) metadata.set(field, value);
    }
    for (String field : full.propertyNames()) {
      if (!Set.of("apiVersion", "kind", "metadata", "status").contains(field)) tree.set(field, full.get(field));
    }
    return tree;
  }

  private static Map<String, ResourceDefinitionContext> contexts() {
    Map<String, ResourceDefinitionContext> out = new java.util.LinkedHashMap<>();
    for (Class<?> kind : CrdFinisher.KINDS) {
      var type = kind.asSubclass(KubernetesResource.class);
      out.put(io.fabric8.kubernetes.api.model.HasMetadata.getKind(kind.asSubclass(io.fabric8.kubernetes.api.model.HasMetadata.class)),
          ResourceDefinitionContext.fromResourceType(type));
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
