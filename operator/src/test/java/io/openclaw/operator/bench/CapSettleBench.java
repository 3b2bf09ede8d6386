package io.openclaw.operator.bench;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.docker.DockerEvent;
import io.openclaw.operator.docker.EventStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * How fast the operator brings the host back to the SandboxPolicy's cap (8) when 20 conforming sandboxes are started
 * at once: from the moment the last start call returns to the moment the last excess sandbox is dead (the daemon's
 * die event) and gone (destroy). Each round starts 20 (create then start, as `docker run` does, from 20 threads),
 * waits until exactly 8 are left, removes them and lets the operator see the host empty again.
 *
 * <p>Run through hack/bench cap-settle. Arguments: --rounds N (default 5), --sandboxes S (default 20), --jar PATH.
 */
public final class CapSettleBench {
  private static final String IMAGE = "openclaw-standin/sandbox:dev";
  private static final int CAP = 8;
  private final String id = "cap-" + UUID.randomUUID().toString().substring(0, 6);
  private final DockerApi docker = DockerApi.connect(DockerEndpoint.fromEnvironment());
  private final Map<String, Long> dieAt = new ConcurrentHashMap<>();
  private final Map<String, Long> destroyAt = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    int sandboxes = 20;
    Path jar = Path.of("operator/target/openclaw-docker-operator.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--sandboxes" -> sandboxes = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    new CapSettleBench().run(jar, rounds, sandboxes);
  }

  private void run(Path jar, int rounds, int sandboxes) throws Exception {
    EventStream events = new EventStream(DockerEndpoint.fromEnvironment().streamClient(), this::onEvent, gap -> { }, Duration.ofMinutes(10));
    Path manifests = Files.createTempDirectory(id);
    List<Double> dead = new ArrayList<>();
    List<Double> gone = new ArrayList<>();
    try {
      events.start();
      try (ExposureBench.OperatorProcess operator = ExposureBench.OperatorProcess.start(jar, manifests, id)) {
        System.out.printf("%d conforming sandboxes started at once under a cap of %d (%s), %d rounds%n", sandboxes, CAP, id, rounds);
        System.out.printf("%-6s %16s %22s %22s%n", "round", "starts took ms", "last excess dead ms", "last excess gone ms");
        for (int r = 1; r <= rounds; r++) {
          double[] settle = round(r, sandboxes);
          dead.add(settle[1]);
          gone.add(settle[2]);
          System.out.printf(Locale.ROOT, "%-6d %16.0f %22.0f %22.0f%n", r, settle[0], settle[1], settle[2]);
        }
      }
      System.out.printf(Locale.ROOT, "%nmedian after the last start returned: last excess sandbox dead %.0f ms, gone %.0f ms%n",
          ColdStartBench.median(dead), ColdStartBench.median(gone));
      BenchResult.print("cap-settle.gone", ColdStartBench.median(gone), "ms", ColdStartBench.median(dead), "ms",
          "the last excess one dead; " + rounds + " rounds, target 1000 ms");
    } finally {
      events.close();
      cleanUp();
      // The manifests, and the gateway's state directory the operator made for them (the operator's log and state stay).
      for (Path dir : List.of(manifests, Path.of("/tmp", id))) {
        if (!Files.exists(dir)) continue;
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  /** {time the starts took, ms from the last start returning to the last excess death, and to its removal}. */
  private double[] round(int round, int count) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) names.add(id + "-r" + round + "-sbx-" + i);
    ExecutorService pool = Executors.newFixedThreadPool(count);
    List<Future<Long>> runs = new ArrayList<>();
    long begun = ExposureBench.nowNanos();
    try {
      for (String name : names) {
        runs.add(pool.submit(() -> {
          String container = docker.createContainer(name, body());
          try {
            docker.start(container);
          } catch (RuntimeException e) {
            // killed between its create and its start: one of the excess
          }
          return ExposureBench.nowNanos();
        }));
      }
      long lastStart = 0;
      for (Future<Long> f : runs) lastStart = Math.max(lastStart, f.get());
      List<String> left = awaitCap(names);
      long lastDie = 0;
      long lastDestroy = 0;
      for (String name : names) {
        if (left.contains(name)) continue;
        lastDie = Math.max(lastDie, dieAt.getOrDefault(name, 0L));
        lastDestroy = Math.max(lastDestroy, destroyAt.getOrDefault(name, 0L));
      }
      return new double[] {(lastStart - begun) / 1e6, Math.max(0, lastDie - lastStart) / 1e6, Math.max(0, lastDestroy - lastStart) / 1e6};
    } finally {
      pool.shutdownNow();
      for (String name : names) docker.inspectContainer(name).ifPresent(c -> docker.remove(c.id(), true));
      Thread.sleep(2000); // the operator sees the host empty before the next burst
    }
  }

  /** Waits until only the cap's worth are left (every excess one destroyed), and names them. */
  private List<String> awaitCap(List<String> names) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      List<String> left = names.stream().filter(n -> !destroyAt.containsKey(n)).toList();
      if (left.size() <= CAP) return left;
      if (System.nanoTime() > deadline) throw new IllegalStateException(left.size() + " sandboxes still there after 60 s: is the operator working?");
      Thread.sleep(5);
    }
  }

  /** Events name containers by id; the benchmark knows them by name (the event's attributes carry it). */
  private void onEvent(DockerEvent e) {
    if (!e.container()) return;
    String name = e.attributes().getOrDefault("name", "");
    if (!name.startsWith(id)) return;
    if (e.verb().equals("die")) dieAt.putIfAbsent(name, e.timeNano());
    if (e.verb().equals("destroy")) destroyAt.putIfAbsent(name, e.timeNano());
  }

  /** A conforming sandbox as OpenClaw makes it, selected by this benchmark's policy. */
  private ObjectNode body() {
    ObjectNode body = Yaml.JSON.createObjectNode();
    body.put("Image", IMAGE);
    body.putArray("Cmd").add("sleep").add("infinity");
    ObjectNode labels = body.putObject("Labels");
    labels.put(id, "1");
    labels.put("openclaw.sandbox", "1");
    ObjectNode host = body.putObject("HostConfig");
    host.put("Init", true).put("ReadonlyRootfs", true).put("NetworkMode", "none");
    host.putArray("CapDrop").add("ALL");
    host.putArray("SecurityOpt").add("no-new-privileges");
    host.put("Memory", 1L << 30).put("MemorySwap", 1L << 30).put("NanoCpus", 1_000_000_000L).put("PidsLimit", 512);
    return body;
  }

  private void cleanUp() { ExposureBench.removeRun(docker, id); }
}
