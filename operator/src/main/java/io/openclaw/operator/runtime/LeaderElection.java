package io.openclaw.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.openclaw.operator.plan.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two operator instances for one Docker host (a second replica, a rolling update): only the holder of the
 * coordination.k8s.io/v1 Lease named after the host runs the controller. An instance that loses the lease stops
 * acting at once; the caller then exits so that a supervisor restarts it as a candidate.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
  static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
  private static final String PREFIX = "openclaw-docker-operator-";

  /** How long a lease lasts, how long the leader keeps trying to renew it, how often candidates try. */
  public record Timing(Duration lease, Duration renewDeadline, Duration retry) {
    public static final Timing DEFAULT = new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String lease;
  private final String identity;
  private final Timing timing;
  /** Start and stop run here, in order, never on the elector's own thread (which must keep renewing). */
  private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "leadership");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean leading = new AtomicBoolean();
  private volatile boolean closing;
  private CompletableFuture<?> running;

  public LeaderElection(KubernetesClient client, String namespace, String hostName, String identity, Timing timing) {
    this.client = client;
    this.namespace = namespace;
    this.lease = leaseName(hostName);
    this.identity = identity;
    this.timing = timing;
  }

  /** {@code openclaw-docker-operator-<host>}, made a valid object name (lower case; a hash keeps altered names apart). */
  public static String leaseName(String hostName) {
    String cleaned = hostName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-").replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    String name = PREFIX + cleaned;
    if (!cleaned.equals(hostName) || name.length() > 253) {
      String suffix = "-" + Hashing.sha256(hostName).substring(0, 8);
      name = name.substring(0, Math.min(name.length(), 253 - suffix.length())).replaceAll("[^a-z0-9]+$", "") + suffix;
    }
    return name;
  }

  /** This replica: the pod's (or machine's) name and a random part, unique across restarts. */
  public static String identity() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isEmpty()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "operator";
      }
    }
    return host + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The pod's own namespace (from its service-account mount), else "default". */
  public static String podNamespace() {
    try {
      String ns = Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
      if (!ns.isEmpty()) return ns;
    } catch (IOException e) {
      // not in a pod
    }
    return "default";
  }

  public String lease() { return namespace + "/" + lease; }

  public String identityName() { return identity; }

  public boolean leading() { return leading.get(); }

  /**
   * Campaigns for the lease. {@code onStart} runs when this instance becomes the leader; {@code onStop} when it
   * stops being the leader, for whatever reason (lost the lease, could not renew it, {@link #close}). The returned
   * future completes when the campaign is over.
   */
  public synchronized CompletableFuture<?> start(Runnable onStart, Runnable onStop) {
    LeaderCallbacks leaderCallbacks = new LeaderCallbacks(
        () -> {
          if (leading.compareAndSet(false, true)) {
            log.info("leading: this instance ({}) holds lease {}", identity, lease());
            dispatch(onStart);
          }
        },
        () -> {
          if (leading.compareAndSet(true, false)) {
            if (closing) log.info("released lease {}: this instance ({}) no longer leads", lease(), identity);
            else log.warn("lost lease {}: this instance ({}) no longer leads", lease(), identity);
            dispatch(onStop);
          }
        },
        leader -> log.info("lease {} is held by {}", lease(), leader == null || leader.isEmpty() ? "nobody" : leader));
    var config = new LeaderElectionConfigBuilder()
        .withName(lease)
        .withLock(new LeaseLock(namespace, lease, identity))
        .withLeaseDuration(timing.lease())
        .withRenewDeadline(timing.renewDeadline())
        .withRetryPeriod(timing.retry())
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(leaderCallbacks)
        .build();
    running = client.leaderElector().withConfig(config).build().start();
    return running;
  }

  private void dispatch(Runnable callback) {
    try {
      callbacks.execute(callback);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      callback.run(); // closing: run it here rather than lose it
    }
  }

  /** Ends the campaign; a leader releases the lease so that another instance takes over at once. */
  @Override
  public synchronized void close() {
    closing = true;
    if (running != null) running.cancel(true);
    callbacks.shutdown();
    try {
      callbacks.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
