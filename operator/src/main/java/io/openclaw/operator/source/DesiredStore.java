package io.openclaw.operator.source;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The desired state as the reconcilers see it: for every resource its last valid version, and the problems of its
 * newest one when that is invalid (an invalid spec never changes the host; the last good one stays in force).
 * Filled by a source; reconcilers only read it.
 */
public final class DesiredStore {
  /** Told about every key that changed; called on the source's thread, so it must only enqueue. */
  public interface Listener {
    void changed(ResourceKey key, Manifest previous, Manifest current);
  }

  /** A resource's standing: the version in force (may be absent), its generation, and problems of the newest one. */
  public record Entry(Manifest inForce, long generation, List<Problem> problems, boolean deleting) {
    public boolean valid() { return problems.stream().noneMatch(Problem::isError); }
  }

  /** Replaced whole on every change, so a reader sees one complete picture, never half of a directory reload. */
  private volatile Map<ResourceKey, Entry> entries = Map.of();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<ResourceKey>> inputListeners = new CopyOnWriteArrayList<>();
  private final Map<String, String> hostLabels;

  /** A store for every host: no resource is filtered by its hostSelector. */
  public DesiredStore() {
    this(null);
  }

  /**
   * A store for one Docker host: a resource whose spec.hostSelector does not select these labels is not this host's
   * business, and one that stops selecting it is torn down here like a deleted one.
   */
  public DesiredStore(Map<String, String> hostLabels) {
    this.hostLabels = hostLabels == null ? null : Map.copyOf(hostLabels);
  }

  private boolean forThisHost(Manifest m) {
    if (hostLabels == null || m == null) return true;
    Object spec = ((io.fabric8.kubernetes.client.CustomResource<?, ?>) m.resource()).getSpec();
    return !(spec instanceof io.openclaw.operator.api.HostScoped scoped) || scoped.selects(hostLabels);
  }
  private volatile boolean synced;

  public void addListener(Listener listener) { listeners.add(listener); }

  /** Told when something a resource reads besides its spec changed (a Secret, a secret file): it needs a reconcile. */
  public void addInputListener(java.util.function.Consumer<ResourceKey> listener) { inputListeners.add(listener); }

  /** A Secret or file this resource reads changed; called by the source, on its thread. */
  public void inputChanged(ResourceKey key) {
    if (entries.containsKey(key)) inputListeners.forEach(l -> l.accept(key));
  }

  /** The source has delivered its first complete picture. */
  public void markSynced() { synced = true; }

  public boolean synced() { return synced; }

  public Optional<Entry> entry(ResourceKey key) { return Optional.ofNullable(entries.get(key)); }

  /** Changes applied together: readers see all of them or none, listeners hear of them after. */
  public final class Batch {
    private final Map<ResourceKey, Entry> next;
    private final List<Runnable> notices = new ArrayList<>();

    private Batch(Map<ResourceKey, Entry> current) { this.next = new HashMap<>(current); }

    public Optional<Entry> entry(ResourceKey key) { return Optional.ofNullable(next.get(key)); }

    /** A new valid version (or a new problem list) for a resource. */
    public void put(ResourceKey key, Manifest inForce, long generation, List<Problem> problems) {
      if (!forThisHost(inForce)) {
        if (next.containsKey(key)) delete(key);
        return;
      }
      Entry before = next.put(key, new Entry(inForce, generation, List.copyOf(problems), false));
      if (before == null || !sameDesire(before.inForce(), inForce) || !before.problems().equals(problems) || before.generation() != generation) {
        notices.add(() -> listeners.forEach(l -> l.changed(key, before == null ? null : before.inForce(), inForce)));
      }
    }

    /** Marks a resource as being deleted: reconcilers tear down what it made, then call {@link #forget}. */
    public void delete(ResourceKey key) {
      Entry before = next.get(key);
      if (before == null || before.deleting()) return;
      next.put(key, new Entry(before.inForce(), before.generation(), before.problems(), true));
      notices.add(() -> listeners.forEach(l -> l.changed(key, before.inForce(), null)));
    }

    public Set<ResourceKey> keys() { return Set.copyOf(next.keySet()); }
  }

  /**
   * Whether two versions of a resource ask for the same thing: same object (uid), labels and spec. A directory re-read
   * or a status-only update yields new objects that change nothing, and must not re-reconcile anything.
   */
  static boolean sameDesire(Manifest a, Manifest b) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    var ma = a.resource().getMetadata();
    var mb = b.resource().getMetadata();
    return a.key().equals(b.key()) && java.util.Objects.equals(ma.getUid(), mb.getUid())
        && java.util.Objects.equals(ma.getLabels(), mb.getLabels())
        && io.openclaw.operator.api.Yaml.tree(a.resource()).path("spec").equals(io.openclaw.operator.api.Yaml.tree(b.resource()).path("spec"));
  }

  public void batch(java.util.function.Consumer<Batch> changes) {
    Batch batch;
    synchronized (this) {
      batch = new Batch(entries);
      changes.accept(batch);
      entries = Map.copyOf(batch.next);
    }
    batch.notices.forEach(Runnable::run);
  }

  public void put(ResourceKey key, Manifest inForce, long generation, List<Problem> problems) {
    batch(b -> b.put(key, inForce, generation, problems));
  }

  public void delete(ResourceKey key) { batch(b -> b.delete(key)); }

  public synchronized void forget(ResourceKey key) {
    Map<ResourceKey, Entry> next = new HashMap<>(entries);
    next.remove(key);
    entries = Map.copyOf(next);
  }

  public Set<ResourceKey> keys() { return Set.copyOf(entries.keySet()); }

  /** Every resource of a kind that has a version in force and is not being deleted. */
  public <T> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (!e.deleting() && e.inForce() != null && type.isInstance(e.inForce().resource())) out.add(type.cast(e.inForce().resource()));
    }
    return out;
  }

  public List<Manifest> manifests() {
    return entries.values().stream().filter(e -> !e.deleting() && e.inForce() != null).map(Entry::inForce).toList();
  }

  public <T> Optional<T> get(ResourceKey key, Class<T> type) {
    Entry e = entries.get(key);
    if (e == null || e.deleting() || e.inForce() == null || !type.isInstance(e.inForce().resource())) return Optional.empty();
    return Optional.of(type.cast(e.inForce().resource()));
  }

  /** The SandboxPolicy governing a gateway's sandboxes (validation allows one). */
  public Optional<SandboxPolicy> policyFor(ResourceKey gateway) {
    return all(SandboxPolicy.class).stream()
        .filter(p -> ResourceKey.of(p).namespace().equals(gateway.namespace()) && p.getSpec().gatewayRef().name().equals(gateway.name()))
        .findFirst();
  }

  /** The GatewayDeployment a SandboxPolicy names (same namespace). */
  public Optional<GatewayDeployment> gatewayFor(SandboxPolicy policy) {
    return get(new ResourceKey("GatewayDeployment", ResourceKey.of(policy).namespace(), policy.getSpec().gatewayRef().name()), GatewayDeployment.class);
  }

  public Optional<EgressAllowlist> allowlistFor(GatewayDeployment gateway) {
    ResourceKey key = new ResourceKey("EgressAllowlist", ResourceKey.of(gateway).namespace(), gateway.getSpec().egressProxy().allowlistRef().name());
    return get(key, EgressAllowlist.class);
  }

  public List<GatewayDeployment> gatewaysUsing(ResourceKey allowlist) {
    return all(GatewayDeployment.class).stream()
        .filter(g -> ResourceKey.of(g).namespace().equals(allowlist.namespace())
            && g.getSpec().egressProxy().allowlistRef().name().equals(allowlist.name()))
        .toList();
  }

  /** The policies whose selector matches these container labels. */
  public List<SandboxPolicy> policiesMatching(Map<String, String> labels) {
    return all(SandboxPolicy.class).stream().filter(p -> p.getSpec().selector().matches(labels)).toList();
  }

  /** The one policy governing a container with these labels: of those selecting it, the first by key (validation reports overlaps). */
  public Optional<SandboxPolicy> governingPolicy(Map<String, String> labels) {
    return policiesMatching(labels).stream().min(java.util.Comparator.comparing(p -> ResourceKey.of(p).toString()));
  }

  public Collection<Entry> entries() { return entries.values(); }
}
