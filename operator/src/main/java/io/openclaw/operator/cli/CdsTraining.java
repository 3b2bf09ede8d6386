package io.openclaw.operator.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The build's class-data-sharing training run: the commands people run most, one after another in one JVM, so that
 * {@code -XX:ArchiveClassesAtExit} archives every class they load (the build then starts each command with the
 * archive: Java parses and verifies none of them again). plan and audit read a stand-in daemon of the training's own
 * ({@link TrainingDaemon}), so the archive holds the Docker requests' classes whether or not the build reaches a daemon.
 * Output is thrown away; the exit codes do not matter.
 *
 * <p>Argument: the manifest directory to train on (the build gives examples/local); without one, a small deployment of
 * its own (an image build or an installation has no examples at hand).
 */
public final class CdsTraining {
  private CdsTraining() {}

  /** A deployment, its policy and allowlist: what `validate`, `plan` and `audit` read, in a directory of its own. */
  private static Path sample(Path under) throws java.io.IOException {
    Path dir = Files.createDirectories(under.resolve("manifests"));
    Files.writeString(dir.resolve("training.yaml"), """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: EgressAllowlist
        metadata: {name: training}
        spec: {domains: ["*.openai.com"], action: enforce}
        ---
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: GatewayDeployment
        metadata: {name: training}
        spec:
          networks: {internal: training-int, egress: training-egr}
          gateway: {image: training/gateway:1, user: "1000:1000", stateDir: %1$s/gateway, resources: {memory: 1Gi, cpus: "1.0", pidsLimit: 512}}
          socketProxy: {image: training/socket-proxy:1, allow: [EXEC, CONTAINERS, IMAGES, PING, POST]}
          modelProxy: {image: training/model-proxy:1}
          cache: {image: training/cache:1}
          egressProxy: {image: training/egress-proxy:1, allowlistRef: {name: training}}
        ---
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata: {name: training}
        spec:
          gatewayRef: {name: training}
          selector: {matchLabels: {openclaw.sandbox: "1", training: "1"}}
        """.formatted(under));
    return dir;
  }

  /**
   * `run` cannot be trained by running it: Java 17 crashed writing the archive of a JVM whose operator had run (in
   * SystemDictionaryShared::adjust_lambda_proxy_class_dictionary). So what it needs beyond the commands above, the
   * operator's own classes and its metrics, is loaded by name, not initialised: enough to archive them.
   */
  private static final List<String> RUN_PACKAGES = List.of("io/openclaw/operator/", "io/micrometer/core/", "io/micrometer/prometheusmetrics/",
      "io/micrometer/common/", "io/prometheus/metrics/core/", "io/prometheus/metrics/model/", "io/prometheus/metrics/expositionformats/",
      "io/prometheus/metrics/config/", "io/github/resilience4j/",
      // what a cold start of `run` loaded beyond those: the status files' YAML writer, the archives of the files it uploads and reads
      "org/snakeyaml/engine/v2/", "tools/jackson/databind/ser/", "org/apache/commons/compress/archivers/tar/",
      "org/apache/commons/compress/archivers/zip/", "org/apache/commons/compress/utils/", "org/apache/commons/io/",
      "org/apache/logging/log4j/message/",
      // the simple logger a one-shot command started by main logs through (Logging.plainForOneShotCommands)
      "org/apache/logging/log4j/simple/", "org/apache/logging/log4j/spi/LoggerRegistry");

  private static void loadWithoutRunning(List<String> packages) throws java.io.IOException {
    java.net.URL jar = CdsTraining.class.getProtectionDomain().getCodeSource().getLocation();
    ClassLoader loader = CdsTraining.class.getClassLoader();
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(Path.of(java.net.URI.create(jar.toString())).toFile())) {
      for (var entries = zip.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (!name.endsWith(".class") || name.startsWith("META-INF/") || packages.stream().noneMatch(name::startsWith)) continue;
        try {
          Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false, loader);
        } catch (LinkageError | ClassNotFoundException e) {
          // an optional dependency that is not there: nothing to archive
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Path state = Files.createTempDirectory("cds-training");
    Path manifests = args.length > 0 ? Path.of(args[0]) : sample(state);
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    System.setOut(nowhere);
    System.setErr(nowhere);
    // plan and audit read a stand-in daemon of the training's own (docker-java reads these before the environment): the
    // same classes as a real one, whether or not the build reaches one, and nothing of the build machine's read.
    // First the endpoint as this environment gives it, and as docker-java reads it where it is not plain (a docker CLI
    // config file, TLS): nothing is contacted, and the stand-in's settings below leave both out.
    io.openclaw.operator.docker.DockerEndpoint.fromEnvironment();
    io.openclaw.operator.docker.DockerEndpoint.of(com.github.dockerjava.core.DefaultDockerClientConfig.createDefaultConfigBuilder().build());
    Path dockerConfig = Files.createDirectories(state.resolve("docker-config"));
    try (TrainingDaemon daemon = TrainingDaemon.start(state)) {
      System.setProperty("DOCKER_HOST", daemon.host());
      System.setProperty("DOCKER_TLS_VERIFY", "0");
      System.setProperty("DOCKER_CONFIG", dockerConfig.toString());
      io.openclaw.operator.source.ManifestLoader.prepare(); // what main begins on a thread of its own (Main.prepareManifestReading)
      Main.execute("--version");
      Main.execute("--help");
      Main.execute("validate", manifests.toString());
      Main.execute("validate", "--json", manifests.toString());
      Main.execute("plan", "--manifests", manifests.toString(), "--state-dir", state.toString());
      Main.execute("audit", "--json", "--manifests", manifests.toString(), "--state-dir", state.toString());
      Main.execute("audit", "--manifests", manifests.toString(), "--state-dir", state.toString());
      loadWithoutRunning(RUN_PACKAGES);
      // A class of the runtime's own a command meets beyond these: a lock contended between its threads.
      Class.forName("java.util.concurrent.locks.AbstractQueuedSynchronizer$ExclusiveNode", false, null);
    } finally {
      System.setOut(out);
      System.setErr(err);
      try (var files = Files.walk(state)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
