package io.openclaw.operator.bench;

import io.openclaw.operator.testing.JarLaunch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wall time of the one-shot commands as a user types them ({@code java -jar JAR ...}), the median of N runs each,
 * beside the floor every one of them pays: the JVM starting and stopping ({@code java -version}). Runs are interleaved
 * (floor, validate, audit, --version, floor, ...), so the machine's drift hits them alike. {@code audit} reads the
 * Docker host of DOCKER_HOST (read only) with the manifests of examples/local.
 *
 * <p>Run through {@code hack/bench cli [--runs N]} (default 7).
 */
public final class CliBench {
  public static void main(String[] args) throws Exception {
    int runs = 7;
    Path jar = Path.of("operator/target/openclaw-docker-operator.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (known: --runs, --jar)");
      }
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, List<String>> commands = new java.util.LinkedHashMap<>();
    commands.put("java -version (the floor)", List.of(java, "-version"));
    // As the README, the image and the unit start it: with the Java options and the class-data-sharing archive the build
    // puts beside the jar.
    Path archive = Path.of(jar.toString().replaceFirst("\\.jar$", ".jsa"));
    List<String> launch = JarLaunch.command(jar);
    commands.put("validate examples/", concat(launch, "validate", "examples/"));
    commands.put("audit --manifests examples/local", concat(launch, "audit", "--manifests", "examples/local"));
    commands.put("--version", concat(launch, "--version"));
    System.out.println(Files.exists(archive) ? "with the archive " + archive : "no archive beside the jar: plain java -jar");
    Map<String, List<Double>> millis = new java.util.LinkedHashMap<>();
    commands.keySet().forEach(k -> millis.put(k, new ArrayList<>()));
    Map<String, Integer> exits = new java.util.LinkedHashMap<>();
    for (int r = 0; r <= runs; r++) { // run 0 warms the page cache, untimed
      for (var c : commands.entrySet()) {
        long t = System.nanoTime();
        int exit = run(c.getValue());
        double ms = (System.nanoTime() - t) / 1e6;
        exits.put(c.getKey(), exit);
        if (r > 0) millis.get(c.getKey()).add(ms);
      }
    }
    System.out.printf("%-36s %6s %10s %10s %10s %6s%n", "command (java -jar JAR ...)", "runs", "median", "min", "max", "exit");
    for (var e : millis.entrySet()) {
      List<Double> v = new ArrayList<>(e.getValue());
      Collections.sort(v);
      System.out.printf(Locale.ROOT, "%-36s %6d %8.0fms %8.0fms %8.0fms %6d%n", e.getKey(), v.size(), median(v), v.get(0), v.get(v.size() - 1),
          exits.get(e.getKey()));
    }
    double floor = median(millis.get("java -version (the floor)"));
    BenchResult.print("cli.validate", median(millis.get("validate examples/")), "ms", floor, "ms", "java -version (the JVM starting, the floor); median of " + runs);
    BenchResult.print("cli.audit", median(millis.get("audit --manifests examples/local")), "ms", floor, "ms", "java -version; median of " + runs);
    BenchResult.print("cli.version", median(millis.get("--version")), "ms", floor, "ms", "java -version; median of " + runs);
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor();
  }

  static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  private static List<String> concat(List<String> launch, String... args) {
    List<String> out = new ArrayList<>(launch);
    out.addAll(List.of(args));
    return out;
  }
}
