package io.openclaw.operator.source;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.status.KubernetesStatusWriter;
import io.openclaw.operator.status.StatusWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes mode: shared informers on the three kinds (one namespace, or all), every object through the same
 * pipeline as a manifest file ({@link ClusterManifests}), the whole set re-checked on every change. An invalid
 * object never changes the host: its last valid version stays in force and its problems are recorded, as in the
 * directory source.
 *
 * <p>Every Docker host that acts on a GatewayDeployment puts its own finalizer on it,
 * {@code hardening.openclaw.io/cleanup-<host>} ({@link #finalizer}), from the moment it is first seen; deleting it waits
 * until each of those hosts has removed the containers and networks it made there (its reconciler's teardown ends in
 * {@link #released}), also a host whose operator is down at the time and comes back later.
 *
 * <p>The Secrets the GatewayDeployments name are watched too (metadata only is kept): a change enqueues the resources
 * that read them, so a rotated value is delivered within seconds rather than at the next resync.
 */
public final class KubernetesSource implements DesiredSource {
  private static final Logger log = LoggerFactory.getLogger(KubernetesSource.class);
  /** The one finalizer of earlier versions, shared by all hosts; removed with a host's own once its teardown is done. */
  public static final String LEGACY_FINALIZER = "hardening.openclaw.io/cleanup";
  /** A finalizer's name after the prefix is a qualified name's name part: at most 63 characters. */
  private static final int FINALIZER_NAME_LENGTH = 63;
  private static final String GATEWAY = "GatewayDeployment";
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
  private static final int FINALIZER_ATTEMPTS = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final KubernetesStatusWriter status;
  private final SecretReader secrets;
  private final String finalizer;
  private SharedIndexInformer<Secret> secretInformer;
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new LinkedHashMap<>();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kubernetes-source");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean recomputeQueued = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicLong recomputes = new java.util.concurrent.atomic.AtomicLong();
  private final CompletableFuture<Throwable> failed = new CompletableFuture<>();
  private DesiredStore store;
  private volatile boolean listed;
  private volatile boolean closing;
  /** The last check of every object, reused while its fingerprint stands (so a status write changes nothing here). */
  private volatile Map<ResourceKey, ClusterManifests.Checked> checked = Map.of();
  /** Objects whose teardown is done but which the server has not removed yet (or another finalizer holds). */
  private final Set<String> releasedUids = new HashSet<>();
  /** uid → resourceVersion a finalizer was last requested for: one attempt per version of the object. */
  private final Map<String, String> finalizerRequested = new HashMap<>();
  /** Whether this source may write (finalizers, status): false for a process that only follows the cluster. */
  private final boolean acting;

  /** {@code namespace} null: every namespace. {@code hostName} names this host's field manager for status. */
  public KubernetesSource(KubernetesClient client, String namespace, String hostName) {
    this(client, namespace, hostName, true);
  }

  private KubernetesSource(KubernetesClient client, String namespace, String hostName, boolean acting) {
    this.client = client;
    this.namespace = namespace;
    this.status = new KubernetesStatusWriter(client, ClusterManifests.KINDS, hostName);
    this.secrets = new KubernetesSecrets(client);
    this.finalizer = finalizer(hostName);
    this.acting = acting;
  }

  /**
   * The resources and their statuses, followed but never written: no finalizer, no status. For the authorization plugin
   * alone on a Docker host whose operator runs elsewhere ({@code admission --kubernetes}); it needs only get, list and
   * watch.
   */
  public static KubernetesSource observing(KubernetesClient client, String namespace, String hostName) {
    return new KubernetesSource(client, namespace, hostName, false);
  }

  /**
   * This host's finalizer, {@code hardening.openclaw.io/cleanup-<host>}: characters a finalizer name may not hold
   * become '-', and a name too long is cut and given a hash of the whole, so two hosts never share one.
   */
  public static String finalizer(String hostName) {
    String name = "cleanup-" + hostName.replaceAll("[^A-Za-z0-9._-]", "-");
    if (name.length() > FINALIZER_NAME_LENGTH) {
      name = name.substring(0, FINALIZER_NAME_LENGTH - 9) + "-" + io.openclaw.operator.plan.Hashing.sha256(hostName).substring(0, 8);
    }
    name = name.replaceAll("[^A-Za-z0-9]+$", "");
    return "hardening.openclaw.io/" + name;
  }

  @Override
  public void start(DesiredStore store) throws Exception {
    this.store = store;
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (var kind : ClusterManifests.KINDS.entrySet()) {
      var resources = client.genericKubernetesResources(kind.getValue());
      SharedIndexInformer<GenericKubernetesResource> informer =
          (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace)).runnableInformer(0);
      informer.addEventHandler(new Handler(kind.getKey()));
      informers.put(kind.getKey(), informer);
      started.add(informer.start().toCompletableFuture());
    }
    String where = namespace == null ? "all namespaces" : "namespace \"" + namespace + "\"";
    try {
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the cluster did not list " + String.join(", ", informers.keySet()) + " in " + where + " within "
          + SYNC_TIMEOUT.toSeconds() + " s; are the CRDs installed (kubectl apply -f crds/) and may this account list and watch them?");
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list " + String.join(", ", informers.keySet()) + " in " + where + ": "
          + e.getCause().getMessage() + "; are the CRDs installed (kubectl apply -f crds/) and may this account list and watch them?", e.getCause());
    }
    for (var informer : informers.entrySet()) {
      // After the first list the informer retries by itself; one that stops anyway would leave the desired state stale.
      informer.getValue().stopped().whenComplete((v, error) -> {
        if (closing) return;
        String why = "the watch on " + informer.getKey() + " stopped" + (error == null ? "" : ": " + error.getMessage());
        log.error("{}; the desired state would go stale", why);
        failed.complete(error != null ? error : new IllegalStateException(why));
      });
    }
    listed = true;
    recompute();
    store.markSynced();
    log.info("watching {} in {}", String.join(", ", informers.keySet()), where);
    watchSecrets(where);
  }

  /**
   * Watches the Secrets in the same scope, keeping their metadata only (the operator holds a value no longer than one
   * reconcile). Without the right to list and watch them (an older RBAC), rotated values wait for the resync.
   */
  private void watchSecrets(String where) {
    var secretsApi = client.secrets();
    SharedIndexInformer<Secret> informer = (namespace == null ? secretsApi.inAnyNamespace() : secretsApi.inNamespace(namespace)).runnableInformer(0);
    informer.itemStore(new MetadataOnly());
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Secret secret) { secretChanged(secret); }

      @Override
      public void onUpdate(Secret before, Secret secret) { secretChanged(secret); }

      @Override
      public void onDelete(Secret secret, boolean finalStateUnknown) { secretChanged(secret); }
    });
    secretInformer = informer;
    informer.start().whenComplete((v, error) -> {
      if (error != null && !closing) {
        log.warn("cannot watch the Secrets in {} ({}); a rotated Secret reaches the containers at the next resync."
            + " Grant list and watch on secrets (the chart does)", where, error.getMessage());
      } else if (error == null) {
        log.info("watching the Secrets in {} that GatewayDeployments name", where);
      }
    });
  }

  /** A Secret came, changed or went: the GatewayDeployments that read it are reconciled. */
  private void secretChanged(Secret secret) {
    if (store == null || !listed) return;
    String ns = secret.getMetadata().getNamespace();
    String name = secret.getMetadata().getName();
    for (io.openclaw.operator.api.GatewayDeployment g : store.all(io.openclaw.operator.api.GatewayDeployment.class)) {
      ResourceKey key = ResourceKey.of(g);
      if (key.namespace().equals(ns) && SecretInputs.secretNames(g).contains(name)) {
        log.debug("Secret {}/{} changed: reconciling {}", ns, name, key);
        store.inputChanged(key);
      }
    }
  }

  /** The informer's cache of Secrets, without their values. */
  private static final class MetadataOnly implements io.fabric8.kubernetes.client.informers.cache.ItemStore<Secret> {
    private final io.fabric8.kubernetes.client.informers.cache.BasicItemStore<Secret> items =
        new io.fabric8.kubernetes.client.informers.cache.BasicItemStore<>(io.fabric8.kubernetes.client.informers.cache.Cache::metaNamespaceKeyFunc);

    @Override
    public String getKey(Secret secret) { return items.getKey(secret); }

    @Override
    public Secret put(String key, Secret secret) {
      Secret bare = new Secret();
      bare.setApiVersion(secret.getApiVersion());
      bare.setKind(secret.getKind());
      bare.setMetadata(secret.getMetadata());
      bare.setType(secret.getType());
      return items.put(key, bare);
    }

    @Override
    public Secret remove(String key) { return items.remove(key); }

    @Override
    public java.util.stream.Stream<String> keySet() { return items.keySet(); }

    @Override
    public java.util.stream.Stream<Secret> values() { return items.values(); }

    @Override
    public int size() { return items.size(); }

    @Override
    public Secret get(String key) { return items.get(key); }
  }

  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    private final String kind;

    Handler(String kind) { this.kind = kind; }

    @Override
    public void onAdd(GenericKubernetesResource object) {
      status.observed(kind, object);
      queueRecompute();
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource object) {
      status.observed(kind, object);
      queueRecompute();
    }

    @Override
    public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
      queueRecompute();
    }
  }

  /** A burst of events (the initial list, a kubectl apply of many objects) becomes one recompute. */
  private void queueRecompute() {
    if (!listed || !recomputeQueued.compareAndSet(false, true)) return;
    worker.execute(() -> {
      recomputeQueued.set(false);
      try {
        recompute();
      } catch (RuntimeException e) {
        log.error("applying the cluster's resources failed", e);
      }
    });
  }

  /** How many times the cluster's objects were re-checked: each event leads to one, coalesced. */
  public long recomputes() { return recomputes.get(); }

  /** Re-checks every object the informers hold and applies the result to the store in one batch. */
  synchronized void recompute() {
    recomputes.incrementAndGet();
    Map<ResourceKey, ClusterManifests.Checked> now = new HashMap<>();
    Map<ResourceKey, GenericKubernetesResource> gatewaysWithoutFinalizer = new HashMap<>();
    Set<String> present = new HashSet<>();
    for (var informer : informers.entrySet()) {
      String kind = informer.getKey();
      for (GenericKubernetesResource object : informer.getValue().getStore().list()) {
        // The status as the store has it, before the store changes: what reconcilers (and ownership seeding) read.
        status.observed(kind, object);
        ClusterManifests.Checked c = checkedNow(kind, object);
        now.put(c.key(), c);
        present.add(c.uid());
        if (kind.equals(GATEWAY) && !c.deleting() && !hasFinalizer(object, finalizer)) gatewaysWithoutFinalizer.put(c.key(), object);
      }
    }
    checked = Map.copyOf(now);
    releasedUids.retainAll(present);
    finalizerRequested.keySet().retainAll(present);
    // Sorted: the set rules then report a conflict on the same resource every time.
    List<ClusterManifests.Checked> live = now.values().stream().filter(c -> !c.deleting())
        .sorted(Comparator.comparing(ClusterManifests.Checked::key)).toList();
    Map<ResourceKey, List<Problem>> setProblems = ClusterManifests.checkSet(live);
    store.batch(batch -> {
      for (ClusterManifests.Checked c : live) {
        List<Problem> problems = new ArrayList<>(c.problems());
        problems.addAll(setProblems.getOrDefault(c.key(), List.of()));
        boolean valid = c.manifest() != null && problems.stream().noneMatch(Problem::isError);
        Optional<DesiredStore.Entry> before = batch.entry(c.key()).filter(e -> !e.deleting());
        Manifest inForce = valid ? c.manifest() : before.map(DesiredStore.Entry::inForce).orElse(null);
        if (!problems.equals(before.map(DesiredStore.Entry::problems).orElse(List.of()))) {
          problems.forEach(p -> (p.isError() ? log.atWarn() : log.atInfo()).log("{}: {}", c.key(), p.describe()));
        }
        batch.put(c.key(), inForce, c.generation(), problems);
      }
      for (ClusterManifests.Checked c : now.values()) {
        if (!c.deleting() || releasedUids.contains(c.uid())) continue;
        // Also after a restart mid-deletion: the object is known first, then marked for teardown.
        if (batch.entry(c.key()).isEmpty()) batch.put(c.key(), c.manifest(), c.generation(), c.problems());
        if (batch.entry(c.key()).map(e -> !e.deleting()).orElse(false)) log.info("{} is being deleted: tearing down what it made", c.key());
        batch.delete(c.key());
      }
      for (ResourceKey key : batch.keys()) {
        if (now.containsKey(key)) continue;
        if (batch.entry(key).map(e -> !e.deleting()).orElse(false)) log.info("{} was deleted: tearing down what it made", key);
        batch.delete(key);
      }
    });
    // Only a host that acts on it (its hostSelector selects this host) holds it with its finalizer.
    gatewaysWithoutFinalizer.forEach((key, object) -> {
      if (acting && store.entry(key).map(e -> !e.deleting()).orElse(false)) addFinalizer(object);
    });
  }

  private ClusterManifests.Checked checkedNow(String kind, GenericKubernetesResource object) {
    ResourceKey key = new ResourceKey(kind, namespaceOf(object), object.getMetadata().getName());
    ClusterManifests.Checked previous = checked.get(key);
    if (previous != null && previous.fingerprint().equals(ClusterManifests.fingerprint(kind, object))) return previous;
    return ClusterManifests.check(kind, object);
  }

  private static String namespaceOf(GenericKubernetesResource object) {
    String ns = object.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? ResourceKey.DEFAULT_NAMESPACE : ns;
  }

  private static boolean hasFinalizer(GenericKubernetesResource object, String name) {
    List<String> finalizers = object.getMetadata().getFinalizers();
    return finalizers != null && finalizers.contains(name);
  }

  /** Adds the finalizer, locked to the version seen; a conflict is retried when the newer version arrives. */
  private void addFinalizer(GenericKubernetesResource seen) {
    String uid = seen.getMetadata().getUid();
    String version = seen.getMetadata().getResourceVersion();
    if (version != null && version.equals(finalizerRequested.put(uid, version))) return;
    GenericKubernetesResource copy = copyOf(seen);
    List<String> finalizers = new ArrayList<>(copy.getMetadata().getFinalizers() == null ? List.of() : copy.getMetadata().getFinalizers());
    finalizers.add(finalizer);
    copy.getMetadata().setFinalizers(finalizers);
    try {
      gateways().inNamespace(namespaceOf(seen)).resource(copy).update();
      log.debug("added finalizer {} to GatewayDeployment {}/{}", finalizer, namespaceOf(seen), seen.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) return; // changed or gone meanwhile: the watch brings the news
      log.warn("cannot add finalizer {} to GatewayDeployment {}/{}: {}; deleting it will not wait for the teardown", finalizer,
          namespaceOf(seen), seen.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * This host's teardown is complete: a GatewayDeployment being deleted, or no longer selecting this host, loses this
   * host's finalizer (and the shared one of earlier versions); the server removes a deleted one once no host holds
   * it. The store forgets the resource. A resource created again under the same name meanwhile is left alone.
   */
  @Override
  public void released(ResourceKey key) {
    if (!acting) return;
    ClusterManifests.Checked c;
    synchronized (this) {
      if (!store.entry(key).map(DesiredStore.Entry::deleting).orElse(false)) return;
      c = checked.get(key);
    }
    if (c != null && key.kind().equals(GATEWAY)) removeFinalizer(key, c.uid(), c.deleting());
    synchronized (this) {
      if (store.entry(key).map(DesiredStore.Entry::deleting).orElse(false)) {
        store.forget(key);
        if (c != null && c.deleting()) releasedUids.add(c.uid());
      }
    }
    status.remove(key);
  }

  /** {@code deleting}: the object is being deleted (the shared finalizer of earlier versions goes too), not just deselected. */
  private void removeFinalizer(ResourceKey key, String uid, boolean deleting) {
    java.util.function.Predicate<String> ours = f -> f.equals(finalizer) || deleting && f.equals(LEGACY_FINALIZER);
    for (int attempt = 1; attempt <= FINALIZER_ATTEMPTS; attempt++) {
      GenericKubernetesResource current = gateways().inNamespace(key.namespace()).withName(key.name()).get();
      if (current == null || !uid.equals(current.getMetadata().getUid()) || current.getMetadata().getFinalizers() == null
          || current.getMetadata().getFinalizers().stream().noneMatch(ours)) return;
      GenericKubernetesResource copy = copyOf(current);
      copy.getMetadata().setFinalizers(copy.getMetadata().getFinalizers().stream().filter(ours.negate()).toList());
      try {
        gateways().inNamespace(key.namespace()).resource(copy).update();
        List<String> left = copy.getMetadata().getFinalizers();
        log.info("{}: this host's teardown is complete, finalizer {} removed{}", key, finalizer,
            left.isEmpty() ? "" : "; still held by " + String.join(", ", left));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) return;
        if (e.getCode() != 409) throw new IllegalStateException("cannot remove finalizer " + finalizer + " from " + key + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException("cannot remove finalizer " + finalizer + " from " + key + ": the object kept changing ("
        + FINALIZER_ATTEMPTS + " conflicts); will try again");
  }

  private io.fabric8.kubernetes.client.dsl.MixedOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> gateways() {
    return client.genericKubernetesResources(ClusterManifests.KINDS.get(GATEWAY));
  }

  /**
   * A copy to send back with update(): locked to its resourceVersion; managedFields left out so the server keeps
   * its own record of field owners.
   */
  private static GenericKubernetesResource copyOf(GenericKubernetesResource object) {
    GenericKubernetesResource copy = Yaml.JSON.treeToValue(Yaml.tree(object), GenericKubernetesResource.class);
    copy.getMetadata().setManagedFields(null);
    return copy;
  }

  /** Completes when a watch stopped for good after the start: the caller should stop and start afresh. */
  public CompletableFuture<Throwable> failed() { return failed; }

  /** The uid of a resource as last seen, for Events about it. */
  public Optional<String> uid(ResourceKey key) {
    return Optional.ofNullable(checked.get(key)).map(ClusterManifests.Checked::uid);
  }

  @Override
  public StatusWriter statusWriter() { return acting ? status : StatusWriter.readOnly(status); }

  @Override
  public SecretReader secrets() { return secrets; }

  public String namespace() { return namespace; }

  @Override
  public void close() {
    closing = true;
    informers.values().forEach(SharedIndexInformer::stop);
    if (secretInformer != null) secretInformer.stop();
    worker.shutdownNow();
  }
}
