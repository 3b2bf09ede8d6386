package io.openclaw.operator.bench;

import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.host.GatewayInputs;
import io.openclaw.operator.plan.ContainerSpec;
import io.openclaw.operator.plan.FileSpec;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.plan.MountSpec;
import io.openclaw.operator.plan.NetworkSpec;
import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.source.Sources;
import io.openclaw.operator.testing.JarLaunch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cold start: examples/local's stack brought up on a host that has none of it (images present, no container or
 * network), by the operator (from starting `java -jar ... run` to the GatewayDeployment's status saying Ready) and
 * by docker-compose (from starting `docker-compose up -d` to its return, every container running). The compose file
 * is made from the operator's own rendering of the same manifests (GatewayStack), so both arms create the same
 * containers: same images, users, environment, commands, limits, capabilities, networks (internal, without a host
 * address), aliases and published port. Compose cannot upload files into a container: the operator's files are
 * bind-mounted read-only instead, owned by the component's user, mode 0600. Rounds alternate which arm goes first;
 * each arm removes everything it made before the next starts.
 *
 * <p>Run through hack/bench cold-start. Arguments: --rounds N (default 5), --jar PATH, --manifests DIR
 * (default examples/local), --compose PATH (default docker-compose).
 */
public final class ColdStartBench {
  private final String id = "cold-" + UUID.randomUUID().toString().substring(0, 6);
  private final DockerApi docker = DockerApi.connect(DockerEndpoint.fromEnvironment());
  private final Path jar;
  private final Path examples;
  private final String compose;
  private final Path work;
  /** Each arm's output, kept after the run (the work directory is removed). */
  private final Path logs;

  private ColdStartBench(Path jar, Path examples, String compose) throws IOException {
    this.jar = jar;
    this.examples = examples;
    this.compose = compose;
    this.work = Files.createTempDirectory(id);
    this.logs = Files.createTempDirectory(id + "-logs");
  }

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    Path jar = Path.of("operator/target/openclaw-docker-operator.jar");
    Path examples = Path.of("examples/local");
    String compose = "docker-compose";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        case "--manifests" -> examples = Path.of(args[++i]);
        case "--compose" -> compose = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    ColdStartBench bench = new ColdStartBench(jar, examples, compose);
    try {
      bench.run(rounds);
    } finally {
      bench.cleanUp();
    }
  }

  private void run(int rounds) throws Exception {
    List<Double> operator = new ArrayList<>();
    List<Double> composed = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    System.out.printf("cold start of %s (%s), %d rounds, alternating which arm goes first%n", examples, id, rounds);
    System.out.printf("%-6s %14s %14s %8s%n", "round", "operator s", "compose s", "ratio");
    for (int r = 1; r <= rounds; r++) {
      double op;
      double co;
      if (r % 2 == 1) {
        op = operatorArm(r);
        co = composeArm(r);
      } else {
        co = composeArm(r);
        op = operatorArm(r);
      }
      operator.add(op);
      composed.add(co);
      ratios.add(op / co);
      System.out.printf(Locale.ROOT, "%-6d %14.2f %14.2f %7.2fx%n", r, op, co, op / co);
    }
    double opMedian = median(operator);
    double coMedian = median(composed);
    System.out.printf(Locale.ROOT, "%nmedian: operator to Ready %.2f s, docker-compose up -d %.2f s, ratio of the medians %.2fx,"
        + " median of the rounds' ratios %.2fx (target 1.20x)%n", opMedian, coMedian, opMedian / coMedian, median(ratios));
    System.out.println("each arm's output: " + logs);
    BenchResult.print("cold-start.ready", opMedian, "s", coMedian, "s", String.format(Locale.ROOT,
        "docker-compose up -d; median of the rounds' ratios %.2fx, target 1.20x", median(ratios)));
  }

  // ---- the operator

  /** Seconds from starting the operator to its GatewayDeployment's Ready condition. */
  private double operatorArm(int round) throws Exception {
    String gw = id + "-o" + round;
    Path manifests = Files.createDirectories(work.resolve(gw + "-manifests"));
    Path state = Files.createDirectories(work.resolve(gw + "-state"));
    writeManifests(gw, manifests);
    Path log = logs.resolve(gw + ".log");
    Path status = state.resolve("status/GatewayDeployment/default/" + gw + ".yaml");
    long start = System.nanoTime();
    // As the project's launchers start it: with the Java options and the class-data archive the build made beside the jar.
    List<String> command = new ArrayList<>(JarLaunch.command(jar));
    command.addAll(List.of("run", manifests.toString(), "--state-dir", state.toString(), "--http-address", "127.0.0.1:0"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = start + TimeUnit.SECONDS.toNanos(120);
      while (!ready(status)) {
        if (!p.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("the operator did not make " + gw + " Ready; log: " + log);
        Thread.sleep(10);
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
      removeEverything(gw);
    }
  }

  private static boolean ready(Path status) {
    try {
      return Files.exists(status) && Files.readString(status).contains("- type: Ready\n    status: \"True\"");
    } catch (IOException e) {
      return false; // being rewritten
    }
  }

  /**
   * examples/local under this round's names: its own networks, gateway name, state directory, published port and a
   * sandbox selector nobody else's containers match (the engine is shared).
   */
  private void writeManifests(String gw, Path dir) throws IOException {
    copyTree(examples.resolve("secrets"), dir.resolve("secrets"));
    copyTree(examples.resolve("agent"), dir.resolve("agent")); // the agent's workspace files
    int port = freePort();
    write(dir, "gateway.yaml", Map.of(
        "\n  name: openclaw\n", "\n  name: " + gw + "\n",
        "internal: openclaw-net", "internal: " + gw + "-int",
        "egress: egress-net", "egress: " + gw + "-egr",
        "ingress: ingress-net", "ingress: " + gw + "-ing",
        "stateDir: /var/lib/openclaw-local", "stateDir: " + work.resolve(gw + "-gateway-state"),
        "hostPort: 18443", "hostPort: " + port,
        "allowlistRef: {name: llm-providers}", "allowlistRef: {name: " + gw + "}"));
    write(dir, "egress-allowlist.yaml", Map.of("name: llm-providers", "name: " + gw));
    write(dir, "sandbox-policy.yaml", Map.of(
        "name: openclaw-sandboxes", "name: " + gw,
        "gatewayRef: {name: openclaw}", "gatewayRef: {name: " + gw + "}",
        "matchLabels: {openclaw.sandbox: \"1\"}", "matchLabels: {openclaw.sandbox: \"1\", " + id + ": \"1\"}"));
  }

  private void write(Path dir, String file, Map<String, String> replacements) throws IOException {
    String text = Files.readString(examples.resolve(file));
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      if (!text.contains(r.getKey())) throw new IllegalStateException(examples.resolve(file) + " no longer contains '" + r.getKey().strip() + "'");
      text = text.replace(r.getKey(), r.getValue());
    }
    Files.writeString(dir.resolve(file), text);
  }

  // ---- docker-compose

  /** Seconds from starting `docker-compose up -d` to its return, every container then running. */
  private double composeArm(int round) throws Exception {
    String project = id + "-c" + round;
    Path dir = Files.createDirectories(work.resolve(project));
    Path manifests = Files.createDirectories(work.resolve(project + "-manifests"));
    writeManifests(project, manifests);
    Files.writeString(dir.resolve("docker-compose.yml"), composeFile(project, manifests, dir));
    Path log = logs.resolve(project + ".log");
    try {
      long start = System.nanoTime();
      Process p = new ProcessBuilder(compose, "-p", project, "-f", dir.resolve("docker-compose.yml").toString(), "up", "-d")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("docker-compose up failed; log: " + log);
      double took = (System.nanoTime() - start) / 1e9;
      long running = docker.listContainers().stream().filter(s -> s.state().equals("running"))
          .filter(s -> docker.inspectContainer(s.id()).map(c -> c.name().startsWith(project)).orElse(false)).count();
      if (running != 6) throw new IllegalStateException(running + " of 6 compose containers running; log: " + log);
      return took;
    } finally {
      new ProcessBuilder(compose, "-p", project, "-f", dir.resolve("docker-compose.yml").toString(), "down", "-t", "0")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start().waitFor(120, TimeUnit.SECONDS);
      removeEverything(project);
    }
  }

  /**
   * The compose file for the stack the operator would make from these manifests: every container as GatewayStack
   * renders it, its files bind-mounted from {@code dir} (compose has no upload), its state directory of its own.
   */
  private String composeFile(String project, Path manifests, Path dir) throws IOException {
    DesiredState desired = DesiredState.of(Sources.fromDirectory(manifests), manifests.toString(), SecretReader.LOCAL);
    Manifest gateway = desired.store().manifests().stream().filter(m -> m.key().kind().equals("GatewayDeployment")).findFirst().orElseThrow();
    GatewayStack.Desired stack = GatewayStack.desired(GatewayInputs.inputs(desired.store(), SecretReader.LOCAL, gateway));
    StringBuilder y = new StringBuilder("version: \"2.4\"\nservices:\n");
    for (ContainerSpec c : stack.containers()) {
      y.append("  ").append(c.component()).append(":\n");
      y.append("    image: ").append(q(c.image())).append('\n');
      y.append("    container_name: ").append(q(project + "-" + c.component())).append('\n');
      if (c.user() != null && !c.user().isEmpty()) y.append("    user: ").append(q(c.user())).append('\n');
      list(y, "environment", c.env());
      list(y, "entrypoint", c.entrypoint());
      list(y, "command", c.command());
      y.append("    labels: {").append(q(id)).append(": \"1\"}\n");
      y.append("    cap_drop: [ALL]\n    security_opt: [no-new-privileges]\n");
      y.append("    mem_limit: ").append(c.limits().memory()).append('\n');
      y.append("    memswap_limit: ").append(c.limits().memorySwap()).append('\n');
      y.append("    cpus: ").append(String.format(Locale.ROOT, "%.3f", c.limits().nanoCpus() / 1e9)).append('\n');
      y.append("    pids_limit: ").append(c.limits().pidsLimit()).append('\n');
      y.append("    restart: ").append(ContainerSpec.RESTART_POLICY).append('\n');
      List<String> volumes = new ArrayList<>();
      for (MountSpec m : c.mounts()) {
        if (!m.bind()) continue;
        // The state directory, owned by the component's user as the operator makes it (the daemon would make it root's).
        Path source = Path.of(m.source());
        if (source.startsWith(work) && !Files.exists(source)) {
          Files.createDirectories(source);
          Files.setAttribute(source, "unix:uid", c.uid());
          Files.setAttribute(source, "unix:gid", c.gid());
        }
        volumes.add(m.bindString());
      }
      for (FileSpec f : c.files()) {
        if (f.directory()) continue;
        Path file = dir.resolve("files/" + c.component() + f.path());
        Files.createDirectories(file.getParent());
        Files.write(file, f.content());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(file, "unix:uid", f.uid());
        Files.setAttribute(file, "unix:gid", f.gid());
        volumes.add(file + ":" + f.path() + ":ro");
      }
      list(y, "volumes", volumes);
      if (!c.ports().isEmpty()) {
        list(y, "ports", c.ports().stream().map(p -> p.hostIp() + ":" + p.hostPort() + ":" + p.containerPort() + "/" + p.protocol()).toList());
      }
      y.append("    networks:\n");
      for (Map.Entry<String, List<String>> n : c.networks().entrySet()) {
        y.append("      ").append(q(n.getKey())).append(":\n");
        if (!n.getValue().isEmpty()) y.append("        aliases: [").append(String.join(", ", n.getValue().stream().map(ColdStartBench::q).toList())).append("]\n");
      }
    }
    y.append("networks:\n");
    for (NetworkSpec n : stack.networks()) {
      y.append("  ").append(q(n.name())).append(":\n    name: ").append(q(n.name())).append("\n    driver: bridge\n");
      y.append("    internal: ").append(n.internal()).append('\n');
      y.append("    labels: {").append(q(id)).append(": \"1\"}\n");
      if (!n.options().isEmpty()) {
        y.append("    driver_opts:\n");
        n.options().forEach((k, v) -> y.append("      ").append(q(k)).append(": ").append(q(v)).append('\n'));
      }
    }
    return y.toString();
  }

  private static void list(StringBuilder y, String key, List<String> values) {
    if (values.isEmpty()) return;
    y.append("    ").append(key).append(":\n");
    values.forEach(v -> y.append("      - ").append(q(v)).append('\n'));
  }

  /** A YAML double-quoted scalar; `$` doubled, since compose interpolates it. */
  private static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "$$") + "\"";
  }

  // ---- housekeeping

  /** Every container and network whose name starts with {@code prefix} (this benchmark's own), removed. */
  private void removeEverything(String prefix) {
    for (DockerApi.ContainerSummary s : docker.listContainers()) {
      docker.inspectContainer(s.id()).filter(c -> c.name().startsWith(prefix)).ifPresent(c -> docker.remove(c.id(), true));
    }
    for (var n : docker.listNetworks()) {
      if (n.name().startsWith(prefix)) {
        n.containers().keySet().forEach(c -> docker.disconnect(n.id(), c));
        docker.removeNetwork(n.id());
      }
    }
  }

  private void cleanUp() throws IOException {
    removeEverything(id);
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
  }

  private static int freePort() throws IOException {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
