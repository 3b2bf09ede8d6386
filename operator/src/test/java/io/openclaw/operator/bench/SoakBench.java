package io.openclaw.operator.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code hack/bench soak [--minutes 10] [--workers 6] [--sample-seconds 15]}: the churn of {@link Soak} for a given
 * time, printing what was missed or harmed and the slopes of the operator process's heap, threads, open files and
 * sockets. Ends with RESULT lines for hack/bench's table.
 */
public final class SoakBench {
  public static void main(String[] args) throws Exception {
    double minutes = 10;
    int workers = 6;
    int sampleSeconds = 15;
    Path jar = Path.of("operator/target/openclaw-docker-operator.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (known: --minutes, --workers, --sample-seconds, --jar)");
      }
    }
    Soak.Result r;
    try (Soak soak = new Soak()) {
      Thread hook = new Thread(() -> {
        try {
          soak.close();
        } catch (Exception e) {
          System.err.println("[soak] cleaning up: " + e);
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      soak.start(jar.toAbsolutePath());
      System.out.printf("churn: %.1f min, %d workers, a sample every %d s%n", minutes, workers, sampleSeconds);
      r = soak.churn(Duration.ofMillis((long) (minutes * 60_000)), workers, Duration.ofSeconds(sampleSeconds));
      Soak.print(r);
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    double[] s = Soak.slopes(r.samples());
    BenchResult.print("soak.missed", r.missed().size() + r.harmed().size(), "missed+harmed", r.breaching(), "breaches",
        "of " + r.sandboxes() + " sandboxes in " + Math.round(r.took().toSeconds() / 60.0) + " min");
    BenchResult.print("soak.heap-slope", s[0], "MiB/min", r.samples().get(0).heapMiB(), "MiB", "heap after GC at the start; threads "
        + String.format(java.util.Locale.ROOT, "%+.2f/min, files %+.2f/min, sockets %+.2f/min", s[1], s[2], s[3]));
  }
}
