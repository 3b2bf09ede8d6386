package io.openclaw.operator.cli;

import io.openclaw.operator.controller.Controller;
import io.openclaw.operator.controller.HttpEndpoints;
import io.openclaw.operator.controller.Operator;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.source.DesiredSource;
import io.openclaw.operator.source.DirectorySource;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Runs the operator: keeps the Docker host equal to the declared resources until stopped (SIGTERM).")
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

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

  @Override
  public Integer call() throws Exception {
    Path dir = source.directory();
    if (dir == null) {
      System.err.println("Kubernetes mode is not available in this build yet; pass --manifests DIR");
      return 2;
    }
    DockerEndpoint endpoint = DockerEndpoint.fromEnvironment();
    Path stateDir = host.stateDir();
    Files.createDirectories(stateDir);
    try (FileChannel lockFile = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        System.err.println("another operator already runs with state directory " + stateDir + "; give each instance its own --state-dir");
        return 2;
      }
      DesiredSource desired = new DirectorySource(dir, stateDir, io.openclaw.operator.api.Durations.parse(debounce));
      return runUntilStopped(desired, endpoint);
    }
  }

  int runUntilStopped(DesiredSource desired, DockerEndpoint endpoint) throws Exception {
    String hostName;
    try (DockerApi docker = DockerApi.connect(endpoint)) {
      hostName = host.resolveName(docker);
    }
    Controller.Options options = new Controller.Options(hostName, duration(resync), 2, 4, java.time.Clock.systemUTC());
    Operator operator = Operator.start(desired, endpoint, options, duration(watchdog));
    HttpEndpoints http = new HttpEndpoints(address(httpAddress), operator::ready, operator.metrics()::scrape);
    log.info("operator for Docker host \"{}\" ({}) started; desired state from {}; http on {}:{}", hostName, endpoint.host(),
        desired instanceof DirectorySource d ? d.directory() : "Kubernetes", address(httpAddress).getHostString(), http.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping: finishing in-flight reconciles");
      try {
        operator.close();
        http.close();
      } catch (Exception e) {
        log.warn("while stopping: {}", e.getMessage());
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) throw new IllegalArgumentException("--http-address must be HOST:PORT, got " + hostPort);
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  static Duration duration(String text) { return io.openclaw.operator.api.Durations.parse(text); }
}
