package io.openclaw.operator.host;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.ContainerView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which containers the operator created, by id (DESIGN.md §5 "Ownership"): labels are for people and for
 * {@code docker ps} filters, never proof, since any client with POST can write them. An id is recorded the moment the
 * daemon returns it. So that a create whose answer was lost (the operator killed in between) is not left as a
 * squatter on the component's name, a random nonce is recorded before the create and carried as a label; a container
 * that carries a pending nonce is the one that create made. Kept in {@code <state-dir>/ownership.json}; in Kubernetes
 * mode it is also seeded from the component ids in this host's status.
 */
public final class Ownership {
  /** The label that carries a create's nonce; worthless to a forger, who cannot know a pending nonce. */
  public static final String CREATION_LABEL = "hardening.openclaw.io/creation";
  private static final Logger log = LoggerFactory.getLogger(Ownership.class);

  /** One container the operator made (id) or is making (nonce, id not yet known). */
  public record Entry(String owner, String name, String id, String nonce) {}

  private final Path file;
  private final boolean writable;
  private final Map<String, Entry> byKey = new LinkedHashMap<>();

  private Ownership(Path file, boolean writable) {
    this.file = file;
    this.writable = writable;
  }

  /** The ledger of a state directory, read if it exists and kept there; null {@code stateDir} keeps it in memory only. */
  public static Ownership open(Path stateDir) { return read(stateDir, true); }

  /** What a state directory's ledger says now, for one-shot commands: never written back (the running operator owns it). */
  public static Ownership readOnly(Path stateDir) { return read(stateDir, false); }

  private static Ownership read(Path stateDir, boolean writable) {
    Ownership o = new Ownership(stateDir == null ? null : stateDir.resolve("ownership.json"), writable);
    if (o.file != null && Files.exists(o.file)) {
      try {
        var tree = Yaml.JSON.readTree(Files.readString(o.file));
        for (var e : tree.path("containers")) {
          Entry entry = new Entry(e.path("owner").asString(), e.path("name").asString(), e.path("id").asString(null), e.path("nonce").asString(null));
          o.byKey.put(key(entry), entry);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("ignoring unreadable ownership record {}: {}", o.file, e.getMessage());
      }
    }
    return o;
  }

  /** An empty ledger nobody writes: for planning where nothing was recorded. */
  public static Ownership none() { return new Ownership(null, false); }

  /** Before a create: a fresh nonce for the container's labels, recorded as pending. */
  public synchronized String beginCreate(ResourceKey owner, String name) {
    String nonce = UUID.randomUUID().toString();
    Entry e = new Entry(owner.toString(), name, null, nonce);
    byKey.put(key(e), e);
    save();
    return nonce;
  }

  /** The daemon returned the new container's id. */
  public synchronized void created(ResourceKey owner, String name, String id, String nonce) {
    byKey.values().removeIf(e -> nonce != null && nonce.equals(e.nonce()) && e.id() == null);
    Entry e = new Entry(owner.toString(), name, id, null);
    byKey.put(key(e), e);
    save();
  }

  /** The create failed: the nonce names nothing. */
  public synchronized void abandon(String nonce) {
    if (byKey.values().removeIf(e -> e.id() == null && nonce.equals(e.nonce()))) save();
  }

  /** The container is gone (removed by the operator or seen destroyed). */
  public synchronized void forget(String id) {
    if (byKey.values().removeIf(e -> id.equals(e.id()))) save();
  }

  /** Ids recorded elsewhere (this host's status in the cluster) for a resource. */
  public synchronized void seed(ResourceKey owner, Collection<String> ids) {
    boolean changed = false;
    for (String id : ids) {
      if (id == null || id.isEmpty() || byKey.values().stream().anyMatch(e -> id.equals(e.id()))) continue;
      Entry e = new Entry(owner.toString(), "", id, null);
      byKey.put(key(e), e);
      changed = true;
    }
    if (changed) save();
  }

  /**
   * Adopts the containers a pending create made: a container whose creation label holds a pending nonce gets its id
   * recorded. Called with what the host shows before each plan.
   */
  public synchronized void adopt(Collection<ContainerView> containers) {
    boolean changed = false;
    for (ContainerView c : containers) {
      String nonce = c.label(CREATION_LABEL);
      if (nonce == null) continue;
      Entry pending = byKey.values().stream().filter(e -> e.id() == null && nonce.equals(e.nonce())).findFirst().orElse(null);
      if (pending == null) continue;
      byKey.remove(key(pending));
      Entry e = new Entry(pending.owner(), pending.name(), c.id(), null);
      byKey.put(key(e), e);
      changed = true;
      // Usually a plan that ran while the create was in flight; after a restart, a create whose answer was lost.
      log.info("recorded {} ({}) as {}'s: the host shows the container of its pending create", c.name(), c.id(), pending.owner());
    }
    if (changed) save();
  }

  /** The recorded container ids of one resource. */
  public synchronized Set<String> of(ResourceKey owner) {
    String o = owner.toString();
    return byKey.values().stream().filter(e -> e.id() != null && e.owner().equals(o)).map(Entry::id).collect(Collectors.toUnmodifiableSet());
  }

  /** Every recorded container id, with the resource it belongs to. */
  public synchronized Map<String, ResourceKey> all() {
    Map<String, ResourceKey> out = new LinkedHashMap<>();
    for (Entry e : byKey.values()) {
      if (e.id() == null) continue;
      try {
        out.put(e.id(), ResourceKey.parse(e.owner()));
      } catch (IllegalArgumentException ignored) {
        // a record this version cannot read: not ours to act on
      }
    }
    return out;
  }

  /** Drops ids the host no longer has (after a full list), so the record does not grow forever. */
  public synchronized void retainPresent(Set<String> present) {
    if (byKey.values().removeIf(e -> e.id() != null && !present.contains(e.id()))) save();
  }

  private static String key(Entry e) { return e.id() != null ? "id:" + e.id() : "nonce:" + e.nonce(); }

  private void save() {
    if (file == null || !writable) return;
    List<Map<String, String>> rows = new ArrayList<>();
    for (Entry e : byKey.values()) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("owner", e.owner());
      row.put("name", e.name());
      if (e.id() != null) row.put("id", e.id());
      if (e.nonce() != null) row.put("nonce", e.nonce());
      rows.add(row);
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, Yaml.json(Map.of("containers", rows)));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record container ownership in " + file, e);
    }
  }
}
