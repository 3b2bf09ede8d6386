package io.openclaw.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.openclaw.operator.admission.Admission;
import io.openclaw.operator.controller.Controller;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.runtime.HttpEndpoints;
import io.openclaw.operator.runtime.Operator;
import io.openclaw.operator.source.KubernetesSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The authorization plugin alone, on a Docker host whose operator runs elsewhere (the chart, reaching this host's API
 * over TLS): it reads the resources and their statuses from the cluster, follows this host's Docker events, and judges
 * every request from memory as {@code run --admission} does; the remote operator's own requests pass by its TLS
 * client-certificate user. It writes nothing to the cluster and changes nothing on the host.
 */
@Command(name = "admission", description = "Serves the Docker authorization plugin alone, on the Docker host, for an operator that runs in"
    + " a cluster (--kubernetes). In directory mode use `run DIR --admission`, which serves it beside the loop.")
final class AdmissionCommand implements Callable<Integer> {
  /**
   * Looked up when first used, not when the class is: picocli makes every subcommand at start-up, and a static logger
   * here would set up logging (a fifth of `validate`'s time) for commands that never log.
   */
  private static Logger log() { return LoggerFactory.getLogger(AdmissionCommand.class); }

  @Mixin SourceOptions source;
  @Mixin HostOptions host;

  @Option(names = "--socket", paramLabel = "PATH", defaultValue = "/run/docker/plugins/openclaw-operator.sock",
      description = "Where the plugin listens (default ${DEFAULT-VALUE}).")
  Path socket;

  @Option(names = "--operator-user", paramLabel = "NAME",
      description = "The TLS client-certificate user (the certificate's CN) the remote operator reaches this host's Docker API"
          + " with: its requests are allowed. Repeat for several (a rotation).")
  List<String> operatorUsers;

  @Option(names = "--http-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9465",
      description = "Where /healthz, /readyz and /metrics listen (default ${DEFAULT-VALUE}).")
  String httpAddress;

  @Option(names = "--events-watchdog", paramLabel = "DURATION", defaultValue = "60s",
      description = "Reopen the Docker events stream after this long without a word (default ${DEFAULT-VALUE}).")
  String watchdog;

  @Override
  public Integer call() throws Exception {
    if (!source.given()) {
      throw new IllegalArgumentException("admission reads the cluster: pass --kubernetes (and -n NS to watch one namespace)");
    }
    if (source.directory() != null) {
      throw new IllegalArgumentException("admission reads the cluster (--kubernetes); with a manifest directory run `run DIR --admission`,"
          + " which serves the plugin beside the loop");
    }
    if (operatorUsers == null || operatorUsers.isEmpty()) {
      throw new IllegalArgumentException("give --operator-user NAME: the TLS client-certificate user (CN) of the operator that acts on"
          + " this host from the cluster; its requests pass, everyone else's are judged");
    }
    DockerEndpoint endpoint = DockerEndpoint.fromEnvironment();
    if (!endpoint.local()) {
      throw new IllegalArgumentException("the plugin must run on the Docker host itself (DOCKER_HOST is " + endpoint.host()
          + "): dockerd reaches it through a unix socket");
    }
    String hostName;
    try (DockerApi docker = DockerApi.connect(endpoint)) {
      hostName = host.resolveName(docker);
    }
    Path stateDir = host.stateDir().resolve("admission");
    Files.createDirectories(stateDir);
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      try {
        client.getKubernetesVersion();
      } catch (RuntimeException e) {
        throw new Exit.Unavailable("cannot reach the Kubernetes API server at " + client.getMasterUrl() + " (" + e.getMessage()
            + "); check the kubeconfig (KUBECONFIG, ~/.kube/config)");
      }
      KubernetesSource desired = KubernetesSource.observing(client, source.namespace, hostName);
      Controller.Options options = new Controller.Options(hostName, host.hostLabels, RunCommand.duration("5m"), 1, 1, java.time.Clock.systemUTC(),
          stateDir, host.hostRoot(endpoint), false, Main.version());
      Operator plugin = Operator.admissionOnly(desired, endpoint, options, RunCommand.duration(watchdog),
          new Operator.AdmissionOptions(socket, Set.copyOf(operatorUsers)));
      HttpEndpoints http = RunCommand.listen(httpAddress, plugin::ready, plugin.metrics()::scrape);
      log().info("openclaw-docker-operator {}: authorization plugin {} alone for Docker host \"{}\" on {}; desired state from Kubernetes ({});"
          + " the operator's requests pass as {}", Main.version(), Admission.PLUGIN, hostName, socket,
          source.namespace == null ? "all namespaces" : "namespace " + source.namespace, operatorUsers);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          plugin.close();
          http.close();
        } catch (Exception e) {
          log().warn("while stopping: {}", e.getMessage());
        }
        stopped.countDown();
      }, "shutdown"));
      stopped.await();
      return 0;
    }
  }
}
