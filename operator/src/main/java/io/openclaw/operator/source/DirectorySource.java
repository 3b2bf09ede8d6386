package io.openclaw.operator.source;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.plan.Hashing;
import io.openclaw.operator.status.FileStatusWriter;
import io.openclaw.operator.status.StatusWriter;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The embedded default: a directory of manifests, watched. File events are debounced and a change of a
 * {@code *.yaml}/{@code *.yml} file re-reads and re-validates the whole directory. What a broken file held stays as it
 * was; only a resource that was loaded and then disappeared from a readable directory is torn down, so an empty or
 * unreadable directory at start tears nothing. The containers of a resource removed while the operator was stopped
 * are orphans (DESIGN.md §5 "Ownership"): reported, and removed only with {@code run --prune}.
 *
 * <p>The files the GatewayDeployments read (secrets and the base openclaw.json, possibly outside the manifest
 * directory) are watched too, by their directories: a change reconciles the resources that read them.
 */
public final class DirectorySource implements DesiredSource {
  private static final Logger log = LoggerFactory.getLogger(DirectorySource.class);

  private final Path dir;
  private final Path stateDir;
  private final Duration debounce;
  private final FileStatusWriter status;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "manifests");
    t.setDaemon(true);
    return t;
  });
  private final Map<ResourceKey, Generation> generations = new HashMap<>();
  private final Map<ResourceKey, Path> origins = new HashMap<>();
  private DesiredStore store;
  private WatchService watcher;
  private Thread watchThread;
  private ScheduledFuture<?> pending;
  /** The first read of the directory, begun early by {@link #readAhead}. */
  private java.util.concurrent.CompletableFuture<ManifestLoader.Result> ahead;
  private ScheduledFuture<?> pendingInputs;
  private volatile List<Problem> lastProblems = List.of();
  /** The directories watched, by their watch keys; the manifest directory is one of them. */
  private final Map<WatchKey, Path> watched = new HashMap<>();
  /** For each directory that holds files the resources read: which resources read a file there. */
  private volatile Map<Path, Set<ResourceKey>> inputDirs = Map.of();
  /** Resources whose files changed, reconciled together after the debounce. */
  private final Set<ResourceKey> changedInputs = new HashSet<>();

  record Generation(String specHash, long generation) {}

  public DirectorySource(Path dir, Path stateDir, Duration debounce) {
    this.dir = dir.toAbsolutePath().normalize();
    this.stateDir = stateDir;
    this.debounce = debounce;
    this.status = new FileStatusWriter(stateDir);
  }

  /**
   * Starts reading the directory now, on a thread of its own, so that parsing and validating the manifests overlaps the
   * rest of start-up (the Docker connection, the metrics, the controller); {@link #start} applies what was read. The
   * directory is watched from before it is read, so a change made meanwhile is read again after start.
   */
  public synchronized void readAhead() throws IOException {
    if (ahead != null) return;
    watchManifestDirectory();
    ahead = java.util.concurrent.CompletableFuture.supplyAsync(this::read, r -> {
      Thread t = new Thread(r, "manifests-read");
      t.setDaemon(true);
      t.start();
    });
  }

  @Override
  public void start(DesiredStore store) throws IOException {
    this.store = store;
    Files.createDirectories(stateDir);
    loadGenerations();
    // Watched before it is read (if not already): a change from here on is read again by the watch thread.
    watchManifestDirectory();
    apply(ahead != null ? ahead.join() : read());
    store.markSynced();
    registerWanted(false);
    watchThread = new Thread(this::watch, "manifest-watch");
    watchThread.setDaemon(true);
    watchThread.start();
  }

  private synchronized void watchManifestDirectory() throws IOException {
    if (watcher == null) watcher = FileSystems.getDefault().newWatchService();
    if (!watched.containsValue(dir) && Files.isDirectory(dir)) {
      watched.put(dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE,
          StandardWatchEventKinds.OVERFLOW), dir);
    }
  }

  /** Problems of the last load, for the log and for {@code plan}. */
  public List<Problem> problems() { return lastProblems; }

  private void watch() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        registerWanted(true);
        WatchKey signalled = watcher.poll(1, TimeUnit.SECONDS);
        if (signalled == null) continue;
        Path where = watched.get(signalled);
        boolean manifests = false;
        Set<ResourceKey> readers = new HashSet<>();
        for (var event : signalled.pollEvents()) {
          if (dir.equals(where) && aboutManifests(event)) manifests = true;
          // Any change in a directory of read files: the file itself, or a symlink swapped beside it (..data).
          readers.addAll(inputDirs.getOrDefault(where, Set.of()));
        }
        if (!signalled.reset()) watched.remove(signalled);
        if (manifests) schedule();
        if (!readers.isEmpty()) scheduleInputs(readers);
      } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
        return;
      }
    }
  }

  /** Whether a watch event may change what the directory declares: a manifest file (as the loader reads them), or events lost. */
  static boolean aboutManifests(java.nio.file.WatchEvent<?> event) {
    if (event.kind() == StandardWatchEventKinds.OVERFLOW || !(event.context() instanceof Path file)) return true;
    return ManifestLoader.isManifestName(file);
  }

  /**
   * Watches the manifest directory and every directory of a read file that exists now; one that appears later (or
   * comes back) is registered then, and its readers reconciled, since the file may have come with it.
   */
  private void registerWanted(boolean late) {
    Set<Path> wanted = new HashSet<>(inputDirs.keySet());
    wanted.add(dir);
    watched.entrySet().removeIf(e -> {
      if (e.getKey().isValid() && wanted.contains(e.getValue())) return false;
      e.getKey().cancel();
      return true;
    });
    for (Path d : wanted) {
      if (watched.containsValue(d) || !Files.isDirectory(d)) continue;
      try {
        watched.put(d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.OVERFLOW), d);
        if (d.equals(dir)) schedule();
        Set<ResourceKey> readers = inputDirs.getOrDefault(d, Set.of());
        if (late && !readers.isEmpty()) scheduleInputs(readers);
      } catch (IOException e) {
        log.warn("cannot watch {}: {}", d, e.getMessage());
      }
    }
  }

  /** Debounced like the manifests: a secret written in several steps is delivered once. */
  private synchronized void scheduleInputs(Set<ResourceKey> readers) {
    changedInputs.addAll(readers);
    if (pendingInputs != null) pendingInputs.cancel(false);
    pendingInputs = timer.schedule(() -> {
      Set<ResourceKey> keys;
      synchronized (this) {
        keys = Set.copyOf(changedInputs);
        changedInputs.clear();
      }
      keys.forEach(k -> {
        log.debug("a file {} reads changed: reconciling it", k);
        store.inputChanged(k);
      });
    }, debounce.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The directories of the files the resources in force read, and who reads there. */
  private void updateInputDirs() {
    Map<Path, Set<ResourceKey>> dirs = new HashMap<>();
    for (DesiredStore.Entry e : store.entries()) {
      if (e.deleting() || e.inForce() == null || !e.inForce().key().kind().equals("GatewayDeployment")) continue;
      for (Path file : SecretInputs.files(e.inForce())) {
        if (file.getParent() != null) dirs.computeIfAbsent(file.getParent(), d -> new HashSet<>()).add(e.inForce().key());
      }
    }
    inputDirs = Map.copyOf(dirs);
  }

  /** Debounce: an editor's save is several events; one reload follows the last of them. */
  private synchronized void schedule() {
    if (pending != null) pending.cancel(false);
    pending = timer.schedule(this::reloadSafely, debounce.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void reloadSafely() {
    try {
      reload();
    } catch (RuntimeException e) {
      log.error("reloading {} failed", dir, e);
    }
  }

  /** Re-reads the directory and applies it to the store (see the class comment for what survives a broken file). */
  synchronized void reload() { apply(read()); }

  /** The directory's manifests, parsed and validated; null when the directory is not readable. Touches no state. */
  private ManifestLoader.Result read() {
    return Files.isDirectory(dir) ? ManifestLoader.load(List.of(dir)) : null;
  }

  private synchronized void apply(ManifestLoader.Result result) {
    if (result == null) {
      log.warn("manifest directory {} is not readable; keeping the last good state", dir);
      return;
    }
    lastProblems = result.problems();
    result.problems().forEach(p -> (p.isError() ? log.atWarn() : log.atInfo()).log("{}", p));
    Map<ResourceKey, List<Problem>> problemsByKey = new HashMap<>();
    Set<Path> brokenFiles = new HashSet<>();
    for (Problem p : result.problems()) {
      if (p.key().isPresent()) problemsByKey.computeIfAbsent(p.key().get(), k -> new ArrayList<>()).add(p);
      else if (p.isError() && p.file() != null) brokenFiles.add(p.file().toAbsolutePath().normalize());
    }
    store.batch(batch -> {
      Set<ResourceKey> seen = new HashSet<>();
      for (Manifest m : result.manifests()) {
        seen.add(m.key());
        origins.put(m.key(), m.file().toAbsolutePath().normalize());
        List<Problem> problems = problemsByKey.getOrDefault(m.key(), List.of());
        long generation = generationOf(m);
        boolean valid = problems.stream().noneMatch(Problem::isError);
        Manifest inForce = valid ? m : batch.entry(m.key()).map(DesiredStore.Entry::inForce).orElse(null);
        batch.put(m.key(), inForce, generation, problems);
      }
      // Resources that failed the schema are known by key but have no manifest: the last good one stays.
      for (Map.Entry<ResourceKey, List<Problem>> e : problemsByKey.entrySet()) {
        if (seen.add(e.getKey())) {
          Manifest inForce = batch.entry(e.getKey()).map(DesiredStore.Entry::inForce).orElse(null);
          long generation = batch.entry(e.getKey()).map(DesiredStore.Entry::generation).orElse(1L);
          batch.put(e.getKey(), inForce, generation, e.getValue());
        }
      }
      for (ResourceKey key : batch.keys()) {
        if (seen.contains(key)) continue;
        Path origin = origins.get(key);
        if (origin != null && brokenFiles.contains(origin)) {
          var entry = batch.entry(key).orElseThrow();
          List<Problem> fileProblems = result.problems().stream().filter(p -> origin.equals(p.file() == null ? null : p.file().toAbsolutePath().normalize())).toList();
          batch.put(key, entry.inForce(), entry.generation(), fileProblems);
          continue;
        }
        log.info("{} disappeared from {}: tearing down what it made", key, dir);
        batch.delete(key);
      }
    });
    saveGenerations();
    updateInputDirs();
  }

  private long generationOf(Manifest m) {
    JsonNode spec = Yaml.tree(m.resource()).path("spec");
    String hash = Hashing.sha256(Yaml.json(spec));
    Generation g = generations.get(m.key());
    if (g == null) g = new Generation(hash, 1);
    else if (!g.specHash().equals(hash)) g = new Generation(hash, g.generation() + 1);
    generations.put(m.key(), g);
    return g.generation();
  }

  private Path generationsFile() { return stateDir.resolve("generations.yaml"); }

  private void loadGenerations() {
    Path file = generationsFile();
    if (!Files.exists(file)) return;
    try {
      JsonNode tree = Yaml.MAPPER.readTree(Files.readString(file));
      tree.propertyStream().forEach(e -> generations.put(ResourceKey.parse(e.getKey()),
          new Generation(e.getValue().path("specHash").asString(), e.getValue().path("generation").asLong(1))));
    } catch (IOException | RuntimeException e) {
      log.warn("ignoring unreadable {}: {}", file, e.getMessage());
    }
  }

  private void saveGenerations() {
    Map<String, Generation> out = new java.util.TreeMap<>();
    generations.forEach((k, v) -> out.put(k.toString(), v));
    try {
      Files.writeString(generationsFile(), Yaml.write(out));
    } catch (IOException e) {
      log.warn("cannot write {}: {}", generationsFile(), e.getMessage());
    }
  }

  @Override
  public void released(ResourceKey key) {
    store.forget(key);
    generations.remove(key);
    origins.remove(key);
    status.remove(key);
    saveGenerations();
  }

  @Override
  public StatusWriter statusWriter() { return status; }

  @Override
  public SecretReader secrets() { return SecretReader.LOCAL; }

  public Path directory() { return dir; }

  @Override
  public void close() {
    if (watchThread != null) watchThread.interrupt();
    timer.shutdownNow();
    try {
      if (watcher != null) watcher.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
