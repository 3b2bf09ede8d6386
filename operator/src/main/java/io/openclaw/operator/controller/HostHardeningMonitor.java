package io.openclaw.operator.controller;

import io.openclaw.operator.api.Condition;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.audit.HostFiles;
import io.openclaw.operator.audit.HostHardening;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.source.DesiredSource;
import io.openclaw.operator.source.DesiredStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}'s host checks: on an interval (and when a GatewayDeployment's spec.hostHardening changes), every
 * GatewayDeployment that declares spec.hostHardening has this host judged against it, the same checks as
 * {@code audit --deep}; a changed result enqueues the deployment, whose reconciler writes the HostHardened condition.
 * Gauges per deployment: 1 hardened, 0 not, NaN not checked; and the number of failing checks.
 */
final class HostHardeningMonitor {
  private static final Logger log = LoggerFactory.getLogger(HostHardeningMonitor.class);

  private final DesiredStore store;
  private final DesiredSource source;
  private final DockerApi docker;
  private final Path root;
  private final HostHardening.Live live;
  private final Metrics metrics;
  private final Consumer<ResourceKey> enqueue;
  private final Map<ResourceKey, HostHardening.Result> results = new ConcurrentHashMap<>();
  private final Set<ResourceKey> gauged = ConcurrentHashMap.newKeySet();

  /**
   * {@code root}: where the host's files are seen, or null when they are out of sight (a remote daemon); {@code docker}:
   * the daemon asked for its own settings, or null to read them from the files alone.
   */
  HostHardeningMonitor(DesiredStore store, DesiredSource source, DockerApi docker, Path root, HostHardening.Live live, Metrics metrics,
      Consumer<ResourceKey> enqueue) {
    this.store = store;
    this.source = source;
    this.docker = docker;
    this.root = root;
    this.live = live;
    this.metrics = metrics;
    this.enqueue = enqueue;
  }

  /** One round over every GatewayDeployment in force that declares spec.hostHardening. */
  synchronized void checkAll() {
    HostHardening.DaemonFacts facts = null;
    Set<ResourceKey> seen = ConcurrentHashMap.newKeySet();
    for (GatewayDeployment g : store.all(GatewayDeployment.class)) {
      ResourceKey key = ResourceKey.of(g);
      var entry = store.entry(key).orElse(null);
      if (entry == null || entry.inForce() == null) continue;
      if (entry.inForce().as(GatewayDeployment.class).getSpec().hostHardening() == null) continue;
      seen.add(key);
      if (facts == null) facts = docker == null ? HostHardening.DaemonFacts.UNKNOWN : HostHardening.DaemonFacts.read(docker);
      HostHardening.Result result;
      try {
        HostHardening.Expected expected = HostHardening.expected(entry.inForce(), source.secrets());
        result = HostHardening.check(root == null ? null : new HostFiles(root), "the Docker host is remote and its files are out of sight"
            + " (run the operator on the host, or give it --host-root)", expected, live, facts);
      } catch (RuntimeException e) {
        log.warn("host checks for {} failed: {}", key, e.getMessage());
        continue;
      }
      HostHardening.Result before = results.put(key, result);
      gauge(key);
      if (before == null || !before.failures().equals(result.failures()) || before.checks() != result.checks()) {
        log.info("host checks for {}: {}", key, result.message());
        enqueue.accept(key);
      }
    }
    results.keySet().removeIf(k -> !seen.contains(k));
  }

  /** The HostHardened condition of this deployment, or empty when it declares no spec.hostHardening (or was not checked yet). */
  Optional<Condition> condition(ResourceKey key, long generation) {
    HostHardening.Result r = results.get(key);
    var entry = store.entry(key).orElse(null);
    if (r == null || entry == null || entry.inForce() == null || entry.inForce().as(GatewayDeployment.class).getSpec().hostHardening() == null) {
      return Optional.empty();
    }
    return Optional.of(new Condition(HostHardening.CONDITION, r.status(), r.reason(), r.message(), null, generation));
  }

  private void gauge(ResourceKey key) {
    if (!gauged.add(key)) return;
    metrics.gauge("openclaw_operator_host_hardened", "1 when every host check of the GatewayDeployment's spec.hostHardening passes,"
        + " 0 when one fails, NaN when one could not be made", "gateway", key.toString(), () -> {
          HostHardening.Result r = results.get(key);
          return r == null ? Double.NaN : switch (r.status()) { case "True" -> 1.0; case "False" -> 0.0; default -> Double.NaN; };
        });
    metrics.gauge("openclaw_operator_host_hardening_failures", "Host checks of the GatewayDeployment's spec.hostHardening that fail",
        "gateway", key.toString(), () -> {
          HostHardening.Result r = results.get(key);
          return r == null ? Double.NaN : r.broken().size();
        });
  }
}
