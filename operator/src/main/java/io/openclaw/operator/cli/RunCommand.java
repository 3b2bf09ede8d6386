package io.openclaw.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.openclaw.operator.admission.Admission;
import io.openclaw.operator.controller.Controller;
import io.openclaw.operator.controller.Recorder;
import io.openclaw.operator.runtime.HttpEndpoints;
import io.openclaw.operator.runtime.KubernetesEvents;
import io.openclaw.operator.runtime.LeaderElection;
import io.openclaw.operator.runtime.Operator;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.source.DesiredSource;
import io.openclaw.operator.source.DirectorySource;
import io.openclaw.operator.source.KubernetesSource;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Runs the operator: keeps the Docker host equal to the declared resources until stopped (SIGTERM).")
final class RunCommand implements Callable<Integer> {
  /**
   * Looked up when first used, not when the class is: picocli makes every subcommand at start-up, and a static logger
   * here would set up logging (a fifth of `validate`'s time) for commands that never log.
   */
  private static Logger log() { return LoggerFactory.getLogger(RunCommand.class); }

  @Mixin SourceOptions source;
  @Mixin HostOptions host;

  @Option(names = "--http-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9464",
      description = "Where /healthz, /readyz and /metrics listen (default ${DEFAULT-VALUE}; port 0 picks a free one).")
  String httpAddress;

  @Option(names = "--resync", paramLabel = "DURATION", defaultValue = "5m", description = "Periodic full pass, the backstop (default ${DEFAULT-VALUE}).")
  String resync;

  @Option(names = "--debounce", paramLabel = "DURATION", defaultValue = "150ms", description = "Manifest directory: wait this long after a file event.")
  String debounce;

  @Option(names = "--events-watchdog", paramLabel = "DURATION", defaultValue = "60s",
      description = "Reopen the Docker events stream after this long without a word (default ${DEFAULT-VALUE}).")
  String watchdog;

  @Option(names = "--admission", description = "Also serve the Docker authorization plugin " + Admission.PLUGIN + " (enable it with"
      + " authorization-plugins in daemon.json and a SIGHUP to dockerd): breaches are refused before they exist.")
  boolean admission;

  @Option(names = "--admission-socket", paramLabel = "PATH", description = "Where the plugin listens (default ${DEFAULT-VALUE}).",
      defaultValue = "/run/docker/plugins/openclaw-operator.sock")
  Path admissionSocket;

  @Option(names = "--stall-after", paramLabel = "DURATION", defaultValue = "2m",
      description = "How long a missing Secret, secret file, image or referenced gateway is retried as Reconciling before the"
          + " resource is reported Stalled (retries go on) (default ${DEFAULT-VALUE}).")
  String stallAfter;

  @Option(names = "--host-check-interval", paramLabel = "DURATION", defaultValue = "10m",
      description = "How often the host checks of spec.hostHardening run, for the HostHardened condition (default ${DEFAULT-VALUE}).")
  String hostCheckInterval;

  @Option(names = "--prune", description = "Directory mode: remove the containers of resources that are no longer declared"
      + " (orphans); without it they are only reported. Kubernetes mode always removes them (the deletion was explicit).")
  boolean prune;

  @Option(names = "--leader-election-namespace", paramLabel = "NS",
      description = "Kubernetes mode: where the Lease of this Docker host lives (default: the pod's namespace, else \"default\").")
  String leaderElectionNamespace;

  @Override
  public Integer call() throws Exception {
    Path dir = source.directory();
    DockerEndpoint endpoint = DockerEndpoint.fromEnvironment();
    if (dir == null) return runKubernetes(endpoint);
    Path stateDir = host.stateDir();
    Files.createDirectories(stateDir);
    try (FileChannel lockFile = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        throw new IllegalArgumentException("another operator already runs with state directory " + stateDir + "; give each instance its own --state-dir");
      }
      DirectorySource desired = new DirectorySource(dir, stateDir, io.openclaw.operator.api.Durations.parse(debounce));
      // Parsed and validated while the Docker connection and the controller are set up: a cold start's first pass
      // waits for neither one after the other.
      desired.readAhead();
      return runUntilStopped(desired, endpoint);
    }
  }

  int runUntilStopped(DesiredSource desired, DockerEndpoint endpoint) throws Exception {
    String hostName = hostName(endpoint);
    Operator operator = Operator.start(desired, endpoint, options(hostName, endpoint, prune), duration(watchdog), Recorder.EventSink.NONE,
        admission ? new Operator.AdmissionOptions(admissionSocket, Set.of()) : null);
    HttpEndpoints http;
    try {
      http = listen(httpAddress, operator::ready, operator.metrics()::scrape);
    } catch (IllegalArgumentException e) {
      operator.close();
      throw e;
    }
    log().info("openclaw-docker-operator {} for Docker host \"{}\" ({}) started; desired state from {}; http on {}:{}", Main.version(), hostName, endpoint.host(),
        desired instanceof DirectorySource d ? d.directory() : "Kubernetes", address(httpAddress).getHostString(), http.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log().info("stopping: finishing in-flight reconciles");
      try {
        operator.close();
        http.close();
      } catch (Exception e) {
        log().warn("while stopping: {}", e.getMessage());
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * Kubernetes mode: the resources come from the cluster, and of several instances for this Docker host only the
   * holder of the host's Lease runs the controller. Losing the lease stops the controller and exits with 1, so that
   * a supervisor (the Deployment) restarts this instance as a candidate.
   */
  int runKubernetes(DockerEndpoint endpoint) throws Exception {
    if (admission) {
      throw new IllegalArgumentException("--admission serves the plugin on this host's socket; with --kubernetes the operator may run on another machine:"
          + " run `admission --kubernetes` on the Docker host instead");
    }
    String hostName = hostName(endpoint);
    String leaseNamespace = leaderElectionNamespace != null ? leaderElectionNamespace : LeaderElection.podNamespace();
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      try {
        client.getKubernetesVersion();
      } catch (RuntimeException e) {
        // Said once and plainly, rather than as a stack trace per leader-election retry.
        throw new Exit.Unavailable("cannot reach the Kubernetes API server at " + client.getMasterUrl() + " (" + rootCause(e)
            + "); check the kubeconfig (KUBECONFIG, ~/.kube/config) or run in-cluster");
      }
      AtomicReference<Leading> current = new AtomicReference<>();
      // A standby is ready: it is healthy and campaigning, and a rolling update must not wait for a lease only the old pod can give up.
      HttpEndpoints http = listen(httpAddress, () -> current.get() == null || current.get().operator().ready(),
          () -> current.get() == null ? "" : current.get().operator().metrics().scrape());
      LeaderElection election = new LeaderElection(client, leaseNamespace, hostName, LeaderElection.identity(), LeaderElection.Timing.DEFAULT);
      CountDownLatch done = new CountDownLatch(1);
      AtomicInteger exitCode = new AtomicInteger();
      AtomicBoolean stopping = new AtomicBoolean();
      Runnable stopAll = () -> {
        if (!stopping.compareAndSet(false, true)) return;
        election.close(); // a leader releases the lease here, so a standby takes over at once
        Leading leading = current.getAndSet(null);
        if (leading != null) leading.close();
        http.close();
        done.countDown();
      };
      Runnable fail = () -> {
        if (stopping.get()) return;
        exitCode.set(1);
        new Thread(stopAll, "stop").start(); // not on the leadership thread, which stopAll waits for
      };
      log().info("openclaw-docker-operator {} for Docker host \"{}\" ({}) campaigning for lease {} as {}; desired state from Kubernetes ({}); http on {}:{}",
          Main.version(), hostName, endpoint.host(), election.lease(), election.identityName(),
          source.namespace == null ? "all namespaces" : "namespace " + source.namespace, address(httpAddress).getHostString(), http.port());
      election.start(() -> {
        try {
          KubernetesSource desired = new KubernetesSource(client, source.namespace, hostName);
          KubernetesEvents events = new KubernetesEvents(client, desired::uid, hostName);
          current.set(new Leading(Operator.start(desired, endpoint, options(hostName, endpoint, true), duration(watchdog), events, null), events));
          desired.failed().thenRun(fail);
          log().info("leading: the controller runs for Docker host \"{}\"", hostName);
        } catch (Exception e) {
          log().error("cannot start the controller: {}", e.getMessage());
          fail.run();
        }
      }, () -> {
        Leading leading = current.getAndSet(null);
        if (leading != null) leading.close();
        if (!stopping.get()) {
          log().error("lost the lease {}: the controller stopped; exiting with status 1 so that a supervisor restarts this instance", election.lease());
          fail.run();
        }
      }).whenComplete((result, error) -> {
        if (error != null && !(error instanceof java.util.concurrent.CancellationException) && !stopping.get()) {
          log().error("leader election ended: {}", error.getMessage());
          fail.run();
        }
      });
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        log().info("stopping: finishing in-flight reconciles, releasing the lease");
        stopAll.run();
      }, "shutdown"));
      done.await();
      return exitCode.get();
    }
  }

  /** What runs while this instance leads. */
  private record Leading(Operator operator, KubernetesEvents events) {
    void close() {
      try {
        operator.close();
      } catch (Exception e) {
        log().warn("while stopping the controller: {}", e.getMessage());
      }
      events.close();
    }
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private String hostName(DockerEndpoint endpoint) throws java.io.IOException {
    try (DockerApi docker = DockerApi.connect(endpoint)) {
      return host.resolveName(docker);
    }
  }

  private Controller.Options options(String hostName, DockerEndpoint endpoint, boolean removeOrphans) {
    return new Controller.Options(hostName, host.hostLabels, duration(resync), 2, 4, java.time.Clock.systemUTC(), host.stateDir(),
        host.hostRoot(endpoint), removeOrphans, Main.version(), duration(stallAfter),
        Controller.HostCheck.of(host.hostRoot(endpoint), duration(hostCheckInterval)));
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) throw new IllegalArgumentException("--http-address must be HOST:PORT, got " + hostPort);
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** The endpoints on --http-address; a port already taken is the user's to change, so it is a usage error, not an internal one. */
  static HttpEndpoints listen(String hostPort, java.util.function.BooleanSupplier ready, java.util.function.Supplier<String> metrics)
      throws java.io.IOException {
    try {
      return new HttpEndpoints(address(hostPort), ready, metrics);
    } catch (java.net.BindException e) {
      throw new IllegalArgumentException("cannot serve /healthz, /readyz and /metrics on " + hostPort + ": " + e.getMessage()
          + " (another operator there? give each its own --http-address HOST:PORT; port 0 takes a free one)");
    }
  }

  static Duration duration(String text) { return io.openclaw.operator.api.Durations.parse(text); }
}
