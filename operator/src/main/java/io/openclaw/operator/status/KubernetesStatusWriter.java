package io.openclaw.operator.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.openclaw.operator.api.Api;
import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes mode: status goes to the status subresource by server-side apply, with one field manager per Docker
 * host and force. The applied body holds only what this host owns: the summary at the top (each host computes it
 * from every host's entry; force lets the latest writer own it) and this host's entry of {@code status.hosts[]}, a
 * list-map keyed by name, so the entries other hosts' operators wrote are never touched.
 */
public final class KubernetesStatusWriter implements StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(KubernetesStatusWriter.class);
  /** The API server's limit on a field manager's name. */
  private static final int MAX_MANAGER_LENGTH = 128;

  private final KubernetesClient client;
  private final Map<String, ResourceDefinitionContext> kinds;
  private final String host;
  private final String fieldManager;
  /** The newest status the cluster has shown for each resource: from the watch, or from a write's response. */
  private final Map<ResourceKey, Seen> seen = new ConcurrentHashMap<>();
  private final java.util.List<java.util.function.Consumer<ResourceKey>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private record Seen(String uid, String resourceVersion, JsonNode status, boolean deleting) {
    boolean olderThan(Seen other) {
      if (!java.util.Objects.equals(uid, other.uid)) return true;
      try {
        return Long.parseLong(resourceVersion) <= Long.parseLong(other.resourceVersion);
      } catch (NumberFormatException | NullPointerException e) {
        return true; // resourceVersions are opaque in principle: without an order, the later arrival wins
      }
    }
  }

  public KubernetesStatusWriter(KubernetesClient client, Map<String, ResourceDefinitionContext> kinds, String host) {
    this.client = client;
    this.kinds = kinds;
    this.host = host;
    this.fieldManager = fieldManager(host);
  }

  /** One field manager per Docker host, so each host's entry has exactly one owner. */
  public static String fieldManager(String host) {
    String name = "openclaw-docker-operator." + host;
    return name.length() <= MAX_MANAGER_LENGTH ? name : name.substring(0, MAX_MANAGER_LENGTH);
  }

  /** An object as the cluster has it now: its status becomes the one {@link #read} returns, unless a newer one was seen. */
  public void observed(String kind, GenericKubernetesResource object) {
    var meta = object.getMetadata();
    ResourceKey key = new ResourceKey(kind, meta.getNamespace() == null ? ResourceKey.DEFAULT_NAMESPACE : meta.getNamespace(), meta.getName());
    Object status = object.getAdditionalProperties().get("status");
    Seen next = new Seen(meta.getUid(), meta.getResourceVersion(), status == null ? Yaml.JSON.missingNode() : Yaml.tree(status),
        meta.getDeletionTimestamp() != null);
    Seen before = seen.get(key);
    Seen after = seen.merge(key, next, (old, now) -> old.olderThan(now) ? now : old);
    if (before == null || !before.status().equals(after.status())) listeners.forEach(l -> l.accept(key));
  }

  @Override
  public void onChange(java.util.function.Consumer<ResourceKey> listener) { listeners.add(listener); }

  @Override
  public boolean write(ResourceKey key, KindStatus<?> status) {
    ObjectNode own = own((ObjectNode) Yaml.tree(status));
    if (own.equals(ownInCluster(key))) return false;
    return apply(key, own);
  }

  /**
   * Applies the summary and no entry of this host's: server-side apply removes what this manager applied before and
   * applies no longer (its entry), while the other managers' entries stay.
   */
  @Override
  public void withdraw(ResourceKey key, KindStatus<?> rest) {
    Seen s = seen.get(key);
    if (s == null || s.deleting()) return; // the object is going: there is nothing to withdraw from
    int index = -1;
    for (int i = 0; i < s.status().path("hosts").size(); i++) {
      if (host.equals(s.status().path("hosts").get(i).path("name").asString(""))) index = i;
    }
    if (index < 0) return;
    ObjectNode own = own((ObjectNode) Yaml.tree(rest));
    own.remove("hosts");
    if (rest.hosts() == null || rest.hosts().isEmpty()) {
      // The last entry: server-side apply would leave status.hosts null, which the schema refuses. A JSON patch,
      // guarded by the entry's name, leaves an empty list.
      String patch = "[{\"op\":\"test\",\"path\":\"/status/hosts/" + index + "/name\",\"value\":" + Yaml.json(host) + "},"
          + "{\"op\":\"remove\",\"path\":\"/status/hosts/" + index + "\"}]";
      try {
        GenericKubernetesResource written = client.genericKubernetesResources(kinds.get(key.kind())).inNamespace(key.namespace())
            .withName(key.name()).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
        if (written != null) observed(key.kind(), written);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) return;
        throw new IllegalStateException("cannot withdraw this host's status entry of " + key + ": " + e.getMessage(), e);
      }
    }
    // Server-side apply without the entry: what this manager applied before and applies no more (its entry) goes.
    apply(key, own);
    log.info("{}: this host no longer acts on it; its status entry is withdrawn", key);
  }

  private boolean apply(ResourceKey key, ObjectNode own) {
    ObjectNode body = Yaml.JSON.createObjectNode();
    body.put("apiVersion", Api.API_VERSION);
    body.put("kind", key.kind());
    body.putObject("metadata").put("name", key.name()).put("namespace", key.namespace());
    body.set("status", own);
    PatchContext apply = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(fieldManager)
        .withForce(true).build();
    try {
      GenericKubernetesResource written = client.genericKubernetesResources(kinds.get(key.kind())).inNamespace(key.namespace())
          .withName(key.name()).subresource("status").patch(apply, Yaml.json(body));
      if (written != null) observed(key.kind(), written);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        log.debug("{} is gone; status not written", key);
        return false;
      }
      throw new IllegalStateException("cannot write the status of " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<KindStatus<?>> read(ResourceKey key) {
    Seen s = seen.get(key);
    if (s == null || !s.status().isObject()) return Optional.empty();
    try {
      return StatusTypes.read(key.kind(), s.status());
    } catch (RuntimeException e) {
      log.warn("ignoring the unreadable status of {}: {}", key, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void remove(ResourceKey key) { seen.remove(key); }

  /** This host's part of the status as the cluster has it, in the same form {@link #write} produces; null if none. */
  private ObjectNode ownInCluster(ResourceKey key) {
    return read(key).map(s -> own((ObjectNode) Yaml.tree(s))).orElse(null);
  }

  /** The status without other hosts' entries. */
  private ObjectNode own(ObjectNode status) {
    ObjectNode copy = status.deepCopy();
    if (copy.get("hosts") instanceof ArrayNode hosts) {
      ArrayNode mine = copy.putArray("hosts");
      hosts.valueStream().filter(h -> host.equals(h.path("name").asString(""))).forEach(mine::add);
    }
    return copy;
  }
}
